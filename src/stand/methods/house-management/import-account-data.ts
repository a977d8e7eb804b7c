/**
 * importAccountData on the stand. An account must name placed premises, living rooms or a house,
 * none of them annulled; a new account gets its AccountGUID, a ЕЛС (UnifiedAccountNumber) and an
 * ИЖКУ (ServiceID), which stay with it through updates. A closed account accepts no more changes:
 * as in GIS, it is "reopened" by placing it again without AccountGUID (a new account, new numbers).
 *
 * Codes: INT002000 — unknown AccountGUID or premises/room/house; SRV004004 — no accommodation;
 * SRV004005 — change of a closed account; SRV004007 — an annulled premises or room.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { AccountRow, Tables, tables } from "../../domain/state";
import { child, children, lower, must, pack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { serviceId, unifiedAccountNumber } from "../../domain/numbers";
import { GIS, STAND } from "../../rules/codes";
import { Outcome, attempt, houseManagementResults, refuse, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";
import { isAnnulled } from "./fund-objects";

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
    const annulled = annulledPlace(t, place.fiasHouseGuid, guid);
    if (annulled) refuse(STAND.fundObjectAnnulled(premises ? "Помещение" : "Комната", annulled));
    return place.fiasHouseGuid;
  });
  if (houses.length === 0) refuse(STAND.accountWithoutAccommodation());
  return houses[0];
}

/** The number of the premises or room `guid` when it is annulled, else null. */
function annulledPlace(t: Tables, fias: string, guid: string): string | null {
  for (const p of t.houses.get(fias)?.premises ?? []) {
    if (p.guid === guid) return isAnnulled(p.content) ? p.number : null;
    const r = p.rooms.find((x) => x.guid === guid);
    if (r) return isAnnulled(r.content) ? r.number : null;
  }
  return null;
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
    row = {
      guid: store.guid(),
      org,
      fiasHouseGuid: fias,
      accountNumber: null,
      unifiedAccountNumber: els,
      serviceId: serviceId(store, els),
      closed: false,
      content: "",
      reasons: "",
      created: now,
      updated: now,
    };
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

function handle(req: StandRequest, store: StandStore): XNode[] {
  const now = stamp(req.received);
  const out: Outcome[] = children(req.body, "Account").map((a) =>
    attempt(must(a, "TransportGUID"), () => {
      const row = place(req, store, a);
      return {
        guid: row.guid,
        updateDate: now,
        extra: el("hm:ImportAccount", null, leaf("account-base:UnifiedAccountNumber", row.unifiedAccountNumber), leaf("account-base:ServiceID", row.serviceId)),
      };
    }),
  );
  return houseManagementResults(out);
}

export const importAccountData = defineStandMethod({
  service: "house-management",
  operation: "importAccountData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});
