/**
 * importMeteringDeviceValues on the stand. A reading is addressed by the meter's root GUID (or its
 * current version GUID); each value carries its own TransportGUID and succeeds or fails on its own.
 * Current readings must fall inside the readings window: GIS accepts current readings for a month
 * only on certain days of that month, in the house's time zone (SRV007013 otherwise, text as in the
 * manual's example: "…за 9 2017 г. … возможна в период с 23.09.2017 по 25.09.2017 …"); control and
 * verification values are accepted any day. The same meter, kind, date and resource entered again
 * replaces the earlier value — the stand never holds two. A second current reading of a meter for a
 * month it already has one for (another date) is kept, as GIS keeps it, and recorded as a duplicate:
 * a client re-sending one reading must never make two.
 *
 * Codes: INT002000 — unknown meter; SRV006003 — archived meter; SRV007013 — outside the window.
 */
import { XNode } from "../../../transport/envelope/xml";
import { MeterRow, ReadingRow, tables } from "../../domain/state";
import { child, children, lower, must, nsiRefOf, pack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS, GisErrorText, STAND, readingsWindowClosed } from "../../rules/codes";
import { Outcome, attempt, flatResults, refuse, stamp } from "../../rules/results";
import { StandRules, standRules } from "../../rules/settings";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";
import { KINDS, NOT_BASE, VALUE_KINDS } from "./values";

const dd = (n: number) => String(n).padStart(2, "0");

/** Null when a current reading for `year`/`month` may be entered at `received`; else the SRV007013 error. */
function outsideWindow(rules: StandRules, received: Date, year: number, month: number, collective: boolean): GisErrorText | null {
  const w = rules.readingsWindow;
  if (w === "always") return null;
  const local = new Date(received.getTime() + rules.houseUtcOffsetHours * 3600_000);
  const inMonth = local.getUTCFullYear() === year && local.getUTCMonth() + 1 === month;
  const day = local.getUTCDate();
  if (inMonth && day >= w.fromDay && day <= w.toDay) return null;
  const date = (d: number) => `${dd(d)}.${dd(month)}.${year}`;
  const offset = rules.houseUtcOffsetHours;
  const utc = `UTC${offset >= 0 ? "+" : "-"}${Math.abs(offset)}`;
  return readingsWindowClosed(collective, month, year, date(w.fromDay), date(w.toDay), utc);
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const rules = standRules(store);
  const now = stamp(req.received);
  const out: Outcome[] = [];
  for (const device of children(req.body, "MeteringDevicesValues")) {
    const root = lower(val(device, "MeteringDeviceRootGUID")) ?? t.meterByVersion.get(lower(val(device, "MeteringDeviceVersionGUID")) ?? "")?.rootGuid ?? "";
    const meter: MeterRow | undefined = t.meters.get(root);
    const group = children(device).find((c) => c.localName in KINDS)!;
    for (const v of children(group).filter((c) => c.localName in VALUE_KINDS)) {
      out.push(
        attempt(must(v, "TransportGUID"), () => {
          if (!meter) refuse(GIS.notFound("прибор учета", val(device, "MeteringDeviceRootGUID") ?? val(device, "MeteringDeviceVersionGUID") ?? ""));
          if (meter.status === "Archival") refuse(STAND.meterArchived());
          const kind = VALUE_KINDS[v.localName as keyof typeof VALUE_KINDS];
          const date = val(v, "DateValue") ?? val(v, "EndDateValue") ?? now.slice(0, 10);
          const period = child(v, "Period");
          const year = Number(val(period, "Year") ?? date.slice(0, 4));
          const month = Number(val(period, "Month") ?? date.slice(5, 7));
          if (kind === "current") {
            const closed = outsideWindow(rules, req.received, year, month, meter.collective);
            if (closed) refuse(closed);
          }
          const resource = nsiRefOf(v, "MunicipalResource")?.code ?? "";
          const key = `${meter.rootGuid}|${kind}|${date}|${resource}`;
          if (kind === "current") {
            const periodKey = `${meter.rootGuid}|${year}-${dd(month)}|${resource}`;
            const prior = t.currentReadingByPeriod.get(periodKey)?.key;
            if (prior && prior !== key && t.readings.has(prior)) store.duplicate("показание", `${meter.rootGuid} за ${dd(month)}.${year}`);
            t.currentReadingByPeriod.set(periodKey, { key });
          }
          const existing = t.readings.get(key);
          const row: ReadingRow = {
            guid: existing?.guid ?? store.guid(),
            meterRootGuid: meter.rootGuid,
            org,
            kind,
            value: pack([v], NOT_BASE),
            valueKind: KINDS[group.localName as keyof typeof KINDS],
            dateValue: date,
            entered: now,
          };
          t.readings.set(key, row);
          return { guid: row.guid, updateDate: now };
        }),
      );
    }
  }
  return flatResults("dm", out);
}

export const importMeteringDeviceValues = defineStandMethod({
  service: "device-metering",
  operation: "importMeteringDeviceValues",
  resultPrefix: "dm",
  resultVersion: "10.0.1.1",
  handle,
});
