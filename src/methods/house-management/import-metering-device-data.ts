/**
 * importMeteringDeviceData (house-management): place new meters, correct placed ones
 * (DeviceDataToUpdate: all characteristics again before GIS has readings of the meter, the changed
 * ones after), archive retired ones (ArchiveDevice) and replace them (ReplaceDevice, when the
 * meter names the one that replaced it and GIS has that one). GIS demands a factory number unique
 * per resource, the meter's accounts and premise placed, and the metered service present in a
 * contract for the house. Meters are batched per house so an unknown outcome is reconciled by one
 * export of that house. With `unused: true` in the run's scope it also archives the meters GIS has
 * and we do not («Архивировать неиспользуемые ПУ», ./meters/archive-unused-meters.ts): those carry
 * negative ids. Object actions archive, forceArchive and replace: ./meters/actions.ts.
 */
import { DataSource } from "typeorm";
import { ContractObject, ContractObjectService, Meter, MeterAccount, Service } from "../../../entities";
import { findAt, identityExpr, loadAt } from "../../storage/identity/store";
import { lower } from "../../stages/answer";
import { Rejection } from "../../stages/descriptor";
import { byId, findIn, groupBy } from "../../stages/load";
import { NSI, NsiIndex } from "../../stages/nsi";
import { writeOutcomes } from "../../stages/outcome";
import { Checks, PRE, houseLabel } from "../../stages/preflight";
import { ids, whereHouseInScope, whereNeedsSending, whereObjects } from "../../stages/select";
import { defineMethod } from "../method";
import { meterRows } from "./export-metering-device-data";
import { METER_ACTIONS, selectForAction } from "./meters/actions";
import { prepareUnusedMeters, selectUnusedMeters } from "./meters/archive-unused-meters";
import { ImportMeteringDeviceInput, MeterPlacement, MeteringDeviceInfoInput, MeteringDeviceInput, importMeteringDeviceBody } from "./meters/device-message";
import { ELECTRICITY, resourceOf } from "./meters/resources";
import { applyUnused, splitIds, unusedRequested } from "./unused";

export type { ImportMeteringDeviceInput, MeteringDeviceInput } from "./meters/device-message";
export { ELECTRICITY, resourceOf } from "./meters/resources";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface MeterData {
  device: DistributiveOmit<MeteringDeviceInput, "transportGuid">;
  /** What the request does to the meter (reconcile checks the matching outcome). */
  kind: "create" | "update" | "archive";
  factoryNumber: string;
  resourceCode: string;
  houseFias: string;
  /** The meter's root GUID in GIS, when GIS has it. */
  rootGuid?: string;
  /** Set when archiving a meter only GIS has (an unused one): its root GUID. */
  closingGuid?: string;
}

const normalNumber = (n: string) => n.trim().toUpperCase();

