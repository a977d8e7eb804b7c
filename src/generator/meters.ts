/** Meters and their monthly readings (with the deliberately broken readings). */
import { BrokenKind } from "./model";
import { HEATING_MONTHS, METERING, ServiceDef } from "./catalog";
import { addDays, fixed, ymd } from "./format";
import { METER_MODELS } from "./ru-data";
import { GenState, MeterState } from "./state";

export function writeMeter(
  g: GenState,
  o: {
    /** The meter's organization (bundle id). */
    org: string;
    houseId: string;
    premiseId: string;
    roomId: string;
    resource: string;
    svc: ServiceDef;
    type: string;
    ownerAcc: number;
    shares: number;
    built: number;
    perMonth: [number, number];
    tariffs: number;
  },
): MeterState {
  const r = g.rnd;
  const id = `M${++g.n.meter}`;
  const [brand, model, interval] = r.pick(METER_MODELS[o.resource]);
  const scale = METERING[o.resource].scale;
  const y0 = g.periods[0].year;
  const installed = ymd(r.int(Math.min(Math.max(o.built + 1, y0 - Math.floor(interval / 12) + 1, 2008), y0 - 1), y0 - 1), r.int(1, 12), r.int(1, 28));
  const t1 = r.int(10, 4000) * 10 ** scale + r.int(0, 10 ** scale - 1);
  const t2 = o.tariffs === 2 ? r.int(10, 2000) * 10 ** scale : -1;
  let factory = String(r.int(10000000, 999999999));
  const broken = g.targets.has("meter_empty_factory_number", o.ownerAcc) && o.ownerAcc >= 0 && !g.meterBrokenFor.has(o.ownerAcc);
  if (broken) {
    factory = "";
    g.meterBrokenFor.add(o.ownerAcc);
  }
  const line = g.writers.meters.obj({
    id,
    organization_id: o.org,
    factory_number: factory,
    meter_type: o.type,
    service_id: o.svc.id,
    municipal_resource_code: o.resource,
    model,
    brand,
    installed_date: installed,
    commissioned_date: addDays(installed, r.int(0, 14)),
    verification_date: installed,
    verification_interval_months: interval,
    factory_sealed: "1",
    tariff_count: o.tariffs,
    remote_reading: r.chance(0.1) ? "1" : "0",
    transformation_ratio: "",
    initial_value_t1: fixed(t1, scale),
    initial_value_t2: t2 >= 0 ? fixed(t2, scale) : "",
    initial_value_t3: "",
    house_id: o.houseId,
    premise_id: o.premiseId,
    room_id: o.roomId,
    state: "active",
    archive_reason_code: "",
    archived_date: "",
  });
  if (broken) g.markBroken("meter_empty_factory_number", line, id, factory);
  return {
    id,
    resource: o.resource,
    scale,
    t1,
    t2,
    delta: 0,
    perMonth: o.perMonth,
    ownerAcc: o.ownerAcc,
    shares: o.shares,
    lastWrittenT1: t1,
    brokenMonths: null,
  };
}

/**
 * One month of the meters' readings: period `mi` of g.periods, or (dated from today) mi =
 * periods.length for this month's readings. A bundle dated from today writes only those: the months
 * before count consumption for the bills, but their readings windows have closed (GIS refuses them),
 * so they are not in the bundle (`write` false).
 */
export function writeReadings(g: GenState, meters: MeterState[], mi: number, write = true): void {
  const r = g.rnd;
  const c = g.dated;
  const { year, month } = mi < g.periods.length ? g.periods[mi] : c!.readingPeriod;
  const day = c && mi === g.periods.length ? ymd(year, month, r.int(c.fromDay, Number(c.today.slice(8, 10)))) : ymd(year, month, r.int(20, 25));
  const w = g.writers.readings;
  for (let i = 0; i < meters.length; i++) {
    const m = meters[i];
    let d = r.int(m.perMonth[0], m.perMonth[1]);
    if (m.resource === "5" && !HEATING_MONTHS.has(month)) d = Math.floor(d / 20);
    m.delta = d;
    m.t1 += m.t2 >= 0 ? Math.round(d * 0.7) : d;
    if (m.t2 >= 0) m.t2 += d - Math.round(d * 0.7);
    if (!write) continue;
    const id = `R${++g.n.reading}`;
    let v1 = fixed(m.t1, m.scale);
    let kind: BrokenKind | null = null;
    if (m.ownerAcc >= 0 && g.brokenOn) {
      const t = g.targets;
      const n = g.periods.length;
      // Dated from today, a bundle has one month of readings: the broken ones land in it (a decreasing one needs an earlier reading).
      const last = c ? n : n - 1;
      const middle = c ? n : Math.floor((n - 1) / 2);
      const free = (k: number) => !(m.brokenMonths?.has(k) ?? false);
      const pickMeter = (shift: number) => {
        const own = meters.filter((x) => x.ownerAcc === m.ownerAcc);
        return own[shift % own.length] === m;
      };
      if (t.has("reading_negative", m.ownerAcc) && mi === last && pickMeter(0) && free(mi)) kind = "reading_negative";
      else if (t.has("reading_not_numeric", m.ownerAcc) && mi === middle && pickMeter(1) && free(mi)) kind = "reading_not_numeric";
      else if (!c && n >= 2 && t.has("reading_decreasing", m.ownerAcc) && mi === Math.max(1, n - 2) && pickMeter(2) && free(mi) && free(mi - 1)) {
        kind = "reading_decreasing";
      }
      if (kind === "reading_negative") v1 = "-" + v1;
      else if (kind === "reading_not_numeric") v1 = "н/д";
      else if (kind === "reading_decreasing") v1 = fixed(Math.floor(m.lastWrittenT1 / 2), m.scale);
      if (kind) (m.brokenMonths ??= new Set()).add(mi);
    }
    const line = w.raw(`${id};${m.id};${day};${v1};${m.t2 >= 0 ? fixed(m.t2, m.scale) : ""};;${year};${month}`);
    if (kind) g.markBroken(kind, line, id, v1);
    m.lastWrittenT1 = m.t1;
  }
}
