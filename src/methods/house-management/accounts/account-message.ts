/**
 * The request of importAccountData: 1..100 accounts, each with its role, areas, closing (Closed,
 * NSI 22 reason), accommodations (premises, room or house, with shares), payer, number, GUID (an
 * update) and supply contracts (РСО). Elements in the order of AccountType (the same in 14.4.0.1
 * and 16.3.0.0; 16.3.0.0 makes Accommodation optional, we always send it).
 */
import { Kid, XNode, decimal, el, leaf, opt } from "../../../transport/envelope/xml";
import { NsiRef, checkCount, container, flag, nsiRef, one, transportGuid } from "../../../transport/messages/common";
import { PersonInput } from "../../../transport/messages/house-management";

export type { PersonInput } from "../../../transport/messages/house-management";

export type AccountRole = "UO" | "RSO" | "CR" | "RC" | "OGVorOMS" | "TKO";

export interface AccommodationInput {
  /** Exactly one of the three. */
  premisesGuid?: string;
  fiasHouseGuid?: string;
  livingRoomGuid?: string;
  /** 0..100, 2 fraction digits. */
  sharePercent?: number;
}

export type SupplyContractReason = { contractGuid: string } | { contractNumber: string; signingDate: string; isContract: boolean };

export interface AccountInput {
  transportGuid: string;
  role: AccountRole;
  livingPersonsNumber?: number;
  totalSquare?: number;
  residentialSquare?: number;
  heatedArea?: number;
  closed?: { reason: NsiRef; date: string; description?: string };
  accommodations: AccommodationInput[];
  payer: { isRenter?: boolean; accountsDivided?: boolean; person?: PersonInput; orgVersionGuid?: string };
  accountNumber?: string;
  /** Set when updating an account GIS already has. */
  accountGuid?: string;
  supplyResourceContracts?: SupplyContractReason[];
}

export interface ImportAccountInput {
  /** 1..100 accounts. */
  accounts: AccountInput[];
}

const ROLE_ELEMENT: Record<AccountRole, string> = {
  UO: "hm:isUOAccount",
  RSO: "hm:isRSOAccount",
  CR: "hm:isCRAccount",
  RC: "hm:isRCAccount",
  OGVorOMS: "hm:isOGVorOMSAccount",
  TKO: "hm:isTKOAccount",
};

const area = (name: string, v: number | undefined) => (v === undefined ? null : leaf(name, decimal(v)));

function person(p: PersonInput): Kid[] {
  return [
    leaf("ind-base:Surname", p.surname),
    leaf("ind-base:FirstName", p.firstName),
    opt("ind-base:Patronymic", p.patronymic),
    opt("hm:Sex", p.sex),
    opt("hm:DateOfBirth", p.dateOfBirth),
    p.snils
      ? leaf("ind-base:SNILS", p.snils)
      : p.document
        ? el(
            "ind-base:ID",
            null,
            nsiRef("ind-base:Type", p.document.type),
            opt("ind-base:Series", p.document.series),
            leaf("ind-base:Number", p.document.number),
            leaf("ind-base:IssueDate", p.document.issueDate),
          )
        : null,
  ];
}

function account(a: AccountInput): XNode {
  if (a.accommodations.length === 0) throw new Error(`importAccountData: у ЛС ${a.accountNumber ?? a.transportGuid} нет Accommodation`);
  return el(
    "hm:Account",
    null,
    leaf(ROLE_ELEMENT[a.role], "true"),
    opt("hm:LivingPersonsNumber", a.livingPersonsNumber),
    area("hm:TotalSquare", a.totalSquare),
    area("hm:ResidentialSquare", a.residentialSquare),
    area("hm:HeatedArea", a.heatedArea),
    a.closed
      ? el("hm:Closed", null, nsiRef("hm:CloseReason", a.closed.reason), leaf("hm:CloseDate", a.closed.date), opt("hm:Description", a.closed.description))
      : null,
    a.accommodations.map((x) =>
      el(
        "hm:Accommodation",
        null,
        one(
          "Accommodation",
          x.premisesGuid
            ? leaf("hm:PremisesGUID", x.premisesGuid)
            : x.fiasHouseGuid
              ? leaf("hm:FIASHouseGuid", x.fiasHouseGuid)
              : x.livingRoomGuid
                ? leaf("hm:LivingRoomGUID", x.livingRoomGuid)
                : null,
        ),
        x.sharePercent === undefined ? null : leaf("hm:SharePercent", decimal(x.sharePercent)),
      ),
    ),
    el(
      "hm:PayerInfo",
      null,
      flag("hm:IsRenter", a.payer.isRenter),
      flag("hm:isAccountsDivided", a.payer.accountsDivided),
      a.payer.person
        ? el("hm:Ind", null, person(a.payer.person))
        : a.payer.orgVersionGuid
          ? el("hm:Org", null, leaf("org-reg-base:orgVersionGUID", a.payer.orgVersionGuid))
          : null,
    ),
    transportGuid(a.transportGuid),
    opt("account-base:AccountNumber", a.accountNumber),
    opt("hm:AccountGUID", a.accountGuid),
    a.supplyResourceContracts?.length
      ? el(
          "hm:AccountReasons",
          null,
          a.supplyResourceContracts.map((c) =>
            el(
              "hm:SupplyResourceContract",
              null,
              "contractGuid" in c
                ? leaf("hm:ContractGUID", c.contractGuid)
                : [leaf("hm:ContractNumber", c.contractNumber), leaf("hm:SigningDate", c.signingDate), leaf("hm:IsContract", c.isContract)],
            ),
          ),
        )
      : null,
  );
}

export function importAccountBody(i: ImportAccountInput, version: string): XNode {
  checkCount("importAccountData", "Account", i.accounts.length, 1, 100);
  return container("hm:importAccountRequest", version, i.accounts.map(account));
}
