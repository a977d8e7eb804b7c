/**
 * Checks an operator's entry the way the billing importer checks a row: the bundle column's type
 * (src/importer/convert.ts), the column checks (ИНН, ОГРН, СНИЛС, ОКТМО…) and the row rules
 * (src/importer/rules.ts) — one set of checks for both ways in. References are our ids and must
 * exist. Every complaint names the object and the field in Russian.
 */
import { EntityManager, In } from "typeorm";
import { FieldSpec, fileSpec } from "../bundle/format";
import { COLUMN_CHECKS, convert } from "../importer/convert";
import { metadataFor } from "../importer/import-file";
import { ROW_RULES, Values } from "../importer/rules";
import { EditKind, editFields } from "./kinds";
import { fieldLabel } from "./labels";

export interface FieldProblem {
  /** The entity property («totalArea»). */
  field: string;
  label: string;
  message: string;
}

export interface Checked {
  /** Converted values by property, of the fields the body carries. */
  values: Values;
  problems: FieldProblem[];
  /** Warnings the importer would journal (a check digit, a row rule of severity warning). */
  warnings: FieldProblem[];
}

/** A JSON value as the text a bundle cell would hold. */
function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "NaN";
  if (typeof v === "string") return v.trim();
  return undefined as unknown as string;
}

/**
 * Checks `body` (property → value) for `kind`. `existing` is the object before the edit (null when
 * created): required fields must be given on creation and may not be emptied later; row rules
 * see the object as it will be.
 */
export async function checkEntry(em: EntityManager, kind: EditKind, body: Record<string, unknown>, existing: Values | null): Promise<Checked> {
  const fields = editFields(kind);
  const byProp = new Map(fields.map((x) => [x.property, x]));
  const values: Values = {};
  const problems: FieldProblem[] = [];
  const warnings: FieldProblem[] = [];
  const problem = (spec: FieldSpec | string, message: string, list = problems) => {
    const field = typeof spec === "string" ? spec : spec.property;
    list.push({ field, label: fieldLabel(kind.entity, field), message });
  };
  for (const [prop, raw] of Object.entries(body)) {
    const spec = byProp.get(prop);
    if (!spec) continue; // the caller refuses unknown and GIS fields
    const text = asText(raw);
    if (text === undefined) {
      problem(spec, "ожидается строка, число, true/false или null");
      continue;
    }
    if (text === null || text === "") {
      if (spec.required) problem(spec, "обязательное поле не заполнено");
      else values[prop] = null;
      continue;
    }
    if (spec.type.kind === "ref") {
      if (!/^\d{1,10}$/.test(text)) problem(spec, "ожидается идентификатор (целое число)");
      else values[prop] = Number(text);
      continue;
    }
    const c = convert(text, spec.type);
    if (!c.ok) {
      problem(spec, c.message);
      continue;
    }
    const check = COLUMN_CHECKS[spec.column]?.(text) ?? null;
    if (check) problem(spec, check, check.includes("контрольное число") ? warnings : problems);
    values[prop] = c.value;
  }
  if (!existing) {
    for (const spec of fields) if (spec.required && !(spec.property in body)) problem(spec, "обязательное поле не заполнено");
  }
  await checkRefs(em, fields, values, problem);
  if (problems.length === 0) {
    // The row rules read bundle columns: the object as it will be, by column name.
    const row: Values = {};
    for (const spec of fileSpec(kind.file).fields) {
      if (!spec.property) continue;
      row[spec.column] = spec.property in values ? values[spec.property] : (existing?.[spec.property] ?? null);
    }
    for (const issue of ROW_RULES[kind.file]?.(row, { verificationDateIsNext: false, today: new Date().toISOString().slice(0, 10) }) ?? []) {
      const spec = fileSpec(kind.file).fields.find((x) => x.column === issue.column);
      problem(spec?.property || issue.column || "", issue.message, issue.severity === "error" ? problems : warnings);
    }
  }
  return { values, problems, warnings };
}

/** References (houseId, premiseId, organizationId…) must name rows that exist. */
async function checkRefs(em: EntityManager, fields: FieldSpec[], values: Values, problem: (spec: FieldSpec, message: string) => void): Promise<void> {
  for (const spec of fields) {
    if (spec.type.kind !== "ref" || typeof values[spec.property] !== "number") continue;
    const table = fileSpec(spec.type.file).entity;
    const found = await em.getRepository(metadataFor(em, table).target).count({ where: { id: In([values[spec.property]]) } });
    if (found === 0) problem(spec, `нет записи с идентификатором ${values[spec.property]}`);
  }
}
