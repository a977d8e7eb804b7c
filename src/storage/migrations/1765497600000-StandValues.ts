/*
 * Stand values (issue 12): the last GIS values every stand shared.
 * - payment.gisPaymentDocumentId (the ИПД a stand's notice names) goes to gis_identity.documentId,
 *   under the only stand that knows the payment (the one whose notice brought it), else production;
 * - gis_unused_object gets `stand` (the only stand with its sync state, else production) and a
 *   unique key with it: a row SIT01's export found is never closed on production;
 * - meter.gisArchived (gis_identity.closed) is new: today's meter.state stays ours, and which
 *   archived states came from a GIS export cannot be told, so nothing is moved there.
 * Down puts the values back (production's, else the only stand's) and keeps one row per old key.
 */
import { MigrationInterface, QueryRunner, TableIndex } from "typeorm";
import { columnKit, dialectOf } from "../dialect";
import { DEFAULT_STAND } from "../identity/move";

const OLD_KEY = "IDX_gis_unused_object_key";
const NEW_KEY = "IDX_gis_unused_object_stand_key";

export class StandValues1765497600000 implements MigrationInterface {
  name = "StandValues1765497600000";

  async up(qr: QueryRunner): Promise<void> {
    const q = (name: string) => qr.connection.driver.escape(name);
    const c = columnKit(dialectOf(qr.connection));
    const gi = q("gis_identity");
    const rowsOf = (kind: string, id: string) => `${gi} g2 WHERE g2.${q("objectType")} = '${kind}' AND g2.${q("objectId")} = ${id}`;

    if (await qr.hasColumn("payment", "gisPaymentDocumentId")) {
      const p = q("payment");
      const id = `${gi}.${q("objectId")}`;
      // Onto the payment's store row of its only stand, or production's row when it has several.
      await qr.query(
        `UPDATE ${gi} SET ${q("documentId")} = (SELECT p.${q("gisPaymentDocumentId")} FROM ${p} p WHERE p.${q("id")} = ${id}) ` +
          `WHERE ${gi}.${q("objectType")} = 'payment' AND ((SELECT COUNT(*) FROM ${rowsOf("payment", id)}) = 1 OR ${gi}.${q("stand")} = '${DEFAULT_STAND}')`,
      );
      // A payment with a value and no row to take it (none, or several without production's): production.
      await qr.query(
        `INSERT INTO ${gi} (${q("objectType")}, ${q("objectId")}, ${q("stand")}, ${q("documentId")}) ` +
          `SELECT 'payment', p.${q("id")}, '${DEFAULT_STAND}', p.${q("gisPaymentDocumentId")} FROM ${p} p ` +
          `WHERE p.${q("gisPaymentDocumentId")} IS NOT NULL AND (SELECT COUNT(*) FROM ${rowsOf("payment", `p.${q("id")}`)}) <> 1 ` +
          `AND NOT EXISTS (SELECT 1 FROM ${rowsOf("payment", `p.${q("id")}`)} AND g2.${q("stand")} = '${DEFAULT_STAND}')`,
      );
      await qr.dropColumn("payment", "gisPaymentDocumentId");
    }

    const u = q("gis_unused_object");
    const uid = `${u}.${q("id")}`;
    await qr.addColumn("gis_unused_object", c.string("stand", 10, { nullable: false, default: DEFAULT_STAND }));
    await qr.query(
      `UPDATE ${u} SET ${q("stand")} = (SELECT MIN(g2.${q("stand")}) FROM ${rowsOf("gis_unused_object", uid)}) ` +
        `WHERE (SELECT COUNT(*) FROM ${rowsOf("gis_unused_object", uid)}) = 1`,
    );
    // Another stand's sync state of a row that is now production's: that stand finds the object anew.
    await qr.query(
      `DELETE FROM ${gi} WHERE ${q("objectType")} = 'gis_unused_object' AND NOT EXISTS ` +
        `(SELECT 1 FROM ${u} WHERE ${uid} = ${gi}.${q("objectId")} AND ${u}.${q("stand")} = ${gi}.${q("stand")})`,
    );
    await qr.dropIndex("gis_unused_object", OLD_KEY);
    await qr.createIndex("gis_unused_object", new TableIndex({ name: NEW_KEY, columnNames: ["organizationId", "stand", "kind", "gisGuid"], isUnique: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    const q = (name: string) => qr.connection.driver.escape(name);
    const c = columnKit(dialectOf(qr.connection));
    const gi = q("gis_identity");
    const u = q("gis_unused_object");
    const uid = `${u}.${q("id")}`;

    // One row per old key (organization, kind, GUID): production's, else the oldest.
    const same = ["organizationId", "kind", "gisGuid"].map((col) => `v.${q(col)} = ${u}.${q(col)}`).join(" AND ");
    const twin =
      `EXISTS (SELECT 1 FROM ${u} v WHERE ${same} AND v.${q("id")} <> ${uid} AND ${u}.${q("stand")} <> '${DEFAULT_STAND}' ` +
      `AND (v.${q("stand")} = '${DEFAULT_STAND}' OR v.${q("id")} < ${uid}))`;
    await qr.query(`DELETE FROM ${gi} WHERE ${q("objectType")} = 'gis_unused_object' AND ${q("objectId")} IN (SELECT ${uid} FROM ${u} WHERE ${twin})`);
    await qr.query(`DELETE FROM ${u} WHERE ${twin}`);
    await qr.dropIndex("gis_unused_object", NEW_KEY);
    await qr.dropColumn("gis_unused_object", "stand");
    await qr.createIndex("gis_unused_object", new TableIndex({ name: OLD_KEY, columnNames: ["organizationId", "kind", "gisGuid"], isUnique: true }));

    await qr.addColumn("payment", c.string("gisPaymentDocumentId", 18));
    const p = `${q("payment")}.${q("id")}`;
    const from = `FROM ${gi} g WHERE g.${q("objectType")} = 'payment' AND g.${q("objectId")} = ${p} AND g.${q("documentId")} IS NOT NULL`;
    await qr.query(
      `UPDATE ${q("payment")} SET ${q("gisPaymentDocumentId")} = COALESCE((SELECT g.${q("documentId")} ${from} AND g.${q("stand")} = '${DEFAULT_STAND}'), ` +
        `(SELECT MIN(g.${q("documentId")}) ${from})) WHERE EXISTS (SELECT 1 ${from})`,
    );
    await qr.query(`UPDATE ${gi} SET ${q("documentId")} = NULL WHERE ${q("objectType")} = 'payment'`);
    // Rows that held nothing but the ИПД (the payment never met that stand otherwise).
    await qr.query(
      `DELETE FROM ${gi} WHERE ${q("objectType")} = 'payment' AND ${q("status")} = 'not_sent' AND ${q("guid")} IS NULL AND ${q("lastOperationId")} IS NULL`,
    );
    // Meters: gis_identity.closed of kind meter is simply no longer read.
    await qr.query(`UPDATE ${gi} SET ${q("closed")} = ${dialectOf(qr.connection) === "postgres" ? "false" : "0"} WHERE ${q("objectType")} = 'meter'`);
  }
}
