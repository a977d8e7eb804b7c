/**
 * exportMeteringDeviceHistory (device-metering): pull the readings citizens entered in their GIS personal accounts
 * («Запросить историю показаний»). They are kept apart from ours: meter_reading rows with source
 * "citizen" and externalId "gis:…", never selected for sending (importMeteringDeviceValues sends
 * source "billing" only). Runs in pull and sync modes.
 *
 * The objects are our placed meters; a request names one house (FIASHouseGuid) and up to
 * batch.receiveReadings meters of it by root GUID (the manual's «Получение данных из ГИС —
 * Показания ПУ», 1..100; the schema's maxOccurs is 100 too). GIS answers in blocks of 1000 devices
 * (PagedOutput: ExportMeteringDeviceRootGUID of the next block, or LastPage); a pipeline operation
 * is one request, so the pipeline pages on its side: no request names more than 100 devices, hence
 * every answer is one block ending in LastPage, and a house of 5,000 meters is 50 requests.
 * Should GIS ever announce a next block anyway, the journal gets a warning and the meters left out
 * are asked again by the next run (every run asks for every placed meter of the scope).
 *
 * Only readings entered since the first day of the previous month are asked for (inputDateFrom):
 * older ones are history the billing has settled (the month before the run's `ctx.now`). Readings an organization entered (ours or
 * another's) carry its orgPPAGUID and are skipped; ours are not even asked for.
 */
import { MessageLog, Meter, MeterReading } from "../../../entities";
import { identityExpr, idsByIdentity, loadAt, statusExpr, writeIdentities } from "../../storage/identity/store";
import { XNode, leaf, opt } from "../../transport/envelope/xml";
import { NsiRef, checkCount, container, list, nsiRef } from "../../transport/messages/common";
import { child, children } from "../../transport/results/safe-xml";
import { lower, valueAt } from "../../stages/answer";
import { Rejection } from "../../stages/descriptor";
import { findIn } from "../../stages/load";
import { Checks, PRE, houseLabel } from "../../stages/preflight";
import { previousMonthStart } from "../../stages/readings/periods";
import { ids, whereHouseInScope, whereObjects } from "../../stages/select";
import { nestedGuid } from "../../stages/transport-guids";
import { StateAnswer } from "../../stages/types";
import { defineMethod } from "../method";

export { previousMonthStart } from "../../stages/readings/periods";

export interface ExportMeteringDeviceHistoryInput {
  /** 0..100 houses (by FIAS GUID). */
  fiasHouseGuids?: string[];
  /** Paging: the ExportMeteringDeviceRootGUID of the previous block (blocks of ≤ 1000 meters). */
  exportMeteringDeviceRootGuid?: string;
  /** Exactly one selection, 1..100 each: meter types (NSI 27), resources (NSI 2) or meters by root GUID. */
  select: { meteringDeviceTypes: NsiRef[] } | { municipalResources: NsiRef[] } | { rootGuids: string[] };
  commissioningDateFrom?: string;
  commissioningDateTo?: string;
  searchArchived?: boolean;
  archiveDateFrom?: string;
  archiveDateTo?: string;
  /** Period of readings and verifications (by entry date). */
  inputDateFrom?: string;
  inputDateTo?: string;
  /** Leave out readings citizens entered (default: included — that is how citizens' readings are pulled). */
  excludePerson?: boolean;
  /** Leave out readings this organization entered (to pull only others'). */
  excludeCurrentOrg?: boolean;
  excludeOtherOrg?: boolean;
  /** Only readings entered through GIS's own interface, not by information systems. */
  excludeISValues?: boolean;
}

function historyBody(i: ExportMeteringDeviceHistoryInput, version: string): XNode {
  const op = "exportMeteringDeviceHistory";
  checkCount(op, "FIASHouseGuid", i.fiasHouseGuids?.length ?? 0, 0, 100);
  const s = i.select;
  const refs = (name: string, v: NsiRef[]) => {
    checkCount(op, name.slice(3), v.length, 1, 100);
    return v.map((r) => nsiRef(name, r));
  };
  const bool = (name: string, v: boolean | undefined) => (v === undefined ? null : leaf(name, v));
  return container(
    "dm:exportMeteringDeviceHistoryRequest",
    version,
    (i.fiasHouseGuids ?? []).map((g) => leaf("dm:FIASHouseGuid", g)),
    opt("dm:ExportMeteringDeviceRootGUID", i.exportMeteringDeviceRootGuid),
    "meteringDeviceTypes" in s
      ? refs("dm:MeteringDeviceType", s.meteringDeviceTypes)
      : "municipalResources" in s
        ? refs("dm:MunicipalResource", s.municipalResources)
        : list(op, "dm:MeteringDeviceRootGUID", s.rootGuids, 1, 100),
    opt("dm:CommissioningDateFrom", i.commissioningDateFrom),
    opt("dm:CommissioningDateTo", i.commissioningDateTo),
    bool("dm:SerchArchived", i.searchArchived),
    opt("dm:ArchiveDateFrom", i.archiveDateFrom),
    opt("dm:ArchiveDateTo", i.archiveDateTo),
    opt("dm:inputDateFrom", i.inputDateFrom),
    opt("dm:inputDateTo", i.inputDateTo),
    bool("dm:ExcludePersonAsDataSource", i.excludePerson),
    bool("dm:ExcludeCurrentOrgAsDataSource", i.excludeCurrentOrg),
    bool("dm:ExcludeOtherOrgAsDataSource", i.excludeOtherOrg),
    bool("dm:excludeISValues", i.excludeISValues),
  );
}

