/**
 * «Закрыть неиспользуемые лицевые»: accounts GIS has open for our organization in the houses of the
 * scope that our database does not know — neither by GUID nor, for our accounts not linked yet, by
 * number. importAccountData closes them (the account as GIS exported it, plus Closed with the NSI 22
 * reason «Ошибка ввода» and today's date). Only when asked: see ../unused.ts.
 */
import { DataSource } from "typeorm";
import { Account } from "../../../../entities";
import { AccommodationInput, AccountInput, PersonInput, SupplyContractReason } from "./account-message";
import { exportedAccounts } from "../export-account-data";
import { child, children } from "../../../transport/results/safe-xml";
import { lower, valueAt } from "../../../stages/answer";
import { Prepared, Rejection, Scope, StageContext } from "../../../stages/descriptor";
import { NSI, NsiIndex } from "../../../stages/nsi";
import { Checks, PRE } from "../../../stages/preflight";
import { identitiesAt } from "../../../storage/identity/store";
import type { AccountData } from "../import-account-data";
import { FoundUnused, latestHouseExports, recordUnused, unusedRows } from "../unused";

/** The NSI 22 element unused accounts are closed with. */
export const UNUSED_CLOSE_REASON = "Ошибка ввода";

/** What closing needs of a GIS account: the account as exported, without its GIS-assigned numbers. */
export type ExportedAccountData = Omit<AccountInput, "transportGuid" | "closed">;

const num = (v: string | null) => (v === null ? undefined : Number(v));

function payerOf(row: Element): ExportedAccountData["payer"] {
  const p = child(row, "PayerInfo");
  const ind = p ? child(p, "Ind") : null;
  const org = p ? child(p, "Org") : null;
  const person = (e: Element): PersonInput => {
    const id = child(e, "ID");
    const type = id ? child(id, "Type") : null;
    return {
      surname: valueAt(e, "Surname") ?? "",
      firstName: valueAt(e, "FirstName") ?? "",
      ...(valueAt(e, "Patronymic") ? { patronymic: valueAt(e, "Patronymic")! } : {}),
      ...(valueAt(e, "SNILS")
        ? { snils: valueAt(e, "SNILS")! }
        : id && type
          ? {
              document: {
                type: { code: valueAt(type, "Code") ?? "", guid: valueAt(type, "GUID") ?? "" },
                ...(valueAt(id, "Series") ? { series: valueAt(id, "Series")! } : {}),
                number: valueAt(id, "Number") ?? "",
                issueDate: valueAt(id, "IssueDate") ?? "",
              },
            }
          : {}),
    };
  };
  return {
    ...(p && valueAt(p, "IsRenter") === "true" ? { isRenter: true } : {}),
    ...(p && valueAt(p, "isAccountsDivided") === "true" ? { accountsDivided: true } : {}),
    ...(ind ? { person: person(ind) } : org && valueAt(org, "orgVersionGUID") ? { orgVersionGuid: valueAt(org, "orgVersionGUID")! } : {}),
  };
}

function accommodationsOf(row: Element): AccommodationInput[] {
  return children(row, "Accommodation")
    .map((a): AccommodationInput => {
      const share = num(valueAt(a, "SharePercent"));
      const place = valueAt(a, "PremisesGUID")
        ? { premisesGuid: lower(valueAt(a, "PremisesGUID"))! }
        : valueAt(a, "LivingRoomGUID")
          ? { livingRoomGuid: lower(valueAt(a, "LivingRoomGUID"))! }
          : { fiasHouseGuid: lower(valueAt(a, "FIASHouseGuid")) ?? "" };
      return { ...place, ...(share !== undefined ? { sharePercent: share } : {}) };
    })
    .filter((a) => a.premisesGuid || a.livingRoomGuid || a.fiasHouseGuid);
}

