/**
 * exportAccountData (house-management): the accounts GIS holds for the organization — by house
 * (FIAS GUID, what the pipeline asks), or by AccountGUID, ЕЛС or ИЖКУ lists (1..1000). Our accounts
 * are matched by number and get their GUID, ЕЛС and ИЖКУ on the run's stand; one never linked
 * there before becomes ok.
 */
import { Account } from "../../../entities";
import { XNode, leaf } from "../../transport/envelope/xml";
import { checkCount, container } from "../../transport/messages/common";
import { gisDate } from "../../transport/results/results";
import { child, children } from "../../transport/results/safe-xml";
import { exportRows, lower, valueAt } from "../../stages/answer";
import { acceptedState } from "../../stages/outcome";
import { findAt } from "../../storage/identity/store";
import { updateManyAt } from "../../storage/identity/update";
import { defineMethod } from "../method";
import { NsiValue, all, nsi, num, req, rows, t } from "./answer-values";
import { housesOfScopeWithFias, houseExportPrepare } from "./fund/house-export-common";

export type ExportAccountInput = { fiasHouseGuid: string } | { accountGuids: string[] } | { unifiedAccountNumbers: string[] } | { serviceIds: string[] };

export function exportAccountBody(i: ExportAccountInput, version: string): XNode {
  const list = (name: string, v: string[]) => {
    checkCount("exportAccountData", name, v.length, 1, 1000);
    return v.map((x) => leaf(name, x));
  };
  return container(
    "hm:exportAccountRequest",
    version,
    "fiasHouseGuid" in i
      ? leaf("hm:FIASHouseGuid", i.fiasHouseGuid)
      : "accountGuids" in i
        ? list("hm:AccountGUID", i.accountGuids)
        : "unifiedAccountNumbers" in i
          ? list("account-base:UnifiedAccountNumber", i.unifiedAccountNumbers)
          : list("account-base:ServiceID", i.serviceIds),
  );
}

export type AccountRoleKind = "UO" | "RSO" | "CR" | "RC" | "OGVorOMS" | "TKO";

export interface ExportedAccount {
  accountGuid: string;
  accountNumber: string | null;
  /** ЕЛС. */
  unifiedAccountNumber: string;
  /** ИЖКУ. */
  serviceId: string | null;
  role: AccountRoleKind | null;
  creationDate: string | null;
  /** Where the account is: premises, houses (by FIAS), rooms — with shares. */
  premisesGuids: string[];
  fiasHouseGuids: string[];
  livingRoomGuids: string[];
  closed: { date: string; reason: NsiValue | null; description: string | null } | null;
  totalSquare: number | null;
  livingPersonsNumber: number | null;
  /** Resource supply contracts named as reasons (by GUID). */
  supplyResourceContractGuids: string[];
}

const ROLES: Array<[string, AccountRoleKind]> = [
  ["isUOAccount", "UO"],
  ["isRSOAccount", "RSO"],
  ["isCRAccount", "CR"],
  ["isRCAccount", "RC"],
  ["isOGVorOMSAccount", "OGVorOMS"],
  ["isTKOAccount", "TKO"],
];

/** The accounts of an exportAccountResult list. */
export function exportedAccounts(result: Element): ExportedAccount[] {
  return rows(result, "exportAccountResult").map((a) => {
    const acc = children(a, "Accommodation");
    const closed = child(a, "Closed");
    const reasons = child(a, "AccountReasons");
    return {
      accountGuid: req(a, "AccountGUID", "exportAccountResult").toLowerCase(),
      accountNumber: t(a, "AccountNumber"),
      unifiedAccountNumber: req(a, "UnifiedAccountNumber", "exportAccountResult"),
      serviceId: t(a, "ServiceID"),
      role: ROLES.find(([n]) => child(a, n))?.[1] ?? null,
      creationDate: gisDate(t(a, "CreationDate")),
      premisesGuids: acc.flatMap((x) => all(x, "PremisesGUID")).map((g) => g.toLowerCase()),
      fiasHouseGuids: acc.flatMap((x) => all(x, "FIASHouseGuid")).map((g) => g.toLowerCase()),
      livingRoomGuids: acc.flatMap((x) => all(x, "LivingRoomGUID")).map((g) => g.toLowerCase()),
      closed: closed ? { date: req(closed, "CloseDate", "Closed"), reason: nsi(child(closed, "CloseReason")), description: t(closed, "Description") } : null,
      totalSquare: num(t(a, "TotalSquare")),
      livingPersonsNumber: num(t(a, "LivingPersonsNumber")),
      supplyResourceContractGuids: reasons
        ? children(reasons, "SupplyResourceContract")
            .flatMap((c) => all(c, "ContractGUID"))
            .map((g) => g.toLowerCase())
        : [],
    };
  });
}

export const exportAccountData = defineMethod<ExportAccountInput, { fiasHouseGuid: string }, ExportedAccount[]>({
  name: "exportAccountData",
  service: "house-management",
  element: "exportAccountRequest",
  versions: { "16.3.0.0": "10.0.1.1", "14.4.0.1": "10.0.1.1" },

  body: exportAccountBody,

  read: exportedAccounts,

  descriptor: {
    stage: "accounts",
    kind: "export",
    modes: ["pull", "sync"],
    objectType: "house",
    batchSetting: null,
    defaultBatch: 1,
    safeToRepeat: true,
    after: ["exportHouseData"],

    select: (ds, scope) => housesOfScopeWithFias(ds, scope),
    prepare: (ds, ids) => houseExportPrepare(ds, ids),
    payload: (batch) => ({ fiasHouseGuid: batch[0].data.fiasHouseGuid }),

    async apply(em, answer, _matched, ctx) {
      const found = exportRows(answer, "exportAccountResult")
        .map((row) => ({
          number: valueAt(row, "AccountNumber"),
          guid: lower(valueAt(row, "AccountGUID")),
          unified: valueAt(row, "UnifiedAccountNumber"),
          serviceId: valueAt(row, "ServiceID"),
          closed: valueAt(row, "Closed/CloseDate") !== null,
        }))
        .filter((r) => r.number && r.guid);
      if (found.length === 0) return;
      const ours = await findAt(
        em,
        "account",
        "number",
        found.map((r) => r.number!),
        ctx.stand,
        { organizationId: ctx.organizationId },
      );
      const patches = ours.map((a) => {
        // An account may have been closed and opened again under the same number: the open one wins.
        const row = found.filter((r) => r.number === a.number).sort((x, y) => Number(x.closed) - Number(y.closed))[0];
        const patch = {
          gisAccountGuid: row.guid,
          gisClosed: row.closed,
          ...(row.unified ? { unifiedNumber: row.unified } : {}),
          ...(row.serviceId ? { utilityServiceId: row.serviceId } : {}),
          // First link to what GIS already has: the account counts as placed.
          ...(a.gisAccountGuid ? {} : { sync: acceptedState(ctx) }),
        };
        return { id: a.id, patch };
      });
      await updateManyAt(em, ctx.stand, Account, patches);
    },
  },
});