export interface HistoryData {
  fiasHouseGuid: string;
  rootGuid: string;
}

/** One current value of a pulled history row, as the model keeps it. */
export interface PulledReading {
  rootGuid: string;
  resourceCode: string | null;
  date: string;
  t1: string;
  t2: string | null;
  t3: string | null;
  period: { year: number; month: number } | null;
  enteredAt: string | null;
  /** The organization that entered it; null for a citizen. */
  enteredBy: string | null;
}

const VALUE_GROUPS = ["OneRateDeviceValue", "ElectricDeviceValue", "VolumeDeviceValue"];

/** The current values of an exportMeteringDeviceHistory answer, flattened. */
export function pulledReadings(answer: StateAnswer): PulledReading[] {
  const out: PulledReading[] = [];
  for (const row of children(answer.result, "exportMeteringDeviceHistoryResult")) {
    const rootGuid = lower(valueAt(row, "MeteringDeviceRootGUID"));
    const group = children(row).find((c) => VALUE_GROUPS.includes(c.localName));
    const values = group ? child(group, "Values") : null;
    if (!rootGuid || !values) continue;
    for (const v of children(values, "CurrentValue")) {
      const date = valueAt(v, "DateValue");
      const t1 = valueAt(v, "MeteringValue") ?? valueAt(v, "MeteringValueT1");
      if (!date || t1 === null) continue;
      const year = valueAt(v, "Period/Year");
      const month = valueAt(v, "Period/Month");
      out.push({
        rootGuid,
        resourceCode: valueAt(v, "MunicipalResource/Code"),
        date: date.slice(0, 10),
        t1,
        t2: valueAt(v, "MeteringValueT2"),
        t3: valueAt(v, "MeteringValueT3"),
        period: year && month ? { year: Number(year), month: Number(month) } : null,
        enteredAt: valueAt(v, "EnterIntoSystem"),
        enteredBy: lower(valueAt(v, "orgPPAGUID")),
      });
    }
  }
  return out;
}

/** A pulled reading's stable key: the same value pulled again is recognized (no GIS GUID comes with it). */
export const pulledExternalId = (r: PulledReading): string => `gis:${nestedGuid(r.rootGuid, `${r.date}|${r.enteredAt ?? ""}|${r.resourceCode ?? ""}`)}`;

const moment = (v: string | null): Date | null => {
  const d = v ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
};

