/**
 * importMeteringDeviceData: place new meters and archive retired ones (a replacement is the two:
 * the old one archived, the new one placed). GIS demands a factory number unique per resource, the
 * meter's accounts and premise placed, and the metered service present in a contract for the house.
 * Meters are batched per house so an unknown outcome is reconciled by one export of that house.
 * With `unused: true` in the run's scope it also archives the meters GIS has and we do not
 * («Архивировать неиспользуемые ПУ», ./archive-unused-meters.ts): those carry negative ids.
 */
import { DataSource } from "typeorm";
import { OperationInputs } from "../../transport/messages";
import { Account, ContractObject, ContractObjectService, House, Meter, MeterAccount, Premise, Room, Service } from "../../../entities";
import { MeteringDeviceInput, MeterPlacement } from "../../transport/messages/house-management";
import { NsiRef } from "../../transport/messages/common";
import { lower } from "../answer";
import { MethodDescriptor, Rejection } from "../descriptor";
import { byId, findIn, groupBy } from "../load";
import { NSI, NsiIndex } from "../nsi";
import { writeOutcomes } from "../outcome";
import { Checks, PRE, houseLabel } from "../preflight";
import { ids, whereHouseInScope, whereNeedsSending, whereObjects } from "../select";
import { meterRows } from "./export-metering-device-data";
import { prepareUnusedMeters, selectUnusedMeters } from "./archive-unused-meters";
import { applyUnused, splitIds, unusedRequested } from "../accounts/unused";

