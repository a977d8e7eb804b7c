/**
 * exportMeteringDeviceData on the stand: meters by root or version GUID, or by house with the
 * filters of the request (current organization only, resource, modified since, archived too).
 * Unknown meter: INT002000; nothing found: INT002012.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { tables } from "../../domain/state";
import { lower, nsiRefOf, unpack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS } from "../../rules/codes";
import { StandError, StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const b = req.body;
  const root = lower(val(b, "MeteringDeviceRootGUID")) ?? t.meterByVersion.get(lower(val(b, "MeteringDeviceVersionGUID")) ?? "")?.rootGuid ?? null;
  const fias = lower(val(b, "FIASHouseGuid"));
  const resource = nsiRefOf(b, "MunicipalResource")?.code;
  const since = val(b, "UpdateDateTime");
  const archived = val(b, "SearchArchived") === "true";
  if (!fias && !root) {
    const asked = val(b, "MeteringDeviceRootGUID") ?? val(b, "MeteringDeviceVersionGUID") ?? "";
    throw new StandError(GIS.notFound("прибор учета", asked).code, GIS.notFound("прибор учета", asked).description);
  }
  const rows = [...t.meters.values()].filter((m) =>
    root
      ? m.rootGuid === root
      : m.fiasHouseGuid === fias &&
        (val(b, "IsCurrentOrganization") !== "true" || m.org === org) &&
        (!resource || m.resourceCodes.includes(resource)) &&
        (!since || Date.parse(m.updated) >= Date.parse(since)) &&
        (archived || m.status === "Active"),
  );
  if (rows.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  return rows.map((m) =>
    el(
      "hm:exportMeteringDeviceDataResult",
      null,
      unpack(m.content),
      leaf("hm:MeteringDeviceRootGUID", m.rootGuid),
      leaf("hm:StatusRootDoc", m.status),
      leaf("hm:MeteringDeviceVersionGUID", m.versionGuid),
      leaf("hm:VersionNumber", m.versionNumber),
      leaf("hm:StatusVersion", m.status === "Active" ? "Active" : "Archival"),
      leaf("hm:UpdateDateTime", m.updated),
      leaf("hm:MeteringDeviceGISGKHNumber", m.gisNumber),
    ),
  );
}

export const exportMeteringDeviceData = defineStandMethod({
  service: "house-management",
  operation: "exportMeteringDeviceData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});
