/**
 * Moving the GIS identity and sync state kept on the objects' own columns (gis*, sync*) into
 * gis_identity, each to the stand it came from: the stand of the object's last operation
 * (syncLastOperationId → gis_operation.stand), production when there is none. One portable
 * INSERT … SELECT per kind (quoted identifiers, no dialect SQL); objects that never met GIS (no
 * identity, not sent) get no row. Rows already in the store are kept, unless `fresh` (the migration
 * that drops the columns moves again from scratch: until then the pipeline still writes the columns).
 */
import { QueryRunner } from "typeorm";
import { DEFAULTS, FIELDS, IdentityColumn, Kind, SYNC_COLUMNS, WITHOUT_SYNC } from "./fields";

/** sync columns of the objects (embedded SyncState, prefix "sync") → store columns. */
export const SYNC_SOURCE: Record<(typeof SYNC_COLUMNS)[number], string> = {
  status: "syncStatus",
  errorCode: "syncErrorCode",
  errorText: "syncErrorText",
  transportGuid: "syncTransportGuid",
  lastOperationId: "syncLastOperationId",
  syncedAt: "syncSyncedAt",
};

export const DEFAULT_STAND = "prod";

/** Per kind, identity field (an old column of the object's table) → store column. */
export type FieldMap = { [K in Kind]: Record<string, IdentityColumn> };

/**
 * The identity fields as the migrations before NsiStands (1765411200000) knew them: a service's
 * placed element was on its mapping columns then, not a field of its own.
 */
export const FIELDS_BEFORE_NSI_STANDS: FieldMap = { ...FIELDS, service: {} };

/** `fields`: the identity fields the objects' tables have at this migration (default: today's). */
export async function moveIdentities(qr: QueryRunner, o: { fresh?: boolean; fields?: FieldMap } = {}): Promise<void> {
  const q = (name: string) => qr.connection.driver.escape(name);
  const map = o.fields ?? FIELDS;
  if (o.fresh) await qr.query(`DELETE FROM ${q("gis_identity")}`);
  for (const kind of Object.keys(map) as Kind[]) {
    if (!(await qr.hasTable(kind))) continue;
    const fields = Object.entries(map[kind]);
    // A kind without a sync state (files) moves its identity alone, to production.
    const sync = WITHOUT_SYNC.includes(kind) ? [] : SYNC_COLUMNS;
    const target = [...fields.map(([, col]) => col), ...sync];
    const source = [...fields.map(([field]) => `t.${q(field)}`), ...sync.map((c) => `t.${q(SYNC_SOURCE[c])}`)];
    const defaults = (DEFAULTS[kind] ?? {}) as Record<string, unknown>;
    // A field whose default is a value (an acknowledgment's "pending") met GIS only when it differs.
    const met = [
      ...fields.map(([field]) => (field in defaults ? `t.${q(field)} <> '${String(defaults[field])}'` : `t.${q(field)} IS NOT NULL`)),
      ...(sync.length ? [`t.${q("syncStatus")} <> 'not_sent'`] : []),
    ];
    // A boolean identity (an account held closed) alone does not make a row; with it, it travels.
    const metAny = met.filter((_, i) => i >= fields.length || fields[i][1] !== "closed");
    await qr.query(
      `INSERT INTO ${q("gis_identity")} (${[q("objectType"), q("objectId"), q("stand"), ...target.map(q)].join(", ")}) ` +
        `SELECT '${kind}', t.${q("id")}, ${sync.length ? `COALESCE(o.${q("stand")}, '${DEFAULT_STAND}')` : `'${DEFAULT_STAND}'`}, ${source.join(", ")} ` +
        `FROM ${q(kind)} t ${sync.length ? `LEFT JOIN ${q("gis_operation")} o ON o.${q("id")} = t.${q("syncLastOperationId")} ` : ""}` +
        `WHERE (${metAny.join(" OR ")}) AND NOT EXISTS (SELECT 1 FROM ${q("gis_identity")} g ` +
        `WHERE g.${q("objectType")} = '${kind}' AND g.${q("objectId")} = t.${q("id")})`,
    );
  }
}