export interface MeterData {
  device: DistributiveOmit<MeteringDeviceInput, "transportGuid">;
  factoryNumber: string;
  resourceCode: string;
  houseFias: string;
  /** Set when archiving a meter only GIS has (an unused one): its root GUID. */
  closingGuid?: string;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Electricity (NSI 2 code 3) is metered by tariff zones; other resources by a single value. */
export const ELECTRICITY = "3";

const normalNumber = (n: string) => n.trim().toUpperCase();

/** The meter's resource: its own GUID when mapped, else by code in NSI 2. */
export function resourceOf(m: Meter, nsi: NsiIndex): NsiRef | null {
  return (m.municipalResourceGuid && m.municipalResourceCode ? { code: m.municipalResourceCode, guid: m.municipalResourceGuid } : null)
    ?? nsi.byCode(NSI.municipalResource, m.municipalResourceCode);
}

export const importMeteringDeviceData: MethodDescriptor<OperationInputs["importMeteringDeviceData"], MeterData> = {
  method: "importMeteringDeviceData",
  stage: "meters",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "meter",
  batchSetting: "batch.meters",
  defaultBatch: 100,
  safeToRepeat: false,
  after: ["importAccountData"],

  async select(ds, scope, mode) {
    const qb = ds.getRepository(Meter).createQueryBuilder("m").where("m.organizationId = :org", { org: scope.organizationId })
      // Placing an already retired meter is pointless; archiving needs one GIS has.
      .andWhere("((m.state = 'active' AND m.gisRootGuid IS NULL) OR (m.state = 'archived' AND m.gisVersionGuid IS NOT NULL))");
    await whereHouseInScope(qb, "m.houseId", ds, scope);
    const own = await ids(whereNeedsSending(whereObjects(qb, "m", scope), "m", mode === "sync" ? "push" : mode, null), "m");
    return unusedRequested(scope, mode) ? [...(await selectUnusedMeters(ds, scope)), ...own] : own;
  },

  async prepare(ds, allIds, ctx) {
    const { ours: meterIds, unused } = splitIds(allIds);
    const archiving = await prepareUnusedMeters(ds, unused);
    const meters = [...(await byId(ds, Meter, meterIds)).values()];
    const houses = await byId(ds, House, meters.map((m) => m.houseId));
    const premises = await byId(ds, Premise, meters.map((m) => m.premiseId));
    const rooms = await byId(ds, Room, meters.map((m) => m.roomId));
    const links = groupBy(await findIn(ds, MeterAccount, "meterId", meterIds), (l) => l.meterId);
    const accounts = await byId(ds, Account, [...links.values()].flat().map((l) => l.accountId));
    const nsi = await NsiIndex.load(ds, [NSI.municipalResource, NSI.meterArchiveReason]);
    const contracted = await contractedServices(ds, meters.map((m) => m.houseId));
    const duplicates = await duplicateNumbers(ds, ctx.organizationId, meters.map((m) => m.houseId));
    const services = await byId(ds, Service, meters.map((m) => m.serviceId));
    const ready: Array<{ objectId: number; data: MeterData }> = [];
    const rejected: Rejection[] = [];
    for (const m of meters) {
      const house = m.houseId !== null ? houses.get(m.houseId) ?? null : null;
      const c = new Checks(m.id, [["Прибор учёта", m.factoryNumber || `№ ${m.id}`], houseLabel(house)]);
      const resource = resourceOf(m, nsi);
      const accountGuids = (links.get(m.id) ?? []).map((l) => accounts.get(l.accountId)?.gisAccountGuid ?? null);
      if (m.state === "archived") {
        const reason = nsi.byCode(NSI.meterArchiveReason, m.archiveReasonCode);
        if (c.fail(!reason, PRE.nsi, "archiveReasonCode", `Не найдена причина архивации «${m.archiveReasonCode ?? ""}» в справочнике ГИС (НСИ 224)`)) rejected.push(c.first);
        else ready.push({ objectId: m.id, data: { device: { versionGuid: m.gisVersionGuid!, archive: { reason: reason! } }, factoryNumber: m.factoryNumber, resourceCode: m.municipalResourceCode ?? "", houseFias: house?.fiasHouseGuid ?? "" } });
        continue;
      }
      c.fail(!m.factoryNumber.trim(), PRE.noNumber, "factoryNumber", "Не указан заводской номер прибора учёта");
      c.fail(duplicates.has(`${m.houseId}|${m.municipalResourceCode}|${normalNumber(m.factoryNumber)}`), PRE.duplicate, "factoryNumber",
        "Заводской номер уже есть у другого действующего прибора учёта того же ресурса в этом доме (ГИС ЖКХ не допускает двух)");
      c.fail(!resource, PRE.nsi, "municipalResourceCode", `Не найден коммунальный ресурс «${m.municipalResourceCode ?? ""}» в справочнике ГИС (НСИ 2)`);
      c.fail(!house?.fiasHouseGuid, PRE.noFias, "house.fiasHouseGuid", "Не указан ФИАС ГУИД дома");
      c.fail(m.serviceId === null || !contracted.get(m.houseId ?? -1)?.has(m.serviceId), PRE.noService, "serviceId",
        `Услуга «${m.serviceId !== null ? services.get(m.serviceId)?.name ?? "" : ""}» прибора учёта отсутствует в договоре по дому`);
      if (m.meterType !== "common_house") {
        c.fail(accountGuids.length === 0, PRE.noPlace, "meter_account", "Прибор учёта не привязан к лицевому счёту");
        c.fail(accountGuids.some((g) => !g), PRE.noParentGuid, "meter_account", "Отсутствует ГУИД у лицевого счёта прибора учёта");
      }
      const placeGuid = m.roomId !== null ? rooms.get(m.roomId)?.gisGuid : m.premiseId !== null ? premises.get(m.premiseId)?.gisGuid : undefined;
      if (m.roomId !== null || m.premiseId !== null) c.fail(!placeGuid, PRE.noParentGuid, "premiseId", "Отсутствует ГУИД у помещения или комнаты прибора учёта");
      if (!c.ok) {
        rejected.push(c.first);
        continue;
      }
      const premise = m.premiseId !== null ? premises.get(m.premiseId) : undefined;
      const guids = accountGuids as string[];
      const placement: MeterPlacement =
        m.meterType === "common_house" ? { kind: "collective", fiasHouseGuids: [house!.fiasHouseGuid!] }
          : m.roomId !== null ? { kind: "livingRoom", livingRoomGuids: [placeGuid!], accountGuids: guids }
            : premise ? { kind: m.meterType === "collective" ? "collectiveApartment" : premise.kind === "residential" ? "residentialPremise" : "nonResidentialPremise", premiseGuids: [placeGuid!], accountGuids: guids }
              : { kind: "apartmentHouse", fiasHouseGuids: [house!.fiasHouseGuid!], accountGuids: guids };
      ready.push({
        objectId: m.id,
        data: {
          factoryNumber: m.factoryNumber, resourceCode: resource!.code, houseFias: house!.fiasHouseGuid!,
          device: {
            create: {
              number: m.factoryNumber,
              ...(m.brand ? { stamp: m.brand } : {}), ...(m.model ? { model: m.model } : {}),
              ...(m.installedDate ? { installationDate: m.installedDate } : {}), ...(m.commissionedDate ? { commissioningDate: m.commissionedDate } : {}),
              ...(m.lastVerificationDate ? { firstVerificationDate: m.lastVerificationDate } : {}),
              remoteMetering: m.remoteReading, temperatureSensor: false, pressureSensor: false, placement,
              resources: resource!.code === ELECTRICITY
                ? { energy: { t1: m.initialValueT1 ?? "0", ...(m.tariffCount >= 2 ? { t2: m.initialValueT2 ?? "0" } : {}), ...(m.tariffCount >= 3 ? { t3: m.initialValueT3 ?? "0" } : {}), ...(m.transformationRatio !== null ? { transformationRatio: m.transformationRatio } : {}) } }
                : { notEnergy: [{ municipalResource: resource!, value: m.initialValueT1 ?? "0" }] },
            },
          },
        },
      });
    }
    return { ready: [...archiving.ready, ...ready], rejected: [...archiving.rejected, ...rejected] };
  },

  batchKey: (d) => d.houseFias,

  payload: (batch) => ({ devices: batch.map((b) => ({ ...b.data.device, transportGuid: b.transportGuid }) as MeteringDeviceInput) }),

  async apply(em, _answer, matched, ctx) {
    await applyUnused(em, matched, ctx);
    await writeOutcomes(em, Meter, matched.filter((m) => m.objectId > 0), ctx, (r) => ({
      ...(r.values.MeteringDeviceGUID ? { gisRootGuid: lower(r.values.MeteringDeviceGUID) } : {}),
      ...(r.guid ? { gisVersionGuid: lower(r.guid) } : {}),
      ...(r.uniqueNumber ? { gisNumber: r.uniqueNumber } : {}),
    }));
  },

  reconcile: {
    method: "exportMeteringDeviceData",
    payload: (objects) => ({ fiasHouseGuid: objects[0].data.houseFias }),
    found(answer, objects) {
      const found = new Map<number, string>();
      const rows = meterRows(answer);
      for (const o of objects) {
        // An unused meter's archiving took effect only if GIS shows it archived.
        if (o.data.closingGuid) {
          if (rows.some((r) => r.rootGuid === o.data.closingGuid && !r.active)) found.set(o.objectId, o.data.closingGuid);
          continue;
        }
        const row = rows.find((r) => r.active && r.resourceCode === o.data.resourceCode && normalNumber(r.number) === normalNumber(o.data.factoryNumber));
        if (row) found.set(o.objectId, row.rootGuid);
      }
      return found;
    },
    result: (rootGuid) => ({ values: { MeteringDeviceGUID: rootGuid } }),
  },
};

/** Services in force under contracts for each house (a meter's service must be among them). */
async function contractedServices(ds: DataSource, houseIds: Array<number | null>): Promise<Map<number, Set<number>>> {
  const objects = await findIn(ds, ContractObject, "houseId", houseIds);
  const services = await findIn(ds, ContractObjectService, "contractObjectId", objects.map((o) => o.id));
  const houseOf = new Map(objects.map((o) => [o.id, o.houseId]));
  const out = new Map<number, Set<number>>();
  for (const s of services) {
    if (s.endDate) continue;
    const h = houseOf.get(s.contractObjectId)!;
    if (!out.has(h)) out.set(h, new Set());
    out.get(h)!.add(s.serviceId);
  }
  return out;
}

/**
 * Factory numbers used twice for one resource in one house (GIS's uniqueness rule), among the
 * houses of the meters at hand only: reading every meter of the organization for each batch made
 * the stage quadratic (a 100,000-account fund has 260,000 meters and 2,600 batches).
 */
async function duplicateNumbers(ds: DataSource, organizationId: number, houseIds: Array<number | null>): Promise<Set<string>> {
  const rows = await findIn(ds, Meter, "houseId", houseIds, { organizationId, state: "active" });
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const r of rows) {
    if (!r.factoryNumber.trim()) continue;
    const k = `${r.houseId}|${r.municipalResourceCode}|${normalNumber(r.factoryNumber)}`;
    if (seen.has(k)) dup.add(k);
    seen.add(k);
  }
  return dup;
}
