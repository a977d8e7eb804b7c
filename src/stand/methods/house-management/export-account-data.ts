/**
 * exportAccountData on the stand: the sender's accounts by house, AccountGUIDs, ЕЛС or ИЖКУ, closed
 * ones with their Closed block. Unknown house: INT002000; nothing found: INT002012.
 */
import { XNode, el, leaf, opt } from "../../../transport/envelope/xml";
import { tables } from "../../domain/state";
import { children, lower, text, unpack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS } from "../../rules/codes";
import { StandError, StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const list = (name: string) => children(req.body, name).map((e) => text(e) ?? "");
  const fias = lower(val(req.body, "FIASHouseGuid"));
  if (fias && !t.houses.has(fias)) throw new StandError(GIS.notFound("дом", fias).code, GIS.notFound("дом", fias).description);
  const guids = list("AccountGUID").map((g) => g.toLowerCase());
  const els = list("UnifiedAccountNumber");
  const ids = list("ServiceID");
  const rows = [...t.accounts.values()].filter(
    (r) =>
      r.org === org &&
      (fias ? r.fiasHouseGuid === fias : guids.length ? guids.includes(r.guid) : els.length ? els.includes(r.unifiedAccountNumber) : ids.includes(r.serviceId)),
  );
  if (rows.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  return rows.map((r) =>
    el(
      "hm:exportAccountResult",
      null,
      unpack(r.content),
      unpack(r.reasons),
      opt("hm:AccountNumber", r.accountNumber),
      leaf("hm:AccountGUID", r.guid),
      leaf("account-base:UnifiedAccountNumber", r.unifiedAccountNumber),
      leaf("account-base:ServiceID", r.serviceId),
    ),
  );
}

export const exportAccountData = defineStandMethod({
  service: "house-management",
  operation: "exportAccountData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});
