/*
 * Stand rows: rows made from one stand's export answer carry that stand (`originStand`, null for
 * ours: billing, UI) — another organization's payments from a stand's notices (payment, source
 * "other"), citizens' readings from its meter history (meter_reading, "gis:" ids not from billing)
 * and documents loaded from it (payment_document, "gis:<stand>:<ИПД>"). Rows kept so far get the
 * stand their id names (documents), else the only stand that holds them, else production.
 * Down drops the column: such rows are every stand's again.
 */
import { MigrationInterface, QueryRunner } from "typeorm";
import { columnKit, dialectOf } from "../dialect";
import { DEFAULT_STAND } from "../identity/move";

const TABLES = ["payment", "meter_reading", "payment_document"];
/** The stands as of this migration. */
const STANDS = ["prod", "sit01", "sit02", "local"];

export class StandRows1765584000000 implements MigrationInterface {
  name = "StandRows1765584000000";

  async up(qr: QueryRunner): Promise<void> {
    const q = (name: string) => qr.connection.driver.escape(name);
    const c = columnKit(dialectOf(qr.connection));
    for (const t of TABLES) await qr.addColumn(t, c.string("originStand", 10));

    // Documents name their stand in the external id.
    const d = q("payment_document");
    for (const s of STANDS) await qr.query(`UPDATE ${d} SET ${q("originStand")} = '${s}' WHERE ${q("externalId")} LIKE 'gis:${s}:%'`);

    // Payments and readings pulled from a stand: the only stand holding them, else production.
    const gi = q("gis_identity");
    const pulled: Record<string, string> = {
      payment: `${q("source")} = 'other' AND ${q("externalId")} LIKE 'gis:%'`,
      meter_reading: `${q("source")} <> 'billing' AND ${q("externalId")} LIKE 'gis:%'`,
    };
    for (const [t, where] of Object.entries(pulled)) {
      const id = `${q(t)}.${q("id")}`;
      const rows = `${gi} g WHERE g.${q("objectType")} = '${t}' AND g.${q("objectId")} = ${id}`;
      await qr.query(
        `UPDATE ${q(t)} SET ${q("originStand")} = CASE WHEN (SELECT COUNT(*) FROM ${rows}) = 1 ` +
          `THEN (SELECT MIN(g.${q("stand")}) FROM ${rows}) ELSE '${DEFAULT_STAND}' END WHERE ${where}`,
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of TABLES) await qr.dropColumn(t, "originStand");
  }
}
