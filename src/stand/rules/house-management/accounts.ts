/**
 * Personal accounts (importAccountData, exportAccountData). An account must name placed premises,
 * living rooms or a house; a new account gets its AccountGUID, a ЕЛС (UnifiedAccountNumber) and
 * an ИЖКУ (ServiceID), which stay with it through updates. Closed accounts accept no more changes.
 *
 * Codes: INT002000 — unknown AccountGUID or premises/room/house; SRV004004 — no accommodation;
 * SRV004005 — change of a closed account; INT002012 — nothing to export.
 */
import { XNode, el, leaf, opt } from "../../../transport/envelope/xml";
import { AccountRow, Tables, tables } from "../../domain/state";
import { child, children, lower, must, text, pack, unpack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { serviceId, unifiedAccountNumber } from "../../domain/numbers";
import { GIS, STAND } from "../codes";
import { Outcome, attempt, houseManagementResults, refuse, stamp } from "../results";
import { StandError, StandRequest, StandStore } from "../../types";

/** What follows AccountType in the request; the rest is the account's content. */
const NOT_CONTENT = new Set(["TransportGUID", "AccountNumber", "AccountGUID", "AccountReasons"]);

/** The house of each accommodation; refuses unknown premises, rooms and houses. */
function houseOf(t: Tables, account: Element): string {
  const houses = children(account, "Accommodation").map((a) => {
    const premises = lower(val(a, "PremisesGUID"));
    const room = lower(val(a, "LivingRoomGUID"));
    const fias = lower(val(a, "FIASHouseGuid"));
    if (fias) {
      if (!t.houses.has(fias)) refuse(GIS.notFound("дом", fias));
      return fias;
    }
    const guid = premises ?? room ?? "";
    const place = t.places.get(guid);
    if (!place || place.kind !== (premises ? "premises" : "room")) refuse(GIS.notFound(premises ? "помещение" : "комната", guid));
    return place.fiasHouseGuid;
  });
  if (houses.length === 0) refuse(STAND.accountWithoutAccommodation());
  return houses[0];
}

function place(req: StandRequest, store: StandStore, a: Element): AccountRow {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const guid = lower(val(a, "AccountGUID"));
  let row = guid ? t.accounts.get(guid) : undefined;
  if (guid && (!row || row.org !== org)) refuse(GIS.notFound("лицевой счет", guid));
  if (row?.closed) refuse(STAND.accountClosed(row.unifiedAccountNumber));
  const fias = houseOf(t, a);
  if (!row) {
    const els = unifiedAccountNumber(store);
    row = { guid: store.guid(), org, fiasHouseGuid: fias, accountNumber: null, unifiedAccountNumber: els, serviceId: serviceId(store, els), closed: false, content: "", reasons: "", created: now, updated: now };
    if (t.accountsByEls.has(els)) store.duplicate("ЕЛС", els);
    t.accountsByEls.set(els, { guid: row.guid });
  }
  row.fiasHouseGuid = fias;
  row.accountNumber = val(a, "AccountNumber") ?? row.accountNumber;
  row.closed = child(a, "Closed") !== null;
  row.content = pack(children(a).filter((c) => !NOT_CONTENT.has(c.localName)));
  row.reasons = child(a, "AccountReasons") ? pack([child(a, "AccountReasons")!]) : row.reasons;
  row.updated = now;
  t.accounts.set(row.guid, row);
  return row;
}

export function importAccountData(req: StandRequest, store: StandStore): XNode[] {
  const now = stamp(req.received);
  const out: Outcome[] = children(req.body, "Account").map((a) => attempt(must(a, "TransportGUID"), () => {
    const row = place(req, store, a);
    return {
      guid: row.guid, updateDate: now,
      extra: el("hm:ImportAccount", null, leaf("account-base:UnifiedAccountNumber", row.unifiedAccountNumber), leaf("account-base:ServiceID", row.serviceId)),
    };
  }));
  return houseManagementResults(out);
}

export function exportAccountData(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const list = (name: string) => children(req.body, name).map((e) => text(e) ?? "");
  const fias = lower(val(req.body, "FIASHouseGuid"));
  if (fias && !t.houses.has(fias)) throw new StandError(GIS.notFound("дом", fias).code, GIS.notFound("дом", fias).description);
  const guids = list("AccountGUID").map((g) => g.toLowerCase());
  const els = list("UnifiedAccountNumber");
  const ids = list("ServiceID");
  const rows = [...t.accounts.values()].filter((r) => r.org === org && (fias ? r.fiasHouseGuid === fias
    : guids.length ? guids.includes(r.guid) : els.length ? els.includes(r.unifiedAccountNumber) : ids.includes(r.serviceId)));
  if (rows.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  return rows.map((r) => el("hm:exportAccountResult", null, unpack(r.content), unpack(r.reasons), opt("hm:AccountNumber", r.accountNumber),
    leaf("hm:AccountGUID", r.guid), leaf("account-base:UnifiedAccountNumber", r.unifiedAccountNumber), leaf("account-base:ServiceID", r.serviceId)));
}
