/**
 * What belongs to an object of another kind: a run started from a card names its objects by kind
 * (scope.objectType, scope.objectIds), and each stage sends what belongs to them — from an account
 * card: the account, its places, its meters, their readings, its documents, its payments and their
 * acknowledgments; from a meter card: the meter, its readings, its accounts and house; from a house
 * card: everything in the house. Never an object of the stage's kind that merely has the same id.
 *
 * Each entry is SQL selecting ids of `kind` for the objects `:...objectIds` of the scope's kind.
 */
type Q = (name: string) => string;
type Sub = (q: Q) => string;

const IDS = "(:...objectIds)";

/** Accounts living in houses `houses` (an id list SQL), through a premise, a room or the house itself. */
const accountsIn = (q: Q, houses: string) =>
  `SELECT x.${q("accountId")} FROM ${q("account_accommodation")} x LEFT JOIN ${q("premise")} p ON p.${q("id")} = x.${q("premiseId")} ` +
  `LEFT JOIN ${q("room")} r ON r.${q("id")} = x.${q("roomId")} WHERE COALESCE(x.${q("houseId")}, p.${q("houseId")}, r.${q("houseId")}) IN ${houses}`;
/** Houses of accounts `accounts` (an id list SQL). */
const housesOf = (q: Q, accounts: string) =>
  `SELECT COALESCE(x.${q("houseId")}, p.${q("houseId")}, r.${q("houseId")}) FROM ${q("account_accommodation")} x ` +
  `LEFT JOIN ${q("premise")} p ON p.${q("id")} = x.${q("premiseId")} LEFT JOIN ${q("room")} r ON r.${q("id")} = x.${q("roomId")} WHERE x.${q("accountId")} IN ${accounts}`;
const col = (q: Q, column: string, table: string, where: string, ids: string) => `SELECT ${q(column)} FROM ${q(table)} WHERE ${q(where)} IN ${ids}`;
const wrap = (sql: string) => `(${sql})`;

/** Accounts of each scope kind. */
const ACCOUNTS: Record<string, Sub> = {
  account: () => IDS,
  house: (q) => wrap(accountsIn(q, IDS)),
  premise: (q) =>
    wrap(
      `SELECT ${q("accountId")} FROM ${q("account_accommodation")} WHERE ${q("premiseId")} IN ${IDS} OR ${q("roomId")} IN (${col(q, "id", "room", "premiseId", IDS)})`,
    ),
  room: (q) => wrap(col(q, "accountId", "account_accommodation", "roomId", IDS)),
  meter: (q) => wrap(col(q, "accountId", "meter_account", "meterId", IDS)),
  payment_document: (q) => wrap(col(q, "accountId", "payment_document", "id", IDS)),
};

/** Meters of each scope kind. */
const METERS: Record<string, Sub> = {
  meter: () => IDS,
  account: (q) => wrap(col(q, "meterId", "meter_account", "accountId", IDS)),
  house: (q) => wrap(col(q, "id", "meter", "houseId", IDS)),
  premise: (q) => wrap(col(q, "id", "meter", "premiseId", IDS)),
};

/** Payment documents of each scope kind. */
const DOCUMENTS: Record<string, Sub> = {
  payment_document: () => IDS,
  ...Object.fromEntries(
    Object.entries(ACCOUNTS)
      // A meter card's run sends the meter and its readings, not its accounts' bills.
      .filter(([k]) => k !== "payment_document" && k !== "meter")
      .map(([k, accounts]) => [k, (q: Q) => wrap(col(q, "id", "payment_document", "accountId", accounts(q)))]),
  ),
};

/** Payments of each scope kind: of the documents, or posted to the accounts. */
const PAYMENTS: Record<string, Sub> = {
  payment: () => IDS,
  ...Object.fromEntries(
    Object.entries(DOCUMENTS).map(([k, docs]) => [
      k,
      (q: Q) =>
        wrap(
          `SELECT ${q("id")} FROM ${q("payment")} WHERE ${q("paymentDocumentId")} IN ${docs(q)}` +
            (ACCOUNTS[k] ? ` OR ${q("accountId")} IN ${ACCOUNTS[k](q)}` : ""),
        ),
    ]),
  ),
};

const BELONGS: Record<string, Record<string, Sub>> = {
  account: ACCOUNTS,
  meter: METERS,
  meter_reading: Object.fromEntries(Object.entries(METERS).map(([k, meters]) => [k, (q: Q) => wrap(col(q, "id", "meter_reading", "meterId", meters(q)))])),
  payment_document: DOCUMENTS,
  payment: PAYMENTS,
  acknowledgment: Object.fromEntries(
    Object.entries(PAYMENTS).map(([k, payments]) => [k, (q: Q) => wrap(col(q, "id", "acknowledgment", "paymentId", payments(q)))]),
  ),
  house: {
    house: () => IDS,
    account: (q) => wrap(housesOf(q, IDS)),
    meter: (q) => wrap(col(q, "houseId", "meter", "id", IDS)),
    premise: (q) => wrap(col(q, "houseId", "premise", "id", IDS)),
    entrance: (q) => wrap(col(q, "houseId", "entrance", "id", IDS)),
    room: (q) => wrap(col(q, "houseId", "room", "id", IDS)),
  },
  entrance: { entrance: () => IDS, house: (q) => wrap(col(q, "id", "entrance", "houseId", IDS)) },
  premise: {
    premise: () => IDS,
    house: (q) => wrap(col(q, "id", "premise", "houseId", IDS)),
    account: (q) => wrap(col(q, "premiseId", "account_accommodation", "accountId", IDS)),
    room: (q) => wrap(col(q, "premiseId", "room", "id", IDS)),
    meter: (q) => wrap(col(q, "premiseId", "meter", "id", IDS)),
  },
  room: {
    room: () => IDS,
    house: (q) => wrap(col(q, "id", "room", "houseId", IDS)),
    premise: (q) => wrap(col(q, "id", "room", "premiseId", IDS)),
    account: (q) => wrap(col(q, "roomId", "account_accommodation", "accountId", IDS)),
  },
  contract: { contract: () => IDS, house: (q) => wrap(col(q, "contractId", "contract_object", "houseId", IDS)) },
  contract_object: {
    contract_object: () => IDS,
    contract: (q) => wrap(col(q, "id", "contract_object", "contractId", IDS)),
    house: (q) => wrap(col(q, "id", "contract_object", "houseId", IDS)),
  },
};

/**
 * SQL (a parenthesised id list with the parameter `objectIds`) of the objects of `kind` that belong
 * to objects of `scopeKind`, or null when nothing of `kind` belongs to such an object.
 */
export function belongingTo(kind: string, scopeKind: string, q: Q): string | null {
  if (kind === scopeKind) return IDS;
  const sub = BELONGS[kind]?.[scopeKind];
  return sub ? sub(q) : null;
}
