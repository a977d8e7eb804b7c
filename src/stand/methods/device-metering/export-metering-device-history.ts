/**
 * exportMeteringDeviceHistory on the stand: the readings of the meters asked for (by house, root
 * GUID, resource; archived ones when SerchArchived), filtered by who entered them (a citizen, the
 * sender, another organization) and when (inputDateFrom/To). History comes in blocks of 1000
 * meters (PagedOutput/ExportMeteringDeviceRootGUID, then LastPage). No meter → INT002012.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { MeterRow, ReadingRow, tables } from "../../domain/state";
import { children, lower, text, unpack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS } from "../../rules/codes";
import { pageFrom } from "../../rules/paging";
import { StandError, StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

const DEVICES_PER_PAGE = 1000;

/** A stored current/control value in the export's shape: base, who entered it and when, the date as dateTime. */
function valueNode(r: ReadingRow, name: string): XNode {
  // GIS leaves orgPPAGUID out when a citizen entered the reading (org "" in the stand).
  return el(
    `dm:${name}`,
    null,
    [...(unpack(r.value)[0]?.kids ?? [])],
    r.org ? leaf("metering-device-base:orgPPAGUID", r.org) : null,
    leaf("metering-device-base:EnterIntoSystem", r.entered),
    leaf("dm:DateValue", `${r.dateValue}T00:00:00`),
  );
}

function historyNode(m: MeterRow, readings: ReadingRow[]): XNode {
  const kind = readings[0]?.valueKind ?? "OneRate";
  const of = (k: ReadingRow["kind"]) => readings.filter((r) => r.kind === k).sort((a, b) => (a.dateValue < b.dateValue ? -1 : 1));
  return el(
    "dm:exportMeteringDeviceHistoryResult",
    null,
    leaf("dm:MeteringDeviceRootGUID", m.rootGuid),
    leaf("dm:FIASHouseGuid", m.fiasHouseGuid),
    el(
      `dm:${kind}DeviceValue`,
      null,
      readings.length === 0
        ? null
        : el(
            "dm:Values",
            null,
            of("current").map((r) => valueNode(r, "CurrentValue")),
            of("control").map((r) => valueNode(r, "ControlValue")),
          ),
    ),
  );
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const b = req.body;
  const list = (name: string) => children(b, name).map((e) => (text(e) ?? "").toLowerCase());
  const houses = list("FIASHouseGuid");
  const roots = list("MeteringDeviceRootGUID");
  const resources = children(b, "MunicipalResource").map((r) => val(r, "Code") ?? "");
  const archived = val(b, "SerchArchived") === "true";
  const org = sender(req).orgPPAGUID;
  // Who entered the readings: a citizen (org ""), the sender, another organization.
  const excluded = (r: ReadingRow) =>
    r.org === ""
      ? val(b, "ExcludePersonAsDataSource") === "true"
      : r.org === org
        ? val(b, "ExcludeCurrentOrgAsDataSource") === "true"
        : val(b, "ExcludeOtherOrgAsDataSource") === "true";
  const from = val(b, "inputDateFrom");
  const to = val(b, "inputDateTo");
  const meters = [...t.meters.values()].filter(
    (m) =>
      (houses.length === 0 || houses.includes(m.fiasHouseGuid)) &&
      (roots.length === 0 || roots.includes(m.rootGuid)) &&
      (resources.length === 0 || m.resourceCodes.some((r) => resources.includes(r))) &&
      (archived || m.status === "Active"),
  );
  if (meters.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  const page = pageFrom(meters, (m) => m.rootGuid, lower(val(b, "ExportMeteringDeviceRootGUID")), DEVICES_PER_PAGE);
  const onPage = new Set(page.rows.map((m) => m.rootGuid));
  const byMeter = new Map<string, ReadingRow[]>();
  for (const r of t.readings.values()) {
    if (!onPage.has(r.meterRootGuid) || r.kind === "verification" || excluded(r)) continue;
    if ((from && r.entered.slice(0, 10) < from) || (to && r.entered.slice(0, 10) > to)) continue;
    byMeter.set(r.meterRootGuid, [...(byMeter.get(r.meterRootGuid) ?? []), r]);
  }
  return [
    ...page.rows.map((m) => historyNode(m, byMeter.get(m.rootGuid) ?? [])),
    el("dm:PagedOutput", null, page.next ? leaf("dm:ExportMeteringDeviceRootGUID", page.next) : leaf("dm:LastPage", true)),
  ];
}

export const exportMeteringDeviceHistory = defineStandMethod({
  service: "device-metering",
  operation: "exportMeteringDeviceHistory",
  resultPrefix: "dm",
  resultVersion: "10.0.1.1",
  handle,
});
