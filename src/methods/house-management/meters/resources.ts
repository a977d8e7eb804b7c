/** A meter's municipal resource (NSI 2) as GIS wants it; electricity is metered by tariff zones. */
import { Meter } from "../../../../entities";
import { NsiRef } from "../../../transport/messages/common";
import { NSI, NsiIndex } from "../../../stages/nsi";

/** Electricity (NSI 2 code 3) is metered by tariff zones; other resources by a single value. */
export const ELECTRICITY = "3";

/** The meter's resource: its own GUID when mapped, else by code in NSI 2. */
export function resourceOf(m: Meter, nsi: NsiIndex): NsiRef | null {
  return (
    (m.municipalResourceGuid && m.municipalResourceCode ? { code: m.municipalResourceCode, guid: m.municipalResourceGuid } : null) ??
    nsi.byCode(NSI.municipalResource, m.municipalResourceCode)
  );
}
