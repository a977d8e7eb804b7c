/*
 * Stands apart: the GIS identity and sync state leave the objects' own columns (gis*, sync* but
 * syncChangedAt) for gis_identity, one row per (object, stand). The store is filled afresh first
 * (src/storage/identity/move.ts: each object's values under the stand of its last operation,
 * production otherwise), then the columns and their indexes go. Down puts production's values back.
 */
import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from "typeorm";
import { ColumnKit, columnKit, dialectOf } from "../dialect";
import { IdentityColumn, Kind, WITHOUT_SYNC } from "../identity/fields";
import { DEFAULT_STAND, FIELDS_BEFORE_NSI_STANDS, SYNC_SOURCE, moveIdentities } from "../identity/move";

/** The identity fields as the tables had them then (a service's element came later: NsiStands). */
const FIELDS = FIELDS_BEFORE_NSI_STANDS;

/** The old column of a store column, as it was declared (down re-creates it so). */
function oldColumn(c: ColumnKit, kind: Kind, field: string, col: IdentityColumn | "status" | "errorCode" | "errorText" | "syncedAt" | "guid36"): TableColumn {
  if (kind === "acknowledgment" && field === "state") return c.string(field, 12, { nullable: false, default: "pending" });
  switch (col) {
    case "uniqueNumber":
      return c.string(field, kind === "account" ? 10 : 40);
    case "serviceId":
      return c.string(field, 13);
    case "documentId":
      return c.string(field, 18);
    case "versionNumber":
    case "ackStatus":
      return c.int(field);
    case "closed":
      return c.bool(field, { nullable: false, default: false });
    case "gisStatus":
    case "gisState":
    case "errorCode":
      return c.string(field, 20);
    case "status":
      return c.string(field, 20, { nullable: false, default: "not_sent" });
    case "errorText":
      return c.text(field);
    case "syncedAt":
      return c.moment(field);
    default:
      return c.string(field, 36);
  }
}

/** Per kind: [old column, store column] of every identity field and sync column. */
function columnsOf(kind: Kind): Array<[string, string]> {
  return [
    ...Object.entries(FIELDS[kind] as Record<string, IdentityColumn>),
    ...(WITHOUT_SYNC.includes(kind) ? [] : (Object.entries(SYNC_SOURCE).map(([col, old]) => [old, col]) as Array<[string, string]>)),
  ];
}

/** The fields that had an index of their own before. */
const INDEXED: Array<[Kind, string]> = [
  ["organization", "gisOrgPpaGuid"],
  ["contract", "gisContractGuid"],
  ["premise", "gisGuid"],
  ["account", "unifiedNumber"],
  ["account", "gisAccountGuid"],
  ["meter", "gisRootGuid"],
  ["payment_document", "gisPaymentDocumentId"],
];

export class StandsApart1765324800000 implements MigrationInterface {
  name = "StandsApart1765324800000";

  async up(qr: QueryRunner): Promise<void> {
    await moveIdentities(qr, { fresh: true, fields: FIELDS });
    for (const kind of Object.keys(FIELDS) as Kind[]) {
      const table = await qr.getTable(kind);
      if (!table) continue;
      const gone = new Set(columnsOf(kind).map(([old]) => old));
      for (const index of table.indices.filter((i) => i.columnNames.some((n) => gone.has(n)))) await qr.dropIndex(table, index);
      await qr.dropColumns(
        table,
        table.columns.filter((col) => gone.has(col.name)),
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    const q = (name: string) => qr.connection.driver.escape(name);
    for (const kind of Object.keys(FIELDS) as Kind[]) {
      if (!(await qr.hasTable(kind))) continue;
      const cols = columnsOf(kind);
      await qr.addColumns(
        kind,
        cols.map(([old, col]) => oldColumn(c, kind, old, col as IdentityColumn)),
      );
      for (const [old, col] of cols) {
        const from = `FROM ${q("gis_identity")} g WHERE g.${q("objectType")} = '${kind}' AND g.${q("objectId")} = t.${q("id")} AND g.${q("stand")} = '${DEFAULT_STAND}'`;
        await qr.query(`UPDATE ${q(kind)} SET ${q(old)} = (SELECT g.${q(col)} ${from}) WHERE EXISTS (SELECT 1 ${from})`.replace(/ t\./g, ` ${q(kind)}.`));
      }
    }
    for (const [kind, field] of INDEXED)
      if (await qr.hasTable(kind))
        await qr.createIndex(kind, new TableIndex({ name: qr.connection.namingStrategy.indexName(kind, [field]), columnNames: [field] }));
  }
}
