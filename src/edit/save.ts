/**
 * Saving an operator's entry: checked like an imported row, refused for fields the sync markers
 * protect, earlier values of "history" fields kept with their period, an audit row, and the
 * object marked changed so «Отправить изменения» sends it.
 */
import crypto from "node:crypto";
import { DataSource, EntityManager, ObjectLiteral } from "typeorm";
import { AccountAccommodation, MeterAccount } from "../../entities";
import { ApiError, ValidationError, notFound } from "../api/http";
import { audit } from "../api/audit";
import { recordChange } from "../history/history";
import { FieldPolicies } from "../history/policy";
import { metadataFor } from "../importer/import-file";
import { Values } from "../importer/rules";
import { UserError } from "../util/errors";
import { EditKind, editFields } from "./kinds";
import { fieldLabel } from "./labels";
import { markChanged } from "./mark-changed";
import { FIELDS, isKind } from "../storage/identity/fields";
import { FieldProblem, checkEntry } from "./validate";

/** Objects entered by hand carry this prefix in externalId: no billing import knows them. */
export const MANUAL_PREFIX = "manual:";

/** Fields whose values stay out of the audit row (payers' personal data). */
const PERSONAL = /^payer(Snils|Document|LastName|FirstName|MiddleName)/;

export interface SaveResult {
  object: ObjectLiteral;
  created: boolean;
  changed: string[];
  warnings: FieldProblem[];
}

/** Links a create or an edit may carry besides the object's own fields. */
interface Links {
  /** An account's accommodation: a premise, a room or the house itself. */
  accommodation?: { houseId?: number; premiseId?: number; roomId?: number; sharePercent?: number };
  /** A meter's accounts. */
  accountIds?: number[];
}

/** Value equality across drivers (as the importer compares). */
function same(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || a === "") return b === null || b === undefined || b === "";
  if (b === null || b === undefined) return false;
  if (typeof a === "number" || typeof b === "number") return Number(a) === Number(b);
  if (typeof a === "boolean" || typeof b === "boolean") return Boolean(a) === Boolean(b);
  return String(a) === String(b);
}

function refuse(what: string, problems: FieldProblem[]): never {
  throw new ValidationError(`${what}: ${problems.map((p) => `поле «${p.label}» (${p.field}) — ${p.message}`).join("; ")}`, problems);
}

const isIdentityField = (entity: string, prop: string): boolean => isKind(entity) && Object.hasOwn(FIELDS[entity], prop);

/** Splits the body: the object's fields, the links, and a refusal for anything else. */
function splitBody(em: EntityManager, kind: EditKind, body: Record<string, unknown>, what: string, policies: FieldPolicies): { fields: Values; links: Links } {
  const known = new Set(editFields(kind).map((x) => x.property));
  const meta = metadataFor(em, kind.entity);
  const fields: Values = {};
  const links: Links = {};
  for (const [prop, value] of Object.entries(body)) {
    if (known.has(prop)) fields[prop] = value;
    else if (prop === "accommodation" && kind.entity === "account") links.accommodation = value as Links["accommodation"];
    else if (prop === "accountIds" && kind.entity === "meter") links.accountIds = value as number[];
    // GIS identity is no column (it is the stands', gis_identity) yet is refused as GIS's, like a column GIS fills.
    else if ((meta.findColumnWithPropertyName(prop) || isIdentityField(kind.entity, prop)) && policies.isFromGis(kind.entity, prop))
      editable(policies, kind, prop, what, true);
    else
      throw new ValidationError(`${what}: поле ${prop} не редактируется`, [{ field: prop, label: fieldLabel(kind.entity, prop), message: "не редактируется" }]);
  }
  return { fields, links };
}

function editable(policies: FieldPolicies, kind: EditKind, prop: string, what: string, fromBilling: boolean): void {
  try {
    policies.assertEditable(kind.entity, prop, `${what}, поле «${fieldLabel(kind.entity, prop)}» (${prop})`, fromBilling);
  } catch (e) {
    if (e instanceof UserError) throw new ApiError(409, "read_only", e.message);
    throw e;
  }
}

async function checkLinks(em: EntityManager, kind: EditKind, links: Links, what: string): Promise<void> {
  const bad = (field: string, message: string) => refuse(what, [{ field, label: fieldLabel(kind.entity, field), message }]);
  const a = links.accommodation;
  if (a !== undefined) {
    if (!a || typeof a !== "object") bad("accommodation", "ожидается объект {houseId, premiseId, roomId, sharePercent}");
    const refs: Array<[keyof typeof a, string]> = [
      ["houseId", "house"],
      ["premiseId", "premise"],
      ["roomId", "room"],
    ];
    if (!refs.some(([k]) => a[k] !== undefined && a[k] !== null)) bad("accommodation", "не указано ни помещение, ни комната, ни дом");
    for (const [k, table] of refs) {
      const v = a[k];
      if (v === undefined || v === null) continue;
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1) bad(`accommodation.${k}`, "ожидается идентификатор (целое число)");
      if ((await em.getRepository(metadataFor(em, table).target).countBy({ id: v })) === 0) bad(`accommodation.${k}`, `нет записи с идентификатором ${v}`);
    }
    if (a.sharePercent !== undefined && a.sharePercent !== null && (typeof a.sharePercent !== "number" || a.sharePercent < 0 || a.sharePercent > 100))
      bad("accommodation.sharePercent", "доля от 0 до 100");
  }
  if (links.accountIds !== undefined) {
    const ids = links.accountIds;
    if (!Array.isArray(ids) || ids.some((x) => typeof x !== "number" || !Number.isInteger(x) || x < 1)) bad("accountIds", "ожидается список идентификаторов");
    for (const id of ids) if ((await em.getRepository(metadataFor(em, "account").target).countBy({ id })) === 0) bad("accountIds", `нет лицевого счёта ${id}`);
  }
}

