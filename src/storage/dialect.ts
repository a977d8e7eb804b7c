/**
 * The three databases differ in a few type names. Entities and migrations speak one portable
 * vocabulary (entities/columns.ts); this module is the single place that maps it per dialect.
 */
import { DataSource, TableColumn, TableColumnOptions } from "typeorm";

export type Dialect = "sqlite" | "postgres" | "mssql";

export function dialectOf(ds: DataSource): Dialect {
  const t = ds.options.type;
  if (t === "better-sqlite3") return "sqlite";
  if (t === "postgres") return "postgres";
  if (t === "mssql") return "mssql";
  throw new Error(`Unsupported database type: ${t}`);
}

/**
 * SQL Server has no unicode `text` and its `datetime` is coarse: use nvarchar(max) and datetime2.
 * Applied to the built entity metadata before anything touches the database.
 */
export function adaptMetadataToDialect(ds: DataSource): void {
  if (dialectOf(ds) !== "mssql") return;
  for (const entity of ds.entityMetadatas) {
    for (const column of entity.columns) {
      if (column.type === "text") {
        column.type = "nvarchar";
        column.length = "MAX";
      } else if (column.type === Date || column.type === "datetime") {
        column.type = "datetime2";
      }
    }
  }
}

type Extra = { nullable?: boolean; default?: string | number | boolean };

/** Column builders for migrations (TypeORM's schema-builder API), one per portable kind. */
export function columnKit(dialect: Dialect) {
  const def = (v: Extra["default"]): string | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === "boolean") return dialect === "postgres" ? String(v) : v ? "1" : "0";
    if (typeof v === "number") return String(v);
    return `'${v.replace(/'/g, "''")}'`;
  };
  const make = (name: string, o: Partial<TableColumnOptions>, x: Extra = {}) =>
    new TableColumn({ name, isNullable: x.nullable ?? true, default: def(x.default), ...o } as TableColumnOptions);
  return {
    id: (name = "id") =>
      new TableColumn({ name, type: dialect === "mssql" ? "int" : "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" }),
    stringKey: (name: string, length: number) =>
      new TableColumn({ name, type: dialect === "mssql" ? "nvarchar" : "varchar", length: String(length), isPrimary: true }),
    string: (name: string, length: number, x?: Extra) => make(name, { type: dialect === "mssql" ? "nvarchar" : "varchar", length: String(length) }, x),
    text: (name: string, x?: Extra) => make(name, dialect === "mssql" ? { type: "nvarchar", length: "MAX" } : { type: "text" }, x),
    int: (name: string, x?: Extra) => make(name, { type: dialect === "mssql" ? "int" : "integer" }, x),
    bigint: (name: string, x?: Extra) => make(name, { type: "bigint" }, x),
    decimal: (name: string, precision: number, scale: number, x?: Extra) => make(name, { type: "decimal", precision, scale }, x),
    bool: (name: string, x?: Extra) => make(name, { type: dialect === "mssql" ? "bit" : "boolean" }, x),
    date: (name: string, x?: Extra) => make(name, { type: "date" }, x),
    moment: (name: string, x?: Extra) => make(name, { type: dialect === "mssql" ? "datetime2" : dialect === "postgres" ? "timestamp" : "datetime" }, x),
  };
}
export type ColumnKit = ReturnType<typeof columnKit>;