export const importMeteringDeviceData = defineMethod<ImportMeteringDeviceInput, MeterData>({
  name: "importMeteringDeviceData",
  service: "house-management",
  element: "importMeteringDeviceDataRequest",
  versions: { "16.3.0.0": "11.1.0.8", "14.4.0.1": "11.1.0.8" },
  batch: { element: "MeteringDevice", max: 100 },

  body: importMeteringDeviceBody,

  descriptor: {
    stage: "meters",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "meter",
    batchSetting: "batch.meters",
    defaultBatch: 100,
    safeToRepeat: false,
    after: ["importAccountData"],
    actions: [...METER_ACTIONS],

    async select(ds, scope, mode, ctx) {
      if (scope.action && (METER_ACTIONS as readonly string[]).includes(scope.action)) return selectForAction(ds, scope, ctx);
      const qb = ds.getRepository(Meter).createQueryBuilder("m").where("m.organizationId = :org", { org: scope.organizationId });
      // The run's stand: a meter placed on another stand is still to be placed on this one.
      const root = identityExpr(qb, "m", "gisRootGuid", ctx.stand);
      const version = identityExpr(qb, "m", "gisVersionGuid", ctx.stand);
      // Placing an already retired meter is pointless; archiving needs one GIS has; a placed active one changed here is corrected.
      qb.andWhere(
        `((m.state = 'active' AND ${root} IS NULL) OR (m.state = 'archived' AND ${version} IS NOT NULL) OR (m.state = 'active' AND ${version} IS NOT NULL))`,
      );
      // A meter the stand holds archived is done with there, whatever our state of it.
      const archived = identityExpr(qb, "m", "gisArchived", ctx.stand);
      qb.andWhere(`(${archived} IS NULL OR ${archived} = :notArchived)`, { notArchived: false });
      await whereHouseInScope(qb, "m.houseId", ds, scope);
      const own = await ids(whereNeedsSending(whereObjects(qb, "m", scope), "m", mode === "sync" ? "push" : mode, null, ctx.stand, scope), "m");
      return unusedRequested(scope, mode) ? [...(await selectUnusedMeters(ds, scope, ctx.stand)), ...own] : own;
    },

    async prepare(ds, allIds, ctx) {
      const { ours: meterIds, unused } = splitIds(allIds);
      const archiving = await prepareUnusedMeters(ds, unused);
      // The meters and what they refer to, as the run's stand knows them (its GUIDs).
      const meters = [...(await loadAt(ds, "meter", meterIds, ctx.stand)).values()];
      const houses = await loadAt(
        ds,
        "house",
        meters.map((m) => m.houseId),
        ctx.stand,
      );
      const premises = await loadAt(
        ds,
        "premise",
        meters.map((m) => m.premiseId),
        ctx.stand,
      );
      const rooms = await loadAt(
        ds,
        "room",
        meters.map((m) => m.roomId),
        ctx.stand,
      );
      const links = groupBy(await findIn(ds, MeterAccount, "meterId", meterIds), (l) => l.meterId);
      const accounts = await loadAt(
        ds,
        "account",
        [...links.values()].flat().map((l) => l.accountId),
        ctx.stand,
      );
      const nsi = await NsiIndex.load(ds, [NSI.municipalResource, NSI.meterArchiveReason]);
      const contracted = await contractedServices(
        ds,
        meters.map((m) => m.houseId),
      );
      const duplicates = await duplicateNumbers(
        ds,
        ctx.organizationId,
        meters.map((m) => m.houseId),
      );
      const services = await byId(
        ds,
        Service,
        meters.map((m) => m.serviceId),
      );
      const replacing = await loadAt(
        ds,
        "meter",
        meters.map((m) => (m.state === "archived" ? m.replacedByMeterId : null)),
        ctx.stand,
      );
      const withReadings = await readingsInGis(
        ds,
        meters.filter((m) => m.state === "active" && m.gisVersionGuid).map((m) => m.id),
        ctx.stand,
      );
      const ready: Array<{ objectId: number; data: MeterData }> = [];
      const rejected: Rejection[] = [];
      for (const m of meters) {
        const house = m.houseId !== null ? (houses.get(m.houseId) ?? null) : null;
        const c = new Checks(m.id, [["Прибор учёта", m.factoryNumber || `№ ${m.id}`], houseLabel(house)]);
        const resource = resourceOf(m, nsi);
        const accountGuids = (links.get(m.id) ?? []).map((l) => accounts.get(l.accountId)?.gisAccountGuid ?? null);
        const keys = {
          factoryNumber: m.factoryNumber,
          resourceCode: m.municipalResourceCode ?? "",
          houseFias: house?.fiasHouseGuid ?? "",
          ...(m.gisRootGuid ? { rootGuid: m.gisRootGuid } : {}),
        };
        if (m.state === "archived") {
          const reason = nsi.byCode(NSI.meterArchiveReason, m.archiveReasonCode);
          const next = m.replacedByMeterId !== null ? replacing.get(m.replacedByMeterId) : undefined;
          if (m.replacedByMeterId !== null) {
            // A replacement names the new meter's version: GIS must have it before the old one goes.
            c.fail(
              !next?.gisVersionGuid,
              PRE.noParentGuid,
              "replacedByMeterId",
              `Новый прибор учёта ${next?.factoryNumber ?? `№ ${m.replacedByMeterId}`} ещё не размещён в ГИС ЖКХ: разместите его, затем повторите замену`,
            );
            if (m.archiveReasonCode)
              c.fail(
                !reason,
                PRE.nsi,
                "archiveReasonCode",
                `Не найдена причина выхода прибора учёта из строя «${m.archiveReasonCode}» в справочнике ГИС (НСИ 224)`,
              );
          } else c.fail(!reason, PRE.nsi, "archiveReasonCode", `Не найдена причина архивации «${m.archiveReasonCode ?? ""}» в справочнике ГИС (НСИ 224)`);
          if (!c.ok) rejected.push(c.first);
          else if (next) {
            ready.push({
              objectId: m.id,
              data: {
                kind: "archive",
                ...keys,
                device: {
                  versionGuid: m.gisVersionGuid!,
                  replace: {
                    verificationDate: m.archivedDate ?? ctx.now.toISOString().slice(0, 10),
                    ...(reason ? { unplannedReason: reason } : {}),
                    replacingVersionGuid: next.gisVersionGuid!,
                  },
                },
              },
            });
          } else ready.push({ objectId: m.id, data: { kind: "archive", ...keys, device: { versionGuid: m.gisVersionGuid!, archive: { reason: reason! } } } });
          continue;
        }
        c.fail(!m.factoryNumber.trim(), PRE.noNumber, "factoryNumber", "Не указан заводской номер прибора учёта");
        c.fail(
          duplicates.has(`${m.houseId}|${m.municipalResourceCode}|${normalNumber(m.factoryNumber)}`),
          PRE.duplicate,
          "factoryNumber",
          "Заводской номер уже есть у другого действующего прибора учёта того же ресурса в этом доме (ГИС ЖКХ не допускает двух)",
        );
        c.fail(!resource, PRE.nsi, "municipalResourceCode", `Не найден коммунальный ресурс «${m.municipalResourceCode ?? ""}» в справочнике ГИС (НСИ 2)`);
        c.fail(!house?.fiasHouseGuid, PRE.noFias, "house.fiasHouseGuid", "Не указан ФИАС ГУИД дома");
        c.fail(
          m.serviceId === null || !contracted.get(m.houseId ?? -1)?.has(m.serviceId),
          PRE.noService,
          "serviceId",
          `Услуга «${m.serviceId !== null ? (services.get(m.serviceId)?.name ?? "") : ""}» прибора учёта отсутствует в договоре по дому`,
        );
        if (m.meterType !== "common_house") {
          c.fail(accountGuids.length === 0, PRE.noPlace, "meter_account", "Прибор учёта не привязан к лицевому счёту");
          c.fail(
            accountGuids.some((g) => !g),
            PRE.noParentGuid,
            "meter_account",
            "Отсутствует ГУИД у лицевого счёта прибора учёта",
          );
        }
        const placeGuid = m.roomId !== null ? rooms.get(m.roomId)?.gisGuid : m.premiseId !== null ? premises.get(m.premiseId)?.gisGuid : undefined;
        if (m.roomId !== null || m.premiseId !== null)
          c.fail(!placeGuid, PRE.noParentGuid, "premiseId", "Отсутствует ГУИД у помещения или комнаты прибора учёта");
        if (!c.ok) {
          rejected.push(c.first);
          continue;
        }
        const premise = m.premiseId !== null ? premises.get(m.premiseId) : undefined;
        const guids = accountGuids as string[];
        const placement: MeterPlacement =
          m.meterType === "common_house"
            ? { kind: "collective", fiasHouseGuids: [house!.fiasHouseGuid!] }
            : m.roomId !== null
              ? { kind: "livingRoom", livingRoomGuids: [placeGuid!], accountGuids: guids }
              : premise
                ? {
                    kind:
                      m.meterType === "collective" ? "collectiveApartment" : premise.kind === "residential" ? "residentialPremise" : "nonResidentialPremise",
                    premiseGuids: [placeGuid!],
                    accountGuids: guids,
                  }
                : { kind: "apartmentHouse", fiasHouseGuids: [house!.fiasHouseGuid!], accountGuids: guids };
        const info: MeteringDeviceInfoInput = {
          number: m.factoryNumber,
          ...(m.brand ? { stamp: m.brand } : {}),
          ...(m.model ? { model: m.model } : {}),
          ...(m.installedDate ? { installationDate: m.installedDate } : {}),
          ...(m.commissionedDate ? { commissioningDate: m.commissionedDate } : {}),
          ...(m.lastVerificationDate ? { firstVerificationDate: m.lastVerificationDate } : {}),
          remoteMetering: m.remoteReading,
          temperatureSensor: false,
          pressureSensor: false,
          placement,
          resources:
            resource!.code === ELECTRICITY
              ? {
                  energy: {
                    t1: m.initialValueT1 ?? "0",
                    ...(m.tariffCount >= 2 ? { t2: m.initialValueT2 ?? "0" } : {}),
                    ...(m.tariffCount >= 3 ? { t3: m.initialValueT3 ?? "0" } : {}),
                    ...(m.transformationRatio !== null ? { transformationRatio: m.transformationRatio } : {}),
                  },
                }
              : { notEnergy: [{ municipalResource: resource!, value: m.initialValueT1 ?? "0" }] },
        };
        const base = {
          factoryNumber: m.factoryNumber,
          resourceCode: resource!.code,
          houseFias: house!.fiasHouseGuid!,
          ...(m.gisRootGuid ? { rootGuid: m.gisRootGuid } : {}),
        };
        if (!m.gisVersionGuid) ready.push({ objectId: m.id, data: { kind: "create", ...base, device: { create: info } } });
        // Placed: all characteristics again while GIS has no readings of it, only the changeable ones after.
        else if (!withReadings.has(m.id))
          ready.push({ objectId: m.id, data: { kind: "update", ...base, device: { versionGuid: m.gisVersionGuid, updateBefore: info } } });
        else {
          ready.push({
            objectId: m.id,
            data: {
              kind: "update",
              ...base,
              device: {
                versionGuid: m.gisVersionGuid,
                updateAfter: {
                  number: info.number,
                  ...(info.stamp ? { stamp: info.stamp } : {}),
                  ...(info.model ? { model: info.model } : {}),
                  ...(info.installationDate ? { installationDate: info.installationDate } : {}),
                  ...(info.commissioningDate ? { commissioningDate: info.commissioningDate } : {}),
                  remoteMetering: info.remoteMetering,
                  ...(m.meterType !== "common_house" ? { accountGuids: guids } : {}),
                  ...(info.firstVerificationDate ? { firstVerificationDate: info.firstVerificationDate } : {}),
                },
              },
            },
          });
        }
      }
      return { ready: [...archiving.ready, ...ready], rejected: [...archiving.rejected, ...rejected] };
    },

    batchKey: (d) => d.houseFias,

    payload: (batch) => ({ devices: batch.map((b) => ({ ...b.data.device, transportGuid: b.transportGuid }) as MeteringDeviceInput) }),

    async apply(em, _answer, matched, ctx) {
      await applyUnused(em, matched, ctx);
      await writeOutcomes(
        em,
        Meter,
        matched.filter((m) => m.objectId > 0),
        ctx,
        (r) => ({
          ...(r.values.MeteringDeviceGUID ? { gisRootGuid: lower(r.values.MeteringDeviceGUID) } : {}),
          ...(r.guid ? { gisVersionGuid: lower(r.guid) } : {}),
          ...(r.uniqueNumber ? { gisNumber: r.uniqueNumber } : {}),
        }),
      );
    },

    reconcile: {
      method: "exportMeteringDeviceData",
      payload: (objects) => ({ fiasHouseGuid: objects[0].data.houseFias }),
      found(answer, objects) {
        const found = new Map<number, string>();
        const rows = meterRows(answer);
        for (const o of objects) {
          // An archiving (of an unused meter or of ours) took effect only if GIS shows the meter archived.
          const archived = o.data.closingGuid ?? (o.data.kind === "archive" ? o.data.rootGuid : undefined);
          if (archived || o.data.kind === "archive") {
            if (archived && rows.some((r) => r.rootGuid === archived && !r.active)) found.set(o.objectId, archived);
            continue;
          }
          // A correction took effect only if GIS has a version other than the one it was sent against.
          if (o.data.kind === "update" && "versionGuid" in o.data.device) {
            const sentFor = o.data.device.versionGuid;
            const row = rows.find((r) => r.active && r.rootGuid === o.data.rootGuid && r.versionGuid !== sentFor);
            if (row) found.set(o.objectId, row.rootGuid);
            continue;
          }
          const row = rows.find((r) => r.active && r.resourceCode === o.data.resourceCode && normalNumber(r.number) === normalNumber(o.data.factoryNumber));
          if (row) found.set(o.objectId, row.rootGuid);
        }
        return found;
      },
      result: (rootGuid) => ({ values: { MeteringDeviceGUID: rootGuid } }),
    },
  },
});

/**
 * Meters the stand may already have readings of (sent by us or taken from it): their characteristics
 * change as "after readings". A reading an operation has carried counts too — in flight, or its
 * answer lost —: GIS may hold it, and UpdateBeforeDevicesValues would then be refused (SRV006005),
 * while the "after" change is taken either way.
 */
async function readingsInGis(ds: DataSource, meterIds: number[], stand: string): Promise<Set<number>> {
  const rows = await findAt(ds, "meter_reading", "meterId", meterIds, stand);
  return new Set(rows.filter((r) => r.gisGuid || r.sync.status === "ok" || r.sync.status === "in_progress" || r.sync.lastOperationId).map((r) => r.meterId));
}

/** Services in force under contracts for each house (a meter's service must be among them). */
async function contractedServices(ds: DataSource, houseIds: Array<number | null>): Promise<Map<number, Set<number>>> {
  const objects = await findIn(ds, ContractObject, "houseId", houseIds);
  const services = await findIn(
    ds,
    ContractObjectService,
    "contractObjectId",
    objects.map((o) => o.id),
  );
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
  const rows = await findIn(ds, Meter, "houseId", houseIds, { organizationId, state: "active" }, ["houseId", "municipalResourceCode", "factoryNumber"]);
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
