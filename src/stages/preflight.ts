/**
 * Pre-flight checks shared by the descriptors, and the one format of their Russian error text:
 * "<что не так>. <Объект>: <номер>; Дом: <ФИАС ГУИД или адрес>" — the shape users know from the
 * manual ("Отсутствует ГУИД у помещения, комнаты или жилого дома. Лицевой: 2658092; Дом: 0167…").
 *
 * Our own rejection codes start with "PRE" so they never collide with GIS codes (which are
 * three letters + six digits, e.g. SRV007013). They fit sync_errorCode (20 characters):
 *
 * | code               | meaning                                                                 |
 * |--------------------|-------------------------------------------------------------------------|
 * | PRE_NO_FIAS        | the house has no FIAS GUID: GIS knows houses only by it                  |
 * | PRE_NO_PARENT_GUID | the parent object (premise, room, house, account, meter…) is not placed  |
 * | PRE_HOUSE_AREA     | УО/ТСЖ: a house area is missing                                          |
 * | PRE_HOUSE_FLOORS   | УО/ТСЖ: floors of the house are missing                                  |
 * | PRE_HOUSE_YEAR     | УО/ТСЖ: year of commissioning is missing                                 |
 * | PRE_HOUSE_ENTRANCES| УО/ТСЖ: the number of entrances of an apartment building is missing      |
 * | PRE_PREMISE_ENTR   | УО/ТСЖ: a residential premise is not linked to an entrance               |
 * | PRE_PREMISE_FLOOR  | УО/ТСЖ: a premise has no floor                                           |
 * | PRE_PREMISE_AREA   | УО/ТСЖ: a premise has no total area                                      |
 * | PRE_NO_NUMBER      | the object has no number (account number, factory number…)              |
 * | PRE_NO_PLACE       | an account has no premise, room or house                                 |
 * | PRE_PAYER          | an account's payer is incomplete                                         |
 * | PRE_NSI            | no GIS dictionary (NSI) element for a code the object uses               |
 * | PRE_DUPLICATE      | the factory number is used by another active meter of the same resource  |
 * | PRE_NO_SERVICE     | the service is not in a contract for the house (on that date)            |
 * | PRE_OUT_OF_CONTRACT| no contract of ours covers the house on the reading's date               |
 * | PRE_OUT_OF_WINDOW  | the reading's window has not opened yet, or the contract sets none        |
 * | PRE_WINDOW_CLOSED  | the reading's window has closed: GIS no longer takes it, so it is not     |
 * |                    | selected again (naming the reading in a run's scope checks it once more)  |
 * | PRE_REQUISITES     | payment requisites (BIK, settlement account, INN) are missing or malformed |
 * | PRE_AMOUNT         | a payment amount is zero or negative                                     |
 * | PRE_ORG_GUID       | the organization has no GIS identifier (orgPPAGUID / orgVersionGUID)    |
 * | PRE_NO_LINES       | a payment document has no charges                                        |
 * | PRE_ACCOUNT_AREA   | УО/ТСЖ: an account has no total area                                     |
 */
import { Rejection } from "./descriptor";

export const PRE = {
  noFias: "PRE_NO_FIAS",
  noParentGuid: "PRE_NO_PARENT_GUID",
  houseArea: "PRE_HOUSE_AREA",
  houseFloors: "PRE_HOUSE_FLOORS",
  houseYear: "PRE_HOUSE_YEAR",
  houseEntrances: "PRE_HOUSE_ENTRANCES",
  premiseEntrance: "PRE_PREMISE_ENTR",
  premiseFloor: "PRE_PREMISE_FLOOR",
  premiseArea: "PRE_PREMISE_AREA",
  noNumber: "PRE_NO_NUMBER",
  noPlace: "PRE_NO_PLACE",
  payer: "PRE_PAYER",
  nsi: "PRE_NSI",
  duplicate: "PRE_DUPLICATE",
  noService: "PRE_NO_SERVICE",
  outOfContract: "PRE_OUT_OF_CONTRACT",
  outOfWindow: "PRE_OUT_OF_WINDOW",
  windowClosed: "PRE_WINDOW_CLOSED",
  requisites: "PRE_REQUISITES",
  amount: "PRE_AMOUNT",
  orgGuid: "PRE_ORG_GUID",
  noLines: "PRE_NO_LINES",
  accountArea: "PRE_ACCOUNT_AREA",
} as const;

export type PreCode = (typeof PRE)[keyof typeof PRE];

/** What names the object in a message: ["Лицевой", "2658092"], ["Дом", "0167…"]. */
export type Label = [string, string | number | null | undefined];

/** "Отсутствует ГУИД у помещения. Лицевой: 2658092; Дом: 0167…" */
export function formatProblem(problem: string, labels: Label[]): string {
  const named = labels.map(([k, v]) => `${k}: ${v === null || v === undefined || v === "" ? "—" : v}`).join("; ");
  return named ? `${problem}. ${named}` : `${problem}.`;
}

export function reject(objectId: number, code: PreCode, field: string, problem: string, labels: Label[]): Rejection {
  return { objectId, code, field, text: formatProblem(problem, labels) };
}

/** How a house is named in messages: its FIAS GUID as the manual does, or its address when it has none. */
export function houseLabel(h: { fiasHouseGuid: string | null; address: string } | null | undefined): Label {
  return ["Дом", h ? (h.fiasHouseGuid ?? h.address) : null];
}

/**
 * Collects the problems of one object and yields the first as its rejection: GIS answers one
 * error per item too, and the first missing prerequisite is the one the user fixes first.
 */
export class Checks {
  private readonly found: Rejection[] = [];
  constructor(
    private readonly objectId: number,
    private readonly labels: Label[],
  ) {}

  /** Records a problem when `failed`; returns `failed` so callers can skip dependent checks. */
  fail(failed: boolean, code: PreCode, field: string, problem: string): boolean {
    if (failed) this.found.push(reject(this.objectId, code, field, problem, this.labels));
    return failed;
  }

  get ok(): boolean {
    return this.found.length === 0;
  }

  get first(): Rejection {
    return this.found[0];
  }
}

export const isBik = (v: string | null): v is string => !!v && /^\d{9}$/.test(v);
export const isSettlementAccount = (v: string | null): v is string => !!v && /^\d{20}$/.test(v);
export const isInn = (v: string | null): v is string => !!v && /^(\d{10}|\d{12})$/.test(v);

/** Roles that manage houses (УО, ТСЖ, ЖК, ЖСК): GIS demands house, entrance and premises details from them. */
export const isManagingRole = (role: string): boolean => ["UO", "TSZH", "ZHK", "ZHSK", "TSG"].includes(role);
