/**
 * Templates of the sync-field markers (the manual's «Выбрать шаблон»): a template is the set of
 * fields whose markers differ from the installation defaults. Choosing one replaces the
 * installation's field_policy rows with the template's; the operator adjusts fields after that.
 */
import { EntityManager } from "typeorm";
import { FieldPolicy } from "../../entities/field-policy";
import { FieldPolicies, Flags } from "./policy";

export interface FieldTemplate {
  id: string;
  title: string;
  description: string;
  /** entity → fields taken off replication (edited by hand, never overwritten by an import). */
  manual: Record<string, string[]> | "all";
}

/** The manual's advice for a managing organization: areas, floors and entrances are often missing in billing. */
const FUND_BY_HAND: Record<string, string[]> = {
  house: [
    "totalArea",
    "residentialArea",
    "nonResidentialArea",
    "buildingArea",
    "floors",
    "undergroundFloors",
    "minFloors",
    "entrancesCount",
    "builtYear",
    "commissionedYear",
    "culturalHeritage",
    "stateCode",
    "timeZone",
    "cadastralNumber",
    "oktmo",
  ],
  entrance: ["floors", "builtYear"],
  premise: ["totalArea", "residentialArea", "roomsCount", "cadastralNumber", "characteristicCode"],
  room: ["area", "cadastralNumber"],
  account: ["totalArea", "residentialArea", "heatedArea", "residentsCount", "paymentShare", "closeReasonCode", "closeDescription"],
  meter: ["archiveReasonCode", "archivedDate", "lastVerificationDate", "verificationIntervalMonths"],
};

export const FIELD_TEMPLATES: FieldTemplate[] = [
  {
    id: "default",
    title: "Шаблон по умолчанию",
    description: "Все поля выгрузки учётной системы — репликационные (только для чтения); идентификаторы ГИС, ЕЛС и ИЖКУ — из ГИС",
    manual: {},
  },
  {
    id: "fund-by-hand",
    title: "Характеристики фонда вручную",
    description: "Площади, этажность, подъезды, кадастровые номера, причины закрытия и архивации вносятся вручную; остальное — из учётной системы",
    manual: FUND_BY_HAND,
  },
  {
    id: "all-by-hand",
    title: "Без учётной системы",
    description: "Все поля вносятся вручную в карточках; загрузка из учётной системы их не перезаписывает",
    manual: "all",
  },
];

/** The rows a template writes for the given fields (entity → properties on screen). */
export function templateRows(t: FieldTemplate, fields: Record<string, string[]>): Array<Omit<FieldPolicy, "id">> {
  const rows: Array<Omit<FieldPolicy, "id">> = [];
  for (const [entity, list] of Object.entries(fields)) {
    const manual = t.manual === "all" ? list : (t.manual[entity] ?? []);
    for (const field of manual) {
      const d: Flags = FieldPolicies.defaultFlags(entity, field);
      if (!d.replicated) continue;
      rows.push({ entityType: entity, field, replicated: false, history: d.history, importedFromGis: false });
    }
  }
  return rows;
}

/** Replaces the installation's markers with the template's, in the caller's transaction. */
export async function applyTemplate(em: EntityManager, t: FieldTemplate, fields: Record<string, string[]>): Promise<number> {
  await em.getRepository(FieldPolicy).createQueryBuilder().delete().execute();
  const rows = templateRows(t, fields);
  for (let i = 0; i < rows.length; i += 100) await em.getRepository(FieldPolicy).insert(rows.slice(i, i + 100));
  return rows.length;
}
