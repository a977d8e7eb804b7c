/**
 * importAccountData (house-management): place, update and close personal accounts. GIS answers with
 * the account GUID, the unified account number (ЕЛС) and the housing-and-utility service id (ИЖКУ).
 * Accounts are batched per house so an unknown outcome is reconciled by one exportAccountData of
 * that house. With `unused: true` in the run's scope it also closes the accounts GIS has and we do
 * not («Закрыть неиспользуемые лицевые», ./accounts/close-unused-accounts.ts): those carry negative ids.
 *
 * Object actions on chosen accounts (the account card's «Закрыть» / «Открыть новые»):
 * - close: the account is closed here (today unless already closed) and sent with Closed and its
 *   NSI 22 reason (closeReasonCode);
 * - reopen: GIS takes no change of a closed account, so — as the manual says — the account is
 *   placed anew: the same data without AccountGUID and Closed; GIS gives it a new GUID, ЕЛС and
 *   ИЖКУ. It is open here again. An account open here that GIS holds closed is reopened the same
 *   way by an ordinary push.
 */
import { DataSource } from "typeorm";
import { Account, ContractObject } from "../../../entities";
import { AtStand, findAt, identityExpr, loadAt } from "../../storage/identity/store";
import { updateAt } from "../../storage/identity/update";
import { exportRows, lower, valueAt } from "../../stages/answer";
import { Scope, StageContext } from "../../stages/descriptor";
import { findIn } from "../../stages/load";
import { NSI, NsiIndex } from "../../stages/nsi";
import { writeOutcomes } from "../../stages/outcome";
import { Checks, PRE, houseLabel, isManagingRole } from "../../stages/preflight";
import { ids, whereAccountInScope, whereNeedsSending, whereObjects } from "../../stages/select";
import { defineMethod } from "../method";
import { AccountInput, AccountRole, ImportAccountInput, SupplyContractReason, importAccountBody } from "./accounts/account-message";
import { prepareUnusedAccounts, selectUnusedAccounts } from "./accounts/close-unused-accounts";
import { placesOf } from "./accounts/placement";
import { applyUnused, splitIds, unusedRequested } from "./unused";

export type { AccountInput, ImportAccountInput } from "./accounts/account-message";

export interface AccountData {
  account: Omit<AccountInput, "transportGuid">;
  number: string;
  /** FIAS GUID of the account's house: the batch key and the reconcile export's filter. */
  houseFias: string;
  /** Set when closing an account only GIS has (an unused one): its AccountGUID. */
  closingGuid?: string;
  /** Set when placing anew an account GIS holds closed: the closed one's AccountGUID. */
  reopening?: string;
}

const ROLE: Record<Account["accountType"], AccountRole> = { UO: "UO", RSO: "RSO", KR: "CR", RC: "RC", OGV_OMS: "OGVorOMS", TKO: "TKO" };

/** The supply contract an РСО account is opened under: by GUID once GIS has it, else by number and date. */
function supplyReason(c: AtStand<"contract"> | undefined): SupplyContractReason | null {
  if (!c) return null;
  if (c.gisContractGuid) return { contractGuid: c.gisContractGuid };
  return c.number && c.signedDate ? { contractNumber: c.number, signingDate: c.signedDate, isContract: true } : null;
}

/**
 * close / reopen: the chosen accounts GIS has are changed here the way the action means (closed
 * today unless already closed / open again and known closed in GIS) and marked for sending.
 */
async function selectForAction(ds: DataSource, scope: Scope, ctx: StageContext): Promise<number[]> {
  if ((scope.objectType && scope.objectType !== "account") || !scope.objectIds?.length) return [];
  const chosen = (await findAt(ds, "account", "id", scope.objectIds, ctx.stand, { organizationId: scope.organizationId })).filter(
    (a) => a.gisAccountGuid && a.sync.status !== "in_progress" && (scope.action === "reopen" || !a.gisClosed),
  );
  const today = ctx.now.toISOString().slice(0, 10);
  for (const a of chosen) {
    const sync = { status: "not_sent" as const, changedAt: ctx.now };
    await updateAt(
      ds,
      ctx.stand,
      Account,
      a.id,
      scope.action === "close" ? { closedDate: a.closedDate ?? today, sync } : { closedDate: null, gisClosed: true, sync },
    );
  }
  return chosen.map((a) => a.id).sort((x, y) => x - y);
}

