/**
 * «Архивировать неиспользуемые ПУ»: meters GIS has active for our organization in the houses of the
 * scope whose root GUID our database does not have (and that no meter of ours not linked yet
 * matches by factory number and resource). importMeteringDeviceData archives them by their version
 * GUID with the NSI 224 reason «Ошибка ввода». Only when asked: see ../unused.ts.
 */
import { DataSource } from "typeorm";
import { Meter } from "../../../../entities";
import { identityExpr } from "../../../storage/identity/store";
import { exportedMeters } from "../export-metering-device-data";
import { Prepared, Scope } from "../../../stages/descriptor";
import { NSI, NsiIndex } from "../../../stages/nsi";
import { Checks, PRE } from "../../../stages/preflight";
import { FoundUnused, latestHouseExports, recordUnused, unusedRows } from "../unused";
import type { MeterData } from "../import-metering-device-data";

/** The NSI 224 element unused meters are archived with. */
export const UNUSED_ARCHIVE_REASON = "Ошибка ввода";

const key = (number: string, resource: string | null) => `${resource ?? ""}|${number.trim().toUpperCase()}`;

/** Our meters with their root GUID on `stand` (null: not linked there). */
async function ourMeters(
  ds: DataSource,
  organizationId: number,
  stand: string,
): Promise<Array<{ factoryNumber: string; resource: string | null; root: string | null }>> {
  const qb = ds.getRepository(Meter).createQueryBuilder("m").where("m.organizationId = :org", { org: organizationId });
  return qb
    .select("m.factoryNumber", "factoryNumber")
    .addSelect("m.municipalResourceCode", "resource")
    .addSelect(identityExpr(qb, "m", "gisRootGuid", stand), "root")
    .getRawMany();
}

/** Finds the unused meters on `stand` (the run's), records them, and returns the negative ids to archive now. */
export async function selectUnusedMeters(ds: DataSource, scope: Scope, stand: string): Promise<number[]> {
  const ours = await ourMeters(ds, scope.organizationId, stand);
  const ourRoots = new Set(ours.filter((m) => m.root).map((m) => m.root!.toLowerCase()));
  const unlinked = new Set(ours.filter((m) => !m.root).map((m) => key(m.factoryNumber, m.resource)));
  const found: FoundUnused[] = [];
  for (const { house, answer, at } of await latestHouseExports(ds, scope, "exportMeteringDeviceData", stand)) {
    for (const m of exportedMeters(answer.result)) {
      const resource = m.electric ? "3" : (m.resources[0]?.code ?? null);
      if (m.status !== "Active" || ourRoots.has(m.rootGuid) || unlinked.has(key(m.factoryNumber, resource))) continue;
      found.push({
        gisGuid: m.rootGuid,
        versionGuid: m.versionGuid,
        number: m.factoryNumber,
        fiasHouseGuid: house.fiasHouseGuid!.toLowerCase(),
        data: { resourceCode: resource },
        foundAt: at,
      });
    }
  }
  return recordUnused(ds, scope.organizationId, "meter", found, stand);
}

/** The archiving requests of unused meters (negative ids). */
export async function prepareUnusedMeters(ds: DataSource, negativeIds: number[]): Promise<Prepared<MeterData>> {
  const out: Prepared<MeterData> = { ready: [], rejected: [] };
  if (negativeIds.length === 0) return out;
  const nsi = await NsiIndex.load(ds, [NSI.meterArchiveReason]);
  const reason = nsi.byValue(NSI.meterArchiveReason, UNUSED_ARCHIVE_REASON);
  for (const row of await unusedRows(ds, negativeIds)) {
    const id = -row.id;
    const c = new Checks(id, [
      ["Прибор учёта (только в ГИС)", row.number ?? row.gisGuid],
      ["Дом", row.fiasHouseGuid],
    ]);
    c.fail(!reason, PRE.nsi, "archiveReasonCode", `Не найдена причина архивации «${UNUSED_ARCHIVE_REASON}» в справочнике ГИС (НСИ 224)`);
    c.fail(!row.versionGuid, PRE.noParentGuid, "versionGuid", "В ответе ГИС у прибора учёта нет ГУИД версии");
    if (!c.ok) {
      out.rejected.push(c.first);
      continue;
    }
    const data = JSON.parse(row.data ?? "{}") as { resourceCode?: string | null };
    out.ready.push({
      objectId: id,
      data: {
        kind: "archive",
        rootGuid: row.gisGuid,
        device: { versionGuid: row.versionGuid!, archive: { reason: reason! } },
        factoryNumber: row.number ?? "",
        resourceCode: data.resourceCode ?? "",
        houseFias: row.fiasHouseGuid ?? "",
        closingGuid: row.gisGuid,
      },
    });
  }
  return out;
}