/** Finds the unused accounts on `stand` (our accounts as that stand knows them), records them, and returns the negative ids to close now. */
export async function selectUnusedAccounts(ds: DataSource, scope: Scope, stand: string): Promise<number[]> {
  const ours = await ds.getRepository(Account).find({ select: { id: true, number: true }, where: { organizationId: scope.organizationId } });
  const identity = await identitiesAt(
    ds,
    "account",
    ours.map((a) => a.id),
    stand,
  );
  const guidOf = (a: Account) => identity.get(a.id)?.gisAccountGuid ?? null;
  const ourGuids = new Set(
    ours
      .map(guidOf)
      .filter((g): g is string => !!g)
      .map((g) => g.toLowerCase()),
  );
  const unlinkedNumbers = new Set(ours.filter((a) => !guidOf(a)).map((a) => a.number));
  const found: FoundUnused[] = [];
  for (const { house, answer, at } of await latestHouseExports(ds, scope, "exportAccountData", stand)) {
    const rows = children(answer.result, "exportAccountResult");
    for (const [i, a] of exportedAccounts(answer.result).entries()) {
      if (a.closed || ourGuids.has(a.accountGuid) || (a.accountNumber !== null && unlinkedNumbers.has(a.accountNumber)) || !a.role) continue;
      const row = rows[i];
      const data: ExportedAccountData = {
        role: a.role,
        accommodations: accommodationsOf(row),
        payer: payerOf(row),
        accountGuid: a.accountGuid,
        ...(a.accountNumber ? { accountNumber: a.accountNumber } : {}),
        ...(a.livingPersonsNumber !== null ? { livingPersonsNumber: a.livingPersonsNumber } : {}),
        ...(a.totalSquare !== null ? { totalSquare: a.totalSquare } : {}),
        ...(num(valueAt(row, "ResidentialSquare")) !== undefined ? { residentialSquare: num(valueAt(row, "ResidentialSquare")) } : {}),
        ...(num(valueAt(row, "HeatedArea")) !== undefined ? { heatedArea: num(valueAt(row, "HeatedArea")) } : {}),
        ...(a.supplyResourceContractGuids.length
          ? { supplyResourceContracts: a.supplyResourceContractGuids.map((g): SupplyContractReason => ({ contractGuid: g })) }
          : {}),
      };
      found.push({ gisGuid: a.accountGuid, number: a.accountNumber, fiasHouseGuid: house.fiasHouseGuid!.toLowerCase(), data, foundAt: at });
    }
  }
  return recordUnused(ds, scope.organizationId, "account", found, stand);
}

/** The closing requests of unused accounts (negative ids). */
export async function prepareUnusedAccounts(ds: DataSource, negativeIds: number[], ctx: StageContext): Promise<Prepared<AccountData>> {
  const out: Prepared<AccountData> = { ready: [], rejected: [] };
  if (negativeIds.length === 0) return out;
  const nsi = await NsiIndex.load(ds, [NSI.closeReason], ctx.organizationId, ctx.stand);
  const reason = nsi.byValue(NSI.closeReason, UNUSED_CLOSE_REASON);
  for (const row of await unusedRows(ds, negativeIds)) {
    const id = -row.id;
    const data = JSON.parse(row.data ?? "{}") as ExportedAccountData;
    const c = new Checks(id, [
      ["Лицевой (только в ГИС)", row.number ?? row.gisGuid],
      ["Дом", row.fiasHouseGuid],
    ]);
    c.fail(!reason, PRE.nsi, "closeReasonCode", `Не найдена причина закрытия «${UNUSED_CLOSE_REASON}» в справочнике ГИС (НСИ 22)`);
    c.fail(!data.accommodations?.length, PRE.noPlace, "accommodation", "В ответе ГИС у лицевого счёта нет помещения, комнаты или дома");
    c.fail(!data.payer?.person && !data.payer?.orgVersionGuid, PRE.payer, "payer", "В ответе ГИС у лицевого счёта нет плательщика");
    if (!c.ok) {
      out.rejected.push(c.first as Rejection);
      continue;
    }
    out.ready.push({
      objectId: id,
      data: {
        number: row.number ?? "",
        houseFias: row.fiasHouseGuid ?? "",
        closingGuid: row.gisGuid,
        account: { ...data, closed: { reason: reason!, date: ctx.now.toISOString().slice(0, 10), description: "Лицевой счёт отсутствует в учётной системе" } },
      },
    });
  }
  return out;
}
