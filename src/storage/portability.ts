/**
 * The model must create the same schema on MS SQL, PostgreSQL and SQLite. This walks the built
 * entity metadata and names every column or identifier that one of them would refuse.
 */
import { DataSource } from "typeorm";

const PORTABLE_TYPES = new Set<unknown>([String, Number, Boolean, Date, "text", "int", "bigint", "decimal", "date"]);
/** PostgreSQL truncates identifiers past 63 bytes; SQL Server allows 128. */
const MAX_IDENTIFIER = 63;

export function portabilityProblems(ds: DataSource): string[] {
  const problems: string[] = [];
  for (const e of ds.entityMetadatas) {
    const where = (c: string) => `${e.tableName}.${c}`;
    if (e.tableName.length > MAX_IDENTIFIER) problems.push(`${e.tableName}: table name longer than ${MAX_IDENTIFIER}`);
    for (const c of e.columns) {
      const t = c.type;
      if (!PORTABLE_TYPES.has(t)) problems.push(`${where(c.databaseName)}: type "${String(typeof t === "function" ? t.name : t)}" is not portable`);
      if (c.isArray) problems.push(`${where(c.databaseName)}: array columns exist only on PostgreSQL`);
      if (c.enum) problems.push(`${where(c.databaseName)}: enum types differ per dialect; use a string column`);
      if (t === String && (!c.length || Number(c.length) > 4000))
        problems.push(`${where(c.databaseName)}: strings need a length ≤ 4000 (nvarchar limit); use "text" for longer`);
      if (t === "decimal" && (!c.precision || c.precision > 38)) problems.push(`${where(c.databaseName)}: decimals need a precision ≤ 38`);
      if (c.isGenerated && c.generationStrategy !== "increment") problems.push(`${where(c.databaseName)}: only increment generation is portable`);
      if (typeof c.default === "function") problems.push(`${where(c.databaseName)}: SQL-expression defaults are dialect-specific`);
      if (c.databaseName.length > MAX_IDENTIFIER) problems.push(`${where(c.databaseName)}: column name too long`);
    }
    for (const i of e.indices) {
      if (i.where) problems.push(`${e.tableName}: filtered index ${i.name} is dialect-specific`);
      if (i.isSpatial || i.isFulltext) problems.push(`${e.tableName}: index ${i.name} kind is dialect-specific`);
    }
    for (const fk of e.foreignKeys) {
      // SQL Server refuses multiple cascade paths; cascades are done by code, never by the database.
      if (fk.onDelete && fk.onDelete !== "NO ACTION") problems.push(`${e.tableName}: FK ${fk.name} has ON DELETE ${fk.onDelete}`);
    }
  }
  return problems;
}
