/** Storing the elements of an NSI answer (NsiItem / NsiPagingItem) into nsi_item. */
import { EntityManager } from "typeorm";
import { NsiItem } from "../../../entities";
import { child, children, descendant, text } from "../../transport/results/safe-xml";
import { DEFAULT_STAND } from "../../storage/identity/move";
import { lower } from "../answer";
import { StateAnswer } from "../types";

export interface NsiElementRow {
  code: string;
  guid: string;
  name: string | null;
  isActual: boolean;
  modified: string | null;
  parentGuid: string | null;
  fields: Record<string, string>;
}

/** A field's value: Value for plain types, the referenced element's Code for references. */
function fieldValue(f: Element): string | null {
  return text(child(f, "Value")) ?? (descendant(f, "Code") ? text(descendant(f, "Code")) : null);
}

function elementRows(el: Element, parentGuid: string | null): NsiElementRow[] {
  const guid = lower(text(child(el, "GUID")));
  const code = text(child(el, "Code"));
  if (!guid || !code) return [];
  const fields: Record<string, string> = {};
  for (const f of children(el, "NsiElementField")) {
    const name = text(child(f, "Name"));
    const value = fieldValue(f);
    if (name && value !== null) fields[name] = value;
  }
  const row: NsiElementRow = {
    code,
    guid,
    parentGuid,
    fields,
    isActual: text(child(el, "IsActual")) !== "false",
    modified: text(child(el, "Modified")),
    name: Object.values(fields)[0] ?? null,
  };
  return [row, ...children(el, "ChildElement").flatMap((c) => elementRows(c, guid))];
}

/** The registry number and its elements (children flattened, each knowing its parent). */
export function nsiAnswer(answer: StateAnswer): { registry: number; rows: NsiElementRow[] } | null {
  const item = child(answer.result, "NsiItem") ?? child(answer.result, "NsiPagingItem");
  if (!item) return null;
  return { registry: Number(text(child(item, "NsiItemRegistryNumber"))), rows: children(item, "NsiElement").flatMap((e) => elementRows(e, null)) };
}

/**
 * Inserts or refreshes the elements of one registry (common, or an organization's own). An
 * organization's own elements are the stand's they were read from; common ones are kept once.
 */
export async function storeNsi(
  em: EntityManager,
  registry: number,
  rows: NsiElementRow[],
  listGroup: NsiItem["listGroup"],
  organizationId: number | null,
  stand: string = DEFAULT_STAND,
): Promise<void> {
  const repo = em.getRepository(NsiItem);
  const at = listGroup === "PRIVATE" ? stand : DEFAULT_STAND;
  for (const r of rows) {
    const existing = await repo.findOne({ where: { registryNumber: registry, listGroup, stand: at, guid: r.guid } });
    const values = {
      registryNumber: registry,
      listGroup,
      stand: at,
      organizationId,
      code: r.code,
      guid: r.guid,
      name: r.name?.slice(0, 1000) ?? null,
      fields: JSON.stringify(r.fields),
      parentGuid: r.parentGuid,
      isActual: r.isActual,
      modifiedAt: r.modified ? new Date(r.modified) : null,
    };
    if (existing) await repo.update(existing.id, values);
    else await repo.insert(values);
  }
}