async function writeLinks(em: EntityManager, kind: EditKind, id: number, links: Links): Promise<void> {
  const a = links.accommodation;
  if (a && kind.entity === "account") {
    await em.getRepository(AccountAccommodation).delete({ accountId: id });
    await em.getRepository(AccountAccommodation).insert({
      accountId: id,
      houseId: a.houseId ?? null,
      premiseId: a.premiseId ?? null,
      roomId: a.roomId ?? null,
      sharePercent: a.sharePercent ?? null,
    });
  }
  if (links.accountIds && kind.entity === "meter") {
    await em.getRepository(MeterAccount).delete({ meterId: id });
    for (const accountId of links.accountIds) await em.getRepository(MeterAccount).insert({ meterId: id, accountId });
  }
}

/** Creates (id null) or changes an object of `kind` from an operator's entry. */
export async function saveEntry(
  ds: DataSource,
  kind: EditKind,
  id: number | null,
  body: Record<string, unknown>,
  actor: string,
  defaults: Values = {},
): Promise<SaveResult> {
  const policies = await FieldPolicies.load(ds);
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  return ds.transaction(async (em) => {
    const repo = em.getRepository(kind.target);
    const old = id === null ? null : ((await repo.findOneBy({ id })) as Values | null);
    if (id !== null && !old) throw notFound(`${kind.title} ${id}`);
    const what = old ? kind.name(old) : `Новый объект «${kind.title}»`;
    const { fields, links } = splitBody(em, kind, body, what, policies);
    if (!old) for (const [k, v] of Object.entries(defaults)) if (fields[k] === undefined) fields[k] = v;
    const checked = await checkEntry(em, kind, fields, old);
    // A protected field is refused as such, whatever the value offered for it.
    if (old)
      for (const p of checked.problems)
        if (p.field in fields && !same(fields[p.field], old[p.field]))
          editable(policies, kind, p.field, what, !String(old.externalId ?? "").startsWith(MANUAL_PREFIX));
    if (checked.problems.length) refuse(what, checked.problems);
    await checkLinks(em, kind, links, what);
    const meta = metadataFor(em, kind.entity);

    if (!old) {
      const row: Values = { externalId: `${MANUAL_PREFIX}${crypto.randomUUID()}` };
      for (const [k, v] of Object.entries(checked.values)) {
        const col = meta.findColumnWithPropertyName(k);
        if (v === null && col && !col.isNullable) continue; // the column's default
        row[k] = v;
      }
      for (const prop of Object.keys(checked.values)) editable(policies, kind, prop, what, false);
      const inserted = await repo.insert(markChanged(meta, row, now, true));
      const newId = Number(inserted.identifiers[0].id);
      await writeLinks(em, kind, newId, links);
      await audit(em, actor, `${kind.entity}.create`, `${kind.entity}:${newId}`, { fields: Object.keys(checked.values), ...linkDetails(links) });
      return {
        object: (await repo.findOneByOrFail({ id: newId })) as ObjectLiteral,
        created: true,
        changed: Object.keys(checked.values),
        warnings: checked.warnings,
      };
    }

    const fromBilling = !String(old.externalId ?? "").startsWith(MANUAL_PREFIX);
    const patch: Values = {};
    for (const [prop, value] of Object.entries(checked.values)) {
      if (same(value, old[prop])) continue;
      if (kind.fixed.includes(prop)) refuse(what, [{ field: prop, label: fieldLabel(kind.entity, prop), message: "задаётся при создании и не изменяется" }]);
      editable(policies, kind, prop, what, fromBilling);
      patch[prop] = value;
    }
    const changed = Object.keys(patch);
    if (changed.length === 0 && !links.accommodation && !links.accountIds)
      return { object: old as ObjectLiteral, created: false, changed, warnings: checked.warnings };
    for (const prop of changed) {
      if (policies.keepsHistory(kind.entity, prop))
        await recordChange(em, { entityType: kind.entity, entityId: id!, field: prop, oldValue: old[prop], changedOn: today, by: actor });
    }
    await repo.update({ id: id! }, markChanged(meta, patch, now, false));
    await writeLinks(em, kind, id!, links);
    await audit(em, actor, `${kind.entity}.edit`, `${kind.entity}:${id}`, {
      changes: changed.map((p) => (PERSONAL.test(p) ? { field: p } : { field: p, from: old[p] ?? null, to: patch[p] ?? null })),
      ...linkDetails(links),
    });
    return { object: (await repo.findOneByOrFail({ id: id! })) as ObjectLiteral, created: false, changed, warnings: checked.warnings };
  });
}

const linkDetails = (l: Links) => ({
  ...(l.accommodation ? { accommodation: l.accommodation } : {}),
  ...(l.accountIds ? { accountIds: l.accountIds } : {}),
});
