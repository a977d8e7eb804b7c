/**
 * Readings (importMeteringDeviceValues, exportMeteringDeviceHistory). A reading is addressed by the
 * meter's root GUID (or its current version GUID); each value carries its own TransportGUID and
 * succeeds or fails on its own. Current readings must fall inside the readings window; control and
 * verification values are accepted any day. The same meter, kind, date and resource entered again
 * replaces the earlier value — the stand never holds two.
 *
 * Codes: INT002000 — unknown meter; SRV006003 — archived meter; SRV007013 — outside the window
 * (GIS's text); INT002012 — nothing to export. History comes in blocks of 1000 meters
 * (PagedOutput/ExportMeteringDeviceRootGUID, then LastPage).
 */
import { XNode, el, leaf } from "../../transport/envelope/xml";
import { MeterRow, ReadingRow, tables } from "../domain/state";
import { child, children, lower, must, nsiRefOf, text, pack, unpack, val } from "../domain/xml-read";
import { sender } from "../domain/request";
import { GIS, STAND } from "./codes";
import { pageFrom } from "./paging";
import { outsideWindow } from "./readings-window";
import { Outcome, attempt, flatResults, refuse, stamp } from "./results";
import { standRules } from "./settings";
import { StandError, StandRequest, StandStore } from "../types";

const DEVICES_PER_PAGE = 1000;
const KINDS = { OneRateDeviceValue: "OneRate", ElectricDeviceValue: "Electric", VolumeDeviceValue: "Volume" } as const;
const VALUE_KINDS = { CurrentValue: "current", ControlValue: "control", VerificationValue: "verification" } as const;
/** What the import adds to a value and the export writes its own way. */
const NOT_BASE = new Set(["TransportGUID", "DateValue", "Period"]);

export function importMeteringDeviceValues(req: StandRequest, store: StandStore): XNode[] {
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
      out.push(attempt(must(v, "TransportGUID"), () => {
        if (!meter) refuse(GIS.notFound("прибор учета", val(device, "MeteringDeviceRootGUID") ?? val(device, "MeteringDeviceVersionGUID") ?? ""));
        if (meter.status === "Archival") refuse(STAND.meterArchived());
        const kind = VALUE_KINDS[v.localName as keyof typeof VALUE_KINDS];
        const date = val(v, "DateValue") ?? val(v, "EndDateValue") ?? now.slice(0, 10);
        if (kind === "current") {
          const period = child(v, "Period");
          const year = Number(val(period, "Year") ?? date.slice(0, 4));
          const month = Number(val(period, "Month") ?? date.slice(5, 7));
          const closed = outsideWindow(rules, req.received, year, month, meter.collective);
          if (closed) refuse(closed);
        }
        const resource = nsiRefOf(v, "MunicipalResource")?.code ?? "";
        const key = `${meter.rootGuid}|${kind}|${date}|${resource}`;
        const existing = t.readings.get(key);
        const row: ReadingRow = {
          guid: existing?.guid ?? store.guid(), meterRootGuid: meter.rootGuid, org, kind,
          value: pack([v], NOT_BASE), valueKind: KINDS[group.localName as keyof typeof KINDS], dateValue: date, entered: now,
        };
        t.readings.set(key, row);
        return { guid: row.guid, updateDate: now };
      }));
    }
  }
  return flatResults("dm", out);
}

/** A stored current/control value in the export's shape: base, who entered it and when, the date as dateTime. */
function valueNode(r: ReadingRow, name: string): XNode {
  // GIS leaves orgPPAGUID out when a citizen entered the reading (org "" in the stand).
  return el(`dm:${name}`, null, [...(unpack(r.value)[0]?.kids ?? [])], r.org ? leaf("metering-device-base:orgPPAGUID", r.org) : null, leaf("metering-device-base:EnterIntoSystem", r.entered),
    leaf("dm:DateValue", `${r.dateValue}T00:00:00`));
}

function historyNode(m: MeterRow, readings: ReadingRow[]): XNode {
  const kind = readings[0]?.valueKind ?? "OneRate";
  const of = (k: ReadingRow["kind"]) => readings.filter((r) => r.kind === k).sort((a, b) => (a.dateValue < b.dateValue ? -1 : 1));
  return el("dm:exportMeteringDeviceHistoryResult", null, leaf("dm:MeteringDeviceRootGUID", m.rootGuid), leaf("dm:FIASHouseGuid", m.fiasHouseGuid),
    el(`dm:${kind}DeviceValue`, null, readings.length === 0 ? null
      : el("dm:Values", null, of("current").map((r) => valueNode(r, "CurrentValue")), of("control").map((r) => valueNode(r, "ControlValue")))));
}

export function exportMeteringDeviceHistory(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const b = req.body;
  const list = (name: string) => children(b, name).map((e) => (text(e) ?? "").toLowerCase());
  const houses = list("FIASHouseGuid");
  const roots = list("MeteringDeviceRootGUID");
  const resources = children(b, "MunicipalResource").map((r) => val(r, "Code") ?? "");
  const archived = val(b, "SerchArchived") === "true";
  const org = sender(req).orgPPAGUID;
  // Who entered the readings: a citizen (org ""), the sender, another organization.
  const excluded = (r: ReadingRow) => (r.org === "" ? val(b, "ExcludePersonAsDataSource") === "true"
    : r.org === org ? val(b, "ExcludeCurrentOrgAsDataSource") === "true" : val(b, "ExcludeOtherOrgAsDataSource") === "true");
  const from = val(b, "inputDateFrom");
  const to = val(b, "inputDateTo");
  const meters = [...t.meters.values()].filter((m) => (houses.length === 0 || houses.includes(m.fiasHouseGuid))
    && (roots.length === 0 || roots.includes(m.rootGuid)) && (resources.length === 0 || m.resourceCodes.some((r) => resources.includes(r)))
    && (archived || m.status === "Active"));
  if (meters.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  const page = pageFrom(meters, (m) => m.rootGuid, lower(val(b, "ExportMeteringDeviceRootGUID")), DEVICES_PER_PAGE);
  const onPage = new Set(page.rows.map((m) => m.rootGuid));
  const byMeter = new Map<string, ReadingRow[]>();
  for (const r of t.readings.values()) {
    if (!onPage.has(r.meterRootGuid) || r.kind === "verification" || excluded(r)) continue;
    if ((from && r.entered.slice(0, 10) < from) || (to && r.entered.slice(0, 10) > to)) continue;
    byMeter.set(r.meterRootGuid, [...(byMeter.get(r.meterRootGuid) ?? []), r]);
  }
  return [...page.rows.map((m) => historyNode(m, byMeter.get(m.rootGuid) ?? [])),
    el("dm:PagedOutput", null, page.next ? leaf("dm:ExportMeteringDeviceRootGUID", page.next) : leaf("dm:LastPage", true))];
}