export const importAccountData = defineMethod<ImportAccountInput, AccountData>({
  name: "importAccountData",
  service: "house-management",
  element: "importAccountRequest",
  versions: { "16.3.0.0": "10.0.1.1", "14.4.0.1": "10.0.1.1" },
  batch: { element: "Account", max: 100 },

  body: importAccountBody,

  descriptor: {
    stage: "accounts",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "account",
    batchSetting: "batch.accounts",
    defaultBatch: 100,
    safeToRepeat: false,
    after: ["importHouseUOData", "exportHouseData"],
    actions: ["close", "reopen"],

    async select(ds, scope, mode, ctx) {
      if (scope.action === "close" || scope.action === "reopen") return selectForAction(ds, scope, ctx);
      const qb = ds.getRepository(Account).createQueryBuilder("a").where("a.organizationId = :org", { org: scope.organizationId });
      // An account closed before GIS ever had it is not worth placing.
      qb.andWhere(`NOT (a.closedDate IS NOT NULL AND ${identityExpr(qb, "a", "gisAccountGuid", ctx.stand)} IS NULL)`);
      await whereAccountInScope(qb, "a.id", ds, scope);
      const own = await ids(whereNeedsSending(whereObjects(qb, "a", scope), "a", mode, "gisAccountGuid", ctx.stand, scope), "a");
      return unusedRequested(scope, mode) ? [...(await selectUnusedAccounts(ds, scope, ctx.stand)), ...own] : own;
    },

    async prepare(ds, allIds, ctx) {
      const { ours: accountIds, unused } = splitIds(allIds);
      const closing = await prepareUnusedAccounts(ds, unused, ctx);
      const accounts = [...(await loadAt(ds, "account", accountIds, ctx.stand)).values()];
      const places = await placesOf(ds, accountIds, ctx.stand);
      const payers = await loadAt(
        ds,
        "organization",
        accounts.map((a) => a.payerOrganizationId),
        ctx.stand,
      );
      const nsi = await NsiIndex.load(ds, [NSI.closeReason], ctx.organizationId, ctx.stand);
      const supply = await supplyContracts(
        ds,
        ctx,
        [...places.values()].flat().map((p) => p.house?.id),
      );
      const omitAreas = ctx.role === "RSO" && ctx.setting("exchange.omitPremiseAreasForRso") === true;
      const ready: Array<{ objectId: number; data: AccountData }> = [];
      const rejected = [];
      for (const a of accounts) {
        const ps = places.get(a.id) ?? [];
        const house = ps.find((p) => p.house)?.house ?? null;
        const c = new Checks(a.id, [["Лицевой", a.number], houseLabel(house)]);
        c.fail(!a.number, PRE.noNumber, "number", "Не указан номер лицевого счёта");
        if (!c.fail(ps.length === 0, PRE.noPlace, "accommodation", "Не указано помещение, комната или жилой дом лицевого счёта")) {
          c.fail(
            ps.some((p) => !p.guid),
            PRE.noParentGuid,
            "accommodation",
            "Отсутствует ГУИД у помещения, комнаты или жилого дома",
          );
          c.fail(!house?.fiasHouseGuid, PRE.noFias, "house.fiasHouseGuid", "Не указан ФИАС ГУИД дома");
        }
        if (isManagingRole(ctx.role)) c.fail(a.totalArea === null, PRE.accountArea, "totalArea", "Не указана общая площадь лицевого счёта");
        const payerOrg = a.payerOrganizationId !== null ? payers.get(a.payerOrganizationId) : undefined;
        if (a.payerKind === "organization") {
          c.fail(
            !payerOrg?.gisOrgVersionGuid,
            PRE.orgGuid,
            "payerOrganizationId",
            `Отсутствует ГУИД организации-плательщика в реестре ГИС (${payerOrg?.shortName ?? payerOrg?.fullName ?? "не указана"})`,
          );
        } else {
          c.fail(!a.payerLastName || !a.payerFirstName, PRE.payer, "payerLastName", "Не указаны фамилия и имя плательщика");
        }
        const closeReason = a.closedDate ? nsi.byCode(NSI.closeReason, a.closeReasonCode) : null;
        if (a.closedDate)
          c.fail(!closeReason, PRE.nsi, "closeReasonCode", `Не найдена причина закрытия «${a.closeReasonCode ?? ""}» в справочнике ГИС (НСИ 22)`);
        if (!c.ok) {
          rejected.push(c.first);
          continue;
        }
        const area = (v: number | null) => (omitAreas || v === null ? undefined : v);
        const reason = ROLE[a.accountType] === "RSO" && house ? supplyReason(supply.get(house.id)) : null;
        // Open here, closed in GIS: placed anew, without the closed account's GUID.
        const reopening = a.gisClosed && !a.closedDate && a.gisAccountGuid ? a.gisAccountGuid : null;
        ready.push({
          objectId: a.id,
          data: {
            number: a.number,
            houseFias: house!.fiasHouseGuid!,
            ...(reopening ? { reopening } : {}),
            account: {
              role: ROLE[a.accountType],
              ...(a.residentsCount !== null ? { livingPersonsNumber: a.residentsCount } : {}),
              totalSquare: area(a.totalArea),
              residentialSquare: area(a.residentialArea),
              heatedArea: area(a.heatedArea),
              ...(a.closedDate && closeReason
                ? { closed: { reason: closeReason, date: a.closedDate, ...(a.closeDescription ? { description: a.closeDescription } : {}) } }
                : {}),
              accommodations: ps.map((p) => ({
                ...(p.kind === "premise" ? { premisesGuid: p.guid! } : p.kind === "room" ? { livingRoomGuid: p.guid! } : { fiasHouseGuid: p.guid! }),
                ...(p.sharePercent !== null ? { sharePercent: p.sharePercent } : {}),
              })),
              payer: {
                isRenter: a.payerIsRenter,
                accountsDivided: a.isAccountsDivided,
                ...(a.payerKind === "organization"
                  ? { orgVersionGuid: payerOrg!.gisOrgVersionGuid! }
                  : {
                      person: {
                        surname: a.payerLastName!,
                        firstName: a.payerFirstName!,
                        ...(a.payerMiddleName ? { patronymic: a.payerMiddleName } : {}),
                        ...(a.payerSnils ? { snils: a.payerSnils } : {}),
                      },
                    }),
              },
              accountNumber: a.number,
              ...(a.gisAccountGuid && !reopening ? { accountGuid: a.gisAccountGuid } : {}),
              ...(reason ? { supplyResourceContracts: [reason] } : {}),
            },
          },
        });
      }
      return { ready: [...closing.ready, ...ready], rejected: [...closing.rejected, ...rejected] };
    },

    batchKey: (d) => d.houseFias,

    payload(batch) {
      return { accounts: batch.map((b) => ({ ...b.data.account, transportGuid: b.transportGuid })) };
    },

    async apply(em, _answer, matched, ctx) {
      await applyUnused(em, matched, ctx);
      const closed = new Set(
        (
          await findIn(
            em,
            Account,
            "id",
            matched.filter((m) => m.objectId > 0).map((m) => m.objectId),
          )
        )
          .filter((a) => a.closedDate)
          .map((a) => a.id),
      );
      await writeOutcomes(
        em,
        Account,
        matched.filter((x) => x.objectId > 0),
        ctx,
        (r, m) => ({
          ...(r.guid ? { gisAccountGuid: lower(r.guid) } : {}),
          ...(r.values.UnifiedAccountNumber ? { unifiedNumber: r.values.UnifiedAccountNumber } : {}),
          ...(r.values.ServiceID ? { utilityServiceId: r.values.ServiceID } : {}),
          // Accepted with Closed: GIS holds it closed; accepted open: it is open there (a reopened one too).
          gisClosed: closed.has(m.objectId),
        }),
      );
    },

    reconcile: {
      method: "exportAccountData",
      payload: (objects) => ({ fiasHouseGuid: objects[0].data.houseFias }),
      found(answer, objects) {
        const byNumber = new Map<string, string>();
        const openByNumber = new Map<string, string[]>();
        const closed = new Set<string>();
        for (const row of exportRows(answer, "exportAccountResult")) {
          const number = valueAt(row, "AccountNumber");
          const guid = lower(valueAt(row, "AccountGUID"));
          if (number && guid) byNumber.set(number, guid);
          if (guid && valueAt(row, "Closed/CloseDate") !== null) closed.add(guid);
          else if (number && guid) openByNumber.set(number, [...(openByNumber.get(number) ?? []), guid]);
        }
        const found = new Map<number, string>();
        for (const o of objects) {
          // An unused account's close took effect only if GIS shows it closed.
          if (o.data.closingGuid) {
            if (closed.has(o.data.closingGuid)) found.set(o.objectId, o.data.closingGuid);
            continue;
          }
          // A reopened account took effect only if GIS has an open one of that number besides the closed one.
          if (o.data.reopening) {
            const g = (openByNumber.get(o.data.number) ?? []).find((x) => x !== o.data.reopening);
            if (g) found.set(o.objectId, g);
            continue;
          }
          const g = byNumber.get(o.data.number);
          if (g) found.set(o.objectId, g);
        }
        return found;
      },
    },
  },
});

/** Our supply contracts by house (РСО accounts name the contract they are opened under). */
async function supplyContracts(ds: DataSource, ctx: StageContext, houseIds: Array<number | undefined>): Promise<Map<number, AtStand<"contract">>> {
  const objects = await findIn(ds, ContractObject, "houseId", houseIds);
  const contracts = await loadAt(
    ds,
    "contract",
    objects.map((o) => o.contractId),
    ctx.stand,
  );
  const out = new Map<number, AtStand<"contract">>();
  for (const o of objects) {
    const c = contracts.get(o.contractId);
    if (c && c.kind === "supply" && c.organizationId === ctx.organizationId && !c.terminationDate) out.set(o.houseId, c);
  }
  return out;
}
