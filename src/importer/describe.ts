/**
 * The bundle format as a document, printed from src/bundle/format.ts so the two can't drift:
 * `gis-sync import --describe` prints it, docs/bundle-format.md is this output.
 */
import { BUNDLE_FILES, FieldType } from "../bundle/format";

function typeText(t: FieldType): string {
  switch (t.kind) {
    case "string":
      return `текст ≤ ${t.max}`;
    case "int":
      return `целое${t.min !== undefined ? ` ≥ ${t.min}` : ""}${t.max !== undefined ? ` ≤ ${t.max}` : ""}`;
    case "decimal":
      return `число, ≤ ${t.scale} знаков после запятой${t.min !== undefined ? `, ≥ ${t.min}` : ""}`;
    case "reading":
      return "показание: до 15 цифр и до 7 после запятой";
    case "date":
      return "дата ГГГГ-ММ-ДД или ДД.ММ.ГГГГ";
    case "bool":
      return "1/0 (да/нет)";
    case "guid":
      return "GUID";
    case "enum":
      return `одно из: ${t.values.join(", ")}`;
    case "ref":
      return `id из ${t.file}`;
  }
}

export function describeBundle(): string {
  const out: string[] = [
    "# Billing bundle format / Формат выгрузки из учётной системы",
    "",
    "Generated from `src/bundle/format.ts` by `gis-sync import --describe`; do not edit by hand.",
    "",
    "A bundle is a folder with one file per entity: `<name>.csv` (UTF-8 or Windows-1251, `;` `,` or tab",
    "separated, header row of the column names below, in any order) or `<name>.xlsx` (first sheet, header in",
    "row 1). Files that are absent are skipped. Rows are keyed by the billing program's own ids (`id`, or the",
    "key columns of a link file): importing the same bundle again changes nothing, a changed row is updated.",
    "Files are imported in the order below, each in one transaction; a bad row goes to the import journal",
    "(file, row, column, value, what is wrong) and the rest of the file still loads. A file that cannot be",
    "read (not CSV/XLSX, broken quoting, a required column missing) is rolled back whole.",
    "",
    "Decimal separators `.` and `,` are both accepted. Empty cell = no value.",
    "",
    "## Reading from the billing database",
    "",
    "`gis-sync import --from-sql <URL> --map mapping.json` reads the same files from the billing program's",
    "database (`mssql://user:pass@host/db?encrypt=true&trustServerCertificate=true`, `postgres://…`,",
    "`mysql://…`), one view, table or query per file; rows are streamed with a server-side cursor.",
    "",
    "```json",
    '{ "files": {',
    '    "houses":   { "table": "v_gis_houses", "columns": { "id": "house_code", "address": "addr" } },',
    '    "accounts": { "query": "SELECT ls_code AS id, org_code AS organization_id, ls_number AS number FROM ls" } } }',
    "```",
    "",
    "`columns` maps a bundle column to the source column; unmapped bundle columns are read by their own name.",
    "The journal names rows of a database source `sql:<file>`, row = ordinal of the row in the result.",
    "",
    "Exit codes of `gis-sync import`: 0 done (rejected rows are in the journal), 1 a file or the source",
    "could not be read, 3 rows were rejected and `--strict` was given.",
    "",
  ];
  for (const f of BUNDLE_FILES) {
    out.push(`## ${f.name} — ${f.title}`, "", `Key: ${f.key.join(" + ")}.`, "", "| column | required | type | note |", "|---|---|---|---|");
    for (const c of f.fields) {
      out.push(`| ${c.column} | ${c.required ? "yes" : ""} | ${typeText(c.type)} | ${(c.note ?? "").replace(/\|/g, "/")} |`);
    }
    out.push("");
  }
  return out.join("\n");
}