export const exportMeteringDeviceHistory = defineMethod<ExportMeteringDeviceHistoryInput, HistoryData, PulledReading[]>({
  name: "exportMeteringDeviceHistory",
  service: "device-metering",
  element: "exportMeteringDeviceHistoryRequest",
  /**
   * base:version is required but neither fixed nor listed by the schema (both packages); GIS accepts
   * the service's base format (the value public clients send: «требование ГИС передать именно так версию»).
   */
  versions: { "16.3.0.0": "10.0.1.1", "14.4.0.1": "10.0.1.1" },
  batch: { element: "FIASHouseGuid", max: 100 },

  body: historyBody,

  read: (result) => pulledReadings({ result } as StateAnswer),

  descriptor: {
    stage: "readings",
    kind: "export",
    modes: ["pull", "sync"],
    objectType: "meter",
    batchSetting: "batch.receiveReadings",
    defaultBatch: 100,
    safeToRepeat: true,
    after: ["exportMeteringDeviceData", "importMeteringDeviceData"],

    async select(ds, scope, mode, ctx) {
      if (mode === "push") return [];
      // Active meters placed on the run's stand; a meter some operation is carrying now is left for the next run.
      const qb = ds.getRepository(Meter).createQueryBuilder("m").where("m.organizationId = :org", { org: scope.organizationId }).andWhere("m.state = 'active'");
      // … and not held archived there (GIS's state of it is that stand's own).
      const archived = identityExpr(qb, "m", "gisArchived", ctx.stand);
      qb.andWhere(`(${archived} IS NULL OR ${archived} = :notArchived)`, { notArchived: false });
      qb.andWhere(`${identityExpr(qb, "m", "gisRootGuid", ctx.stand)} IS NOT NULL`).andWhere(`${statusExpr(qb, "m", ctx.stand)} <> 'in_progress'`);
      await whereHouseInScope(qb, "m.houseId", ds, scope);
      return ids(whereObjects(qb, "m", scope), "m");
    },

    async prepare(ds, meterIds, ctx) {
      const meters = [...(await loadAt(ds, "meter", meterIds, ctx.stand)).values()];
      const houses = await loadAt(
        ds,
        "house",
        meters.map((m) => m.houseId),
        ctx.stand,
      );
      const ready: Array<{ objectId: number; data: HistoryData }> = [];
      const rejected: Rejection[] = [];
      for (const m of meters) {
        const house = m.houseId !== null ? (houses.get(m.houseId) ?? null) : null;
        const c = new Checks(m.id, [["Прибор учёта", m.factoryNumber || `№ ${m.id}`], houseLabel(house)]);
        c.fail(!m.gisRootGuid, PRE.noParentGuid, "gisRootGuid", "Отсутствует ГУИД прибора учёта (прибор не размещён в ГИС)");
        c.fail(!house?.fiasHouseGuid, PRE.noFias, "house.fiasHouseGuid", "Не указан ФИАС ГУИД дома прибора учёта");
        if (!c.ok) rejected.push(c.first);
        else ready.push({ objectId: m.id, data: { fiasHouseGuid: house!.fiasHouseGuid!.toLowerCase(), rootGuid: m.gisRootGuid!.toLowerCase() } });
      }
      return { ready, rejected };
    },

    batchKey: (d) => d.fiasHouseGuid,

    payload: (batch, ctx) => ({
      fiasHouseGuids: [batch[0].data.fiasHouseGuid],
      select: { rootGuids: batch.map((b) => b.data.rootGuid) },
      inputDateFrom: previousMonthStart(ctx.now),
      // Ours are in the billing already; citizens' (and other organizations', skipped below) are what is pulled.
      excludeCurrentOrg: true,
    }),

    // Export answers carry no TransportGUIDs: rows are matched to our meters by root GUID.
    async apply(em, answer, _matched, ctx) {
      if (!answer.result || answer.error) return;
      if (answer.nextPage) {
        // Not expected (≤100 devices asked, 1000 per block); the devices left out are asked again by the next run.
        await em.insert(MessageLog, {
          createdAt: ctx.now,
          level: "warning",
          group: "readings",
          subgroup: "exportMeteringDeviceHistory",
          author: null,
          objectType: null,
          objectId: null,
          operationId: null,
          runId: null,
          code: null,
          text: `ГИС ЖКХ вернула историю показаний не всех запрошенных приборов учёта (есть следующий блок с ${answer.nextPage.guid}); остальные будут запрошены при следующем запуске`,
        });
      }
      const pulled = pulledReadings(answer).filter((r) => r.enteredBy === null || r.enteredBy === "");
      if (pulled.length === 0) return;
      // Our meters by their root GUID on the run's stand (another stand's GUIDs name nothing here).
      const byGuid = await idsByIdentity(
        em,
        "meter",
        "gisRootGuid",
        pulled.map((r) => r.rootGuid),
        ctx.stand,
      );
      const meters = await findIn(em, Meter, "id", [...byGuid.values()].flat(), { organizationId: ctx.organizationId });
      const meterById = new Map(meters.map((m) => [m.id, m]));
      const byRoot = new Map<string, Meter>();
      for (const [root, ids] of byGuid) {
        const m = ids.map((id) => meterById.get(id)).find((x) => x !== undefined);
        if (m) byRoot.set(root.toLowerCase(), m);
      }
      const known = new Set((await findIn(em, MeterReading, "externalId", pulled.map(pulledExternalId))).map((r) => r.externalId));
      const stored: number[] = [];
      for (const r of pulled) {
        const meter = byRoot.get(r.rootGuid);
        if (!meter) continue;
        // A one-rate device may measure several resources; ours keeps one.
        if (r.resourceCode && meter.municipalResourceCode && r.resourceCode !== meter.municipalResourceCode) continue;
        const externalId = pulledExternalId(r);
        if (known.has(externalId)) continue;
        known.add(externalId);
        const inserted = await em.insert(MeterReading, {
          externalId,
          meterId: meter.id,
          readingDate: r.date,
          valueT1: r.t1,
          valueT2: r.t2,
          valueT3: r.t3,
          source: "citizen",
          // Pulled from this stand: never listed for, nor sent to, another.
          originStand: ctx.stand,
          periodYear: r.period?.year ?? null,
          periodMonth: r.period?.month ?? null,
          enteredAt: moment(r.enteredAt),
          sync: { changedAt: null },
        });
        stored.push(Number(inserted.identifiers[0].id));
      }
      // The stand they came from holds them: ok there (no GUID of their own comes with them).
      await writeIdentities(
        em,
        ctx.stand,
        stored.map((objectId) => ({ kind: "meter_reading", objectId, sync: { status: "ok", syncedAt: ctx.now } })),
      );
    },
  },
});
