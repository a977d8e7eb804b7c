/**
 * importMeteringDeviceValues (device-metering): our (billing) readings, addressed by the meter's
 * root GUID. GIS takes current readings only inside the readings window of the contract (from day N
 * to day M of the period's month or the next) and refuses others with SRV007013, so readings
 * outside the window, or dated outside the contract, are not sent. "Today" is the run's `ctx.now`
 * (one clock for the whole run). A reading whose window has closed is refused once and then left
 * out of later runs: the window does not reopen. The TransportGUID sits on each value: one
 * reading, one MeteringDevicesValues element; up to 1000 per request.
 */
import { Meter, MeterReading } from "../../../entities";
import { joinIdentity, loadAt } from "../../storage/identity/store";
import { XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { NsiRef, checkCount, container, nsiRef, transportGuid } from "../../transport/messages/common";
import { meteringValue } from "../../transport/messages/house-management";
import { lower } from "../../stages/answer";
import { ELECTRICITY_RESOURCE, NSI, NsiIndex, meterResource } from "../../stages/nsi";
import { writeOutcomes } from "../../stages/outcome";
import { Checks, PRE, houseLabel } from "../../stages/preflight";
import { Rejection } from "../../stages/descriptor";
import { ids, whereHouseInScope, whereNeedsSending, whereObjects } from "../../stages/select";
import { defineMethod } from "../method";
import { contractOn, contractsByHouse, houseDate, readingsWindow } from "./readings-window";

export { readingsWindow } from "./readings-window";

export interface OneRateReading {
  transportGuid: string;
  municipalResource: NsiRef;
  value: number | string;
  /** xs:date the reading was taken. */
  date: string;
  /** base:YearMonth: the period the current reading is for (CurrentValue only). */
  period?: { year: number; month: number };
}

export interface ElectricReading {
  transportGuid: string;
  t1: number | string;
  t2?: number | string;
  t3?: number | string;
  date: string;
  period?: { year: number; month: number };
}

export interface MeterReadingsInput {
  /** Readings are addressed by the meter's root GUID (or a version GUID). */
  rootGuid?: string;
  versionGuid?: string;
  oneRate?: { current?: OneRateReading[]; control?: OneRateReading[] };
  electric?: { current?: ElectricReading; control?: ElectricReading };
}

export interface ImportMeteringDeviceValuesInput {
  fiasHouseGuid?: string;
  /** 1..1000 meters. */
  meters: MeterReadingsInput[];
}

/** One current value of one meter; its TransportGUID comes with the batch. */
export interface ReadingData {
  rootGuid: string;
  value: { oneRate: Omit<OneRateReading, "transportGuid"> } | { electric: Omit<ElectricReading, "transportGuid"> };
}

const OP = "importMeteringDeviceValues";

function period(p: { year: number; month: number } | undefined): XNode | null {
  return p ? el("dm:Period", null, leaf("base:Year", p.year), leaf("base:Month", p.month)) : null;
}

function oneRate(name: string, r: OneRateReading, current: boolean): XNode {
  return el(
    name,
    null,
    nsiRef("metering-device-base:MunicipalResource", r.municipalResource),
    leaf("metering-device-base:MeteringValue", meteringValue(r.value)),
    leaf("dm:DateValue", r.date),
    transportGuid(r.transportGuid),
    current ? period(r.period) : null,
  );
}

function electric(name: string, r: ElectricReading, current: boolean): XNode {
  return el(
    name,
    null,
    leaf("metering-device-base:MeteringValueT1", meteringValue(r.t1)),
    r.t2 === undefined ? null : leaf("metering-device-base:MeteringValueT2", meteringValue(r.t2)),
    r.t3 === undefined ? null : leaf("metering-device-base:MeteringValueT3", meteringValue(r.t3)),
    leaf("dm:DateValue", r.date),
    transportGuid(r.transportGuid),
    current ? period(r.period) : null,
  );
}

function device(m: MeterReadingsInput): XNode {
  if (!m.rootGuid === !m.versionGuid) throw new Error(`${OP}: укажите rootGuid либо versionGuid`);
  if (!m.oneRate === !m.electric) throw new Error(`${OP}: укажите oneRate либо electric`);
  const id = m.rootGuid ? leaf("dm:MeteringDeviceRootGUID", m.rootGuid) : leaf("dm:MeteringDeviceVersionGUID", m.versionGuid!);
  if (m.oneRate) {
    checkCount(OP, "CurrentValue", m.oneRate.current?.length ?? 0, 0, 3);
    checkCount(OP, "ControlValue", m.oneRate.control?.length ?? 0, 0, 3);
    return el(
      "dm:MeteringDevicesValues",
      null,
      id,
      el(
        "dm:OneRateDeviceValue",
        null,
        (m.oneRate.current ?? []).map((r) => oneRate("dm:CurrentValue", r, true)),
        (m.oneRate.control ?? []).map((r) => oneRate("dm:ControlValue", r, false)),
      ),
    );
  }
  return el(
    "dm:MeteringDevicesValues",
    null,
    id,
    el(
      "dm:ElectricDeviceValue",
      null,
      m.electric!.current ? electric("dm:CurrentValue", m.electric!.current, true) : null,
      m.electric!.control ? electric("dm:ControlValue", m.electric!.control, false) : null,
    ),
  );
}

export const importMeteringDeviceValues = defineMethod<ImportMeteringDeviceValuesInput, ReadingData>({
  name: OP,
  service: "device-metering",
  element: "importMeteringDeviceValuesRequest",
  versions: { "16.3.0.0": "10.0.1.1", "14.4.0.1": "10.0.1.1" },
  batch: { element: "MeteringDevicesValues", max: 1000 },

  body(i, version) {
    checkCount(OP, "MeteringDevicesValues", i.meters.length, 1, 1000);
    return container("dm:importMeteringDeviceValuesRequest", version, opt("dm:FIASHouseGuid", i.fiasHouseGuid), i.meters.map(device));
  },

  descriptor: {
    stage: "readings",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "meter_reading",
    batchSetting: "batch.readings",
    defaultBatch: 1000,
    // A reading sent again is the same value for the same meter and date, not a second object: after a
    // lost answer the readings are simply sent again (no export could reconcile a batch of 1,000 meters).
    safeToRepeat: true,
    // Readings are addressed by the meter's root GUID, which placing (or finding) the meter gives.
    after: ["importMeteringDeviceData", "exportMeteringDeviceData"],

    async select(ds, scope, mode, ctx) {
      const qb = ds
        .getRepository(MeterReading)
        .createQueryBuilder("r")
        .innerJoin(Meter, "m", "m.id = r.meterId")
        .where("m.organizationId = :org", { org: scope.organizationId })
        .andWhere("r.source = 'billing'");
      await whereHouseInScope(qb, "m.houseId", ds, scope);
      // A reading whose window has closed is refused once (PRE_WINDOW_CLOSED), not every run; naming it checks it again.
      // Refused on the run's stand: another stand's refusal does not keep it from this one.
      const gi = joinIdentity(qb, "r", ctx.stand);
      if (!scope.objectIds) qb.andWhere(`(${gi}.errorCode IS NULL OR ${gi}.errorCode <> :closed)`, { closed: PRE.windowClosed });
      return ids(whereNeedsSending(whereObjects(qb, "r", scope), "r", mode, "gisGuid", ctx.stand, scope), "r");
    },

    async prepare(ds, readingIds, ctx) {
      // Readings and their meters as the run's stand knows them: a reading goes by the meter's root GUID there.
      const readings = [...(await loadAt(ds, "meter_reading", readingIds, ctx.stand)).values()];
      const meters = await loadAt(
        ds,
        "meter",
        readings.map((r) => r.meterId),
        ctx.stand,
      );
      const houses = await loadAt(
        ds,
        "house",
        [...meters.values()].map((m) => m.houseId),
        ctx.stand,
      );
      const contracts = await contractsByHouse(ds, ctx, [...houses.keys()]);
      const nsi = await NsiIndex.load(ds, [NSI.municipalResource]);
      // GIS checks the window by the house's own calendar: near midnight UTC the house may already be a day ahead.
      const fallbackZone = String(ctx.setting("gis.timeZone") ?? "Europe/Moscow");
      const out: { ready: Array<{ objectId: number; data: ReadingData }>; rejected: Rejection[] } = { ready: [], rejected: [] };
      for (const r of readings) {
        const m = meters.get(r.meterId)!;
        const house = m.houseId !== null ? (houses.get(m.houseId) ?? null) : null;
        const c = new Checks(r.id, [["Показание", `${r.valueT1} от ${r.readingDate}`], ["Прибор учёта", m.factoryNumber], houseLabel(house)]);
        const resource = meterResource(m, nsi);
        c.fail(!m.gisRootGuid, PRE.noParentGuid, "meterId", "Отсутствует ГУИД у прибора учёта (прибор не размещён в ГИС)");
        c.fail(!resource, PRE.nsi, "meter.municipalResourceCode", `Не найден коммунальный ресурс «${m.municipalResourceCode ?? ""}» в справочнике ГИС (НСИ 2)`);
        const year = r.periodYear ?? Number(r.readingDate.slice(0, 4));
        const month = r.periodMonth ?? Number(r.readingDate.slice(5, 7));
        const contract = contractOn(contracts.get(m.houseId ?? -1) ?? [], r.readingDate);
        if (!c.fail(!contract, PRE.outOfContract, "readingDate", "Дата показания вне сроков действия договора по дому")) {
          const window = readingsWindow(contract!, year, month);
          const today = houseDate(ctx.now, house?.timeZone ?? null, fallbackZone);
          const label = `${String(month).padStart(2, "0")}.${year}`;
          c.fail(!window, PRE.outOfWindow, "readingDate", "В договоре не указан период приёма показаний");
          c.fail(
            !!window && today < window[0],
            PRE.outOfWindow,
            "readingDate",
            `Показание за ${label} принимается ГИС ЖКХ только с ${window?.[0]} по ${window?.[1]}`,
          );
          c.fail(
            !!window && today > window[1],
            PRE.windowClosed,
            "readingDate",
            `Период приёма показаний за ${label} закрыт (ГИС ЖКХ принимала их с ${window?.[0]} по ${window?.[1]}): показание больше не будет отправляться`,
          );
        }
        if (!c.ok) {
          out.rejected.push(c.first);
          continue;
        }
        const p = { year, month };
        out.ready.push({
          objectId: r.id,
          data: {
            rootGuid: m.gisRootGuid!,
            value:
              resource!.code === ELECTRICITY_RESOURCE
                ? {
                    electric: {
                      t1: r.valueT1,
                      ...(r.valueT2 !== null ? { t2: r.valueT2 } : {}),
                      ...(r.valueT3 !== null ? { t3: r.valueT3 } : {}),
                      date: r.readingDate,
                      period: p,
                    },
                  }
                : { oneRate: { municipalResource: resource!, value: r.valueT1, date: r.readingDate, period: p } },
          },
        });
      }
      return out;
    },

    payload(batch) {
      return {
        meters: batch.map(
          ({ data, transportGuid: tg }): MeterReadingsInput => ({
            rootGuid: data.rootGuid,
            ...("electric" in data.value
              ? { electric: { current: { ...data.value.electric, transportGuid: tg } } }
              : { oneRate: { current: [{ ...data.value.oneRate, transportGuid: tg }] } }),
          }),
        ),
      };
    },

    async apply(em, _answer, matched, ctx) {
      await writeOutcomes(em, MeterReading, matched, ctx, (r) => (r.guid ? { gisGuid: lower(r.guid) } : {}));
    },
  },
});
