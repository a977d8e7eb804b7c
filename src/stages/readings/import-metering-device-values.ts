/**
 * importMeteringDeviceValues: our (billing) readings, addressed by the meter's root GUID. GIS takes
 * current readings only inside the readings window of the contract (from day N to day M of the
 * period's month or the next) and refuses others with SRV007013, so readings outside the window,
 * or dated outside the contract, are not sent. A reading whose window has closed is refused once
 * and then left out of later runs: the window does not reopen. The TransportGUID sits on each value: one reading,
 * one MeteringDevicesValues element.
 */
import { Contract, ContractObject, House, Meter, MeterReading } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { ElectricReading, MeterReadingsInput, OneRateReading } from "../../transport/messages/device-metering";
import { lower } from "../answer";
import { MethodDescriptor, Rejection, StageContext } from "../descriptor";
import { byId, findIn, groupBy } from "../load";
import { NSI, NsiIndex } from "../nsi";
import { writeOutcomes } from "../outcome";
import { Checks, PRE, houseLabel } from "../preflight";
import { ids, whereHouseInScope, whereNeedsSending, whereObjects } from "../select";
import { ELECTRICITY, resourceOf } from "../meters/import-metering-device-data";

/** One current value of one meter; its TransportGUID comes with the batch. */
export interface ReadingData {
  rootGuid: string;
  value: { oneRate: Omit<OneRateReading, "transportGuid"> } | { electric: Omit<ElectricReading, "transportGuid"> };
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const dateOf = (year: number, month: number, dayOfMonth: number) => {
  // Day 31 in a 30-day month means its last day.
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day(new Date(Date.UTC(year, month - 1, Math.min(dayOfMonth, last))));
};

/** The readings window of a period under a contract, as [from, to] dates; null when the contract sets none. */
export function readingsWindow(c: Contract, year: number, month: number): [string, string] | null {
  if (c.readingsFromDay === null || c.readingsToDay === null) return null;
  const shift = (next: boolean): [number, number] => (next ? (month === 12 ? [year + 1, 1] : [year, month + 1]) : [year, month]);
  const [fy, fm] = shift(c.readingsFromNextMonth);
  const [ty, tm] = shift(c.readingsToNextMonth);
  return [dateOf(fy, fm, c.readingsFromDay), dateOf(ty, tm, c.readingsToDay)];
}

/** The organization's contract covering the house on the date. */
function contractOn(contracts: Contract[], date: string): Contract | undefined {
  return contracts.find((c) => (!c.effectiveDate || c.effectiveDate <= date) && (!(c.terminationDate ?? c.plannedEndDate) || date <= (c.terminationDate ?? c.plannedEndDate)!));
}

export const importMeteringDeviceValues: MethodDescriptor<OperationInputs["importMeteringDeviceValues"], ReadingData> = {
  method: "importMeteringDeviceValues",
  stage: "readings",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "meter_reading",
  batchSetting: "batch.readings",
  defaultBatch: 1000,
  // A reading sent again is the same value for the same meter and date, not a second object: after a
  // lost answer the readings are simply sent again (no export could reconcile a batch of 1,000 meters).
  safeToRepeat: true,
  after: ["importMeteringDeviceData", "exportMeteringDeviceData"],

  async select(ds, scope, mode) {
    const qb = ds.getRepository(MeterReading).createQueryBuilder("r").innerJoin(Meter, "m", "m.id = r.meterId")
      .where("m.organizationId = :org", { org: scope.organizationId }).andWhere("r.source = 'billing'");
    await whereHouseInScope(qb, "m.houseId", ds, scope);
    // A reading whose window has closed is refused once (PRE_WINDOW_CLOSED), not every run; naming it checks it again.
    if (!scope.objectIds) qb.andWhere("(r.sync.errorCode IS NULL OR r.sync.errorCode <> :closed)", { closed: PRE.windowClosed });
    return ids(whereNeedsSending(whereObjects(qb, "r", scope), "r", mode, "gisGuid"), "r");
  },

  async prepare(ds, readingIds, ctx) {
    const readings = [...(await byId(ds, MeterReading, readingIds)).values()];
    const meters = await byId(ds, Meter, readings.map((r) => r.meterId));
    const houses = await byId(ds, House, [...meters.values()].map((m) => m.houseId));
    const contracts = await contractsByHouse(ds, ctx, [...houses.keys()]);
    const nsi = await NsiIndex.load(ds, [NSI.municipalResource]);
    const today = day(ctx.now);
    const ready: Array<{ objectId: number; data: ReadingData }> = [];
    const rejected: Rejection[] = [];
    for (const r of readings) {
      const m = meters.get(r.meterId)!;
      const house = m.houseId !== null ? houses.get(m.houseId) ?? null : null;
      const c = new Checks(r.id, [["Показание", `${r.valueT1} от ${r.readingDate}`], ["Прибор учёта", m.factoryNumber], houseLabel(house)]);
      const resource = resourceOf(m, nsi);
      c.fail(!m.gisRootGuid, PRE.noParentGuid, "meterId", "Отсутствует ГУИД у прибора учёта (прибор не размещён в ГИС)");
      c.fail(!resource, PRE.nsi, "meter.municipalResourceCode", `Не найден коммунальный ресурс «${m.municipalResourceCode ?? ""}» в справочнике ГИС (НСИ 2)`);
      const year = r.periodYear ?? Number(r.readingDate.slice(0, 4));
      const month = r.periodMonth ?? Number(r.readingDate.slice(5, 7));
      const contract = contractOn(contracts.get(m.houseId ?? -1) ?? [], r.readingDate);
      if (!c.fail(!contract, PRE.outOfContract, "readingDate", "Дата показания вне сроков действия договора по дому")) {
        const window = readingsWindow(contract!, year, month);
        const label = `${String(month).padStart(2, "0")}.${year}`;
        c.fail(!window, PRE.outOfWindow, "readingDate", "В договоре не указан период приёма показаний");
        c.fail(!!window && today < window[0], PRE.outOfWindow, "readingDate", `Показание за ${label} принимается ГИС ЖКХ только с ${window?.[0]} по ${window?.[1]}`);
        c.fail(!!window && today > window[1], PRE.windowClosed, "readingDate",
          `Период приёма показаний за ${label} закрыт (ГИС ЖКХ принимала их с ${window?.[0]} по ${window?.[1]}): показание больше не будет отправляться`);
      }
      if (!c.ok) {
        rejected.push(c.first);
        continue;
      }
      const period = { year, month };
      ready.push({
        objectId: r.id,
        data: {
          rootGuid: m.gisRootGuid!,
          value: resource!.code === ELECTRICITY
            ? { electric: { t1: r.valueT1, ...(r.valueT2 !== null ? { t2: r.valueT2 } : {}), ...(r.valueT3 !== null ? { t3: r.valueT3 } : {}), date: r.readingDate, period } }
            : { oneRate: { municipalResource: resource!, value: r.valueT1, date: r.readingDate, period } },
        },
      });
    }
    return { ready, rejected };
  },

  payload(batch) {
    return {
      meters: batch.map(({ data, transportGuid }): MeterReadingsInput => ({
        rootGuid: data.rootGuid,
        ...("electric" in data.value
          ? { electric: { current: { ...data.value.electric, transportGuid } } }
          : { oneRate: { current: [{ ...data.value.oneRate, transportGuid }] } }),
      })),
    };
  },

  async apply(em, _answer, matched, ctx) {
    await writeOutcomes(em, MeterReading, matched, ctx, (r) => (r.guid ? { gisGuid: lower(r.guid) } : {}));
  },
};

/** The organization's contracts for each house. */
async function contractsByHouse(ds: Parameters<typeof byId>[0], ctx: StageContext, houseIds: number[]): Promise<Map<number, Contract[]>> {
  const objects = await findIn(ds, ContractObject, "houseId", houseIds);
  const contracts = await byId(ds, Contract, objects.map((o) => o.contractId));
  const out = new Map<number, Contract[]>();
  for (const [houseId, os] of groupBy(objects, (o) => o.houseId)) {
    out.set(houseId, os.map((o) => contracts.get(o.contractId)!).filter((c) => c && c.organizationId === ctx.organizationId));
  }
  return out;
}
