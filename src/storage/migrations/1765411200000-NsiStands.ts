/*
 * NSI stands apart: the element a stand created when we placed a service in the organization's own
 * dictionary (НСИ 1 additional, НСИ 51 municipal) was written over the service's mapping columns
 * (nsiRegistry / nsiCode / nsiGuid), shared by every stand. It moves to gis_identity (guid = the
 * element's GUID, uniqueNumber = its code) under the stand of the service's last operation,
 * production when there is none, and the mapping columns of those services are cleared — a
 * municipal service gets its НСИ 3 service back from its resource (GIS's pairs, as contracts find
 * it), so another stand can place it. Down puts production's elements back on the mapping columns.
 *
 * The stored dictionaries (nsi_item) get a stand too: an organization's own elements exported from
 * SIT01 are SIT01's. Rows kept so far count as production's (stand 'prod'), in the unique index.
 */
import { MigrationInterface, QueryRunner, TableIndex } from "typeorm";
import { columnKit, dialectOf } from "../dialect";
import { DEFAULT_STAND } from "../identity/move";

const OLD_UNIQUE = ["registryNumber", "listGroup", "guid"];
const NEW_UNIQUE = ["registryNumber", "listGroup", "stand", "guid"];

async function swapUnique(qr: QueryRunner, from: string[], to: string[]): Promise<void> {
  const table = (await qr.getTable("nsi_item"))!;
  const old = table.indices.find((i) => i.isUnique && i.columnNames.join() === from.join());
  if (old) await qr.dropIndex(table, old);
  await qr.createIndex("nsi_item", new TableIndex({ name: qr.connection.namingStrategy.indexName("nsi_item", to), columnNames: to, isUnique: true }));
}

/** GIS's НСИ 2 resource code → НСИ 3 service code (src/methods/house-management/contracts/service-refs.ts), as of this migration. */
const SERVICE_OF_RESOURCE: Record<string, string> = { "1": "1", "2": "2", "8": "3", "3": "4", "4": "5", "5": "6" };

/** The organization's own dictionary of each service kind. */
const OWN_REGISTRY: Record<string, number> = { additional: 1, municipal: 51 };

type Row = Record<string, unknown>;

function helpers(qr: QueryRunner) {
  const q = (name: string) => qr.connection.driver.escape(name);
  /** A query with :named parameters, in the driver's own placeholders. */
  const run = (sql: string, params: Record<string, unknown> = {}): Promise<Row[]> => {
    const [text, values] = qr.connection.driver.escapeQueryWithParameters(sql, params);
    return qr.query(text, values);
  };
  return { q, run };
}

/** Each service's stand: that of the latest operation any of its store rows names. */
async function standsOfServices(qr: QueryRunner): Promise<Map<number, string>> {
  const { q, run } = helpers(qr);
  const rows = await run(
    `SELECT g.${q("objectId")} AS ${q("id")}, o.${q("stand")} AS ${q("stand")}, o.${q("createdAt")} AS ${q("at")} ` +
      `FROM ${q("gis_identity")} g JOIN ${q("gis_operation")} o ON o.${q("id")} = g.${q("lastOperationId")} WHERE g.${q("objectType")} = 'service'`,
  );
  const latest = new Map<number, { stand: string; at: number }>();
  for (const r of rows) {
    const id = Number(r.id);
    const at = new Date(r.at as string).getTime();
    const was = latest.get(id);
    if (!was || at > was.at) latest.set(id, { stand: String(r.stand), at });
  }
  return new Map([...latest].map(([id, x]) => [id, x.stand]));
}

export class NsiStands1765411200000 implements MigrationInterface {
  name = "NsiStands1765411200000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.addColumn("nsi_item", c.string("stand", 10, { nullable: false, default: DEFAULT_STAND }));
    await swapUnique(qr, OLD_UNIQUE, NEW_UNIQUE);
    const { q, run } = helpers(qr);
    const placed = await run(
      `SELECT ${q("id")}, ${q("kind")}, ${q("nsiCode")}, ${q("nsiGuid")}, ${q("municipalResourceCode")} FROM ${q("service")} WHERE ` +
        Object.entries(OWN_REGISTRY)
          .map(([kind, registry]) => `(${q("kind")} = '${kind}' AND ${q("nsiRegistry")} = ${registry})`)
          .join(" OR "),
    );
    const stands = await standsOfServices(qr);
    for (const s of placed) {
      const id = Number(s.id);
      const p = { id, stand: stands.get(id) ?? DEFAULT_STAND, guid: s.nsiGuid ?? null, code: s.nsiCode ?? null };
      const where = `${q("objectType")} = 'service' AND ${q("objectId")} = :id AND ${q("stand")} = :stand`;
      const has = await run(`SELECT 1 AS ${q("x")} FROM ${q("gis_identity")} WHERE ${where}`, p);
      if (has.length) await run(`UPDATE ${q("gis_identity")} SET ${q("guid")} = :guid, ${q("uniqueNumber")} = :code WHERE ${where}`, p);
      else
        await run(
          `INSERT INTO ${q("gis_identity")} (${q("objectType")}, ${q("objectId")}, ${q("stand")}, ${q("guid")}, ${q("uniqueNumber")}, ${q("status")}) ` +
            `VALUES ('service', :id, :stand, :guid, :code, 'ok')`,
          p,
        );
      // The НСИ 3 service by code only: prepare finds its GUID in the stored dictionary.
      const common = s.kind === "municipal" ? (SERVICE_OF_RESOURCE[String(s.municipalResourceCode)] ?? null) : null;
      await run(`UPDATE ${q("service")} SET ${q("nsiRegistry")} = :registry, ${q("nsiCode")} = :common, ${q("nsiGuid")} = NULL WHERE ${q("id")} = :id`, {
        ...p,
        registry: common ? 3 : null,
        common,
      });
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    const { q, run } = helpers(qr);
    // Production's dictionaries stay; other stands' own elements go with the column.
    await run(`DELETE FROM ${q("nsi_item")} WHERE ${q("stand")} <> '${DEFAULT_STAND}'`);
    await swapUnique(qr, NEW_UNIQUE, OLD_UNIQUE);
    await qr.dropColumn("nsi_item", "stand");
    const rows = await run(
      `SELECT s.${q("id")} AS ${q("id")}, s.${q("kind")} AS ${q("kind")}, g.${q("guid")} AS ${q("guid")}, g.${q("uniqueNumber")} AS ${q("code")} ` +
        `FROM ${q("service")} s JOIN ${q("gis_identity")} g ON g.${q("objectType")} = 'service' AND g.${q("objectId")} = s.${q("id")} ` +
        `AND g.${q("stand")} = '${DEFAULT_STAND}' WHERE g.${q("guid")} IS NOT NULL`,
    );
    for (const r of rows) {
      const registry = OWN_REGISTRY[String(r.kind)];
      if (!registry) continue;
      await run(`UPDATE ${q("service")} SET ${q("nsiRegistry")} = :registry, ${q("nsiCode")} = :code, ${q("nsiGuid")} = :guid WHERE ${q("id")} = :id`, {
        id: Number(r.id),
        registry,
        code: r.code ?? null,
        guid: r.guid ?? null,
      });
    }
    // Other stands' elements stay in the store (the columns hold production's only).
    await run(
      `UPDATE ${q("gis_identity")} SET ${q("guid")} = NULL, ${q("uniqueNumber")} = NULL WHERE ${q("objectType")} = 'service' AND ${q("stand")} = '${DEFAULT_STAND}'`,
    );
  }
}
