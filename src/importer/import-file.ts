/**
 * Importing one bundle file: stream its rows in batches, check each row, resolve references to
 * rows of other files by billing id, and upsert by the file's key — inside one transaction, so a
 * file that fails half-way leaves nothing behind. A bad row is journalled and skipped; the good
 * ones go in. Re-importing the same data changes nothing (rows are compared field by field).
 */
import { EntityManager, EntityMetadata, In, DataSource } from "typeorm";
import { BUNDLE_FILES, FieldSpec, FileSpec, fileSpec } from "../bundle/format";
import { FieldPolicies } from "../history/policy";
import { recordChange } from "../history/history";
import { COLUMN_CHECKS, convert } from "./convert";
import { IssueDraft, Journal } from "./journal";
import { DERIVED, PendingReading, ROW_RULES, RuleOptions, Values, decreasingReadings } from "./rules";
import { RowSource, SourceError, SourceRow } from "./source";

export interface FileCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface FileResult extends FileCounts {
  file: string;
  status: "ok" | "ok_with_errors" | "failed";
  message?: string;
}

export interface ImportContext {
  journal: Journal;
  policies: FieldPolicies;
  rules: RuleOptions;
  /** The moment stamped as changedAt on what the import changed. */
  now: Date;
  batchSize: number;
  /** Billing ids rejected earlier in this run, per file → line: a reference to one says so. */
  rejected: Map<string, Map<string, number>>;
}

/** Rejected ids remembered per run (enough to explain cascades; beyond it, the generic message). */
const REJECTED_MEMORY = 100_000;

/** Parameters per statement stay under SQL Server's limit of 2100. */
const MAX_PARAMS = 2000;
const IN_CHUNK = 1000;

export function metadataFor(ds: DataSource | EntityManager, table: string): EntityMetadata {
  const conn = "connection" in ds ? ds.connection : ds;
  const m = conn.entityMetadatas.find((x) => x.tableName === table);
  if (!m) throw new Error(`No entity for table ${table}`);
  return m;
}

/** Checks the header: every required and key column present; unknown columns get a warning. */
export function checkColumns(spec: FileSpec, label: string, columns: string[], journal: Journal): void {
  const known = new Set(spec.fields.map((f) => f.column));
  const missing = spec.fields.filter((f) => f.required && !columns.includes(f.column));
  if (missing.length > 0) {
    throw new SourceError(label, `нет обязательных столбцов: ${missing.map((f) => f.column).join(", ")}`);
  }
  const unknown = columns.filter((c) => c !== "" && !known.has(c));
  if (unknown.length > 0) {
    journal.add({
      file: label,
      row: null,
      column: unknown.join(", "),
      value: null,
      severity: "warning",
      message: "столбцы не входят в формат выгрузки и не загружаются",
    });
  }
}

interface Candidate {
  row: SourceRow;
  /** Converted values by column name. */
  values: Values;
  /** Entity properties to write. */
  props: Values;
  key: string;
  /** Properties whose cell was invalid but optional: left as they are in the database. */
  skipped: Set<string>;
}

/** Value equality across drivers: numbers as numbers, everything else as text. */
function same(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || a === "") return b === null || b === undefined || b === "";
  if (b === null || b === undefined) return false;
  if (typeof a === "number" || typeof b === "number") return Number(a) === Number(b);
  if (typeof a === "boolean" || typeof b === "boolean") return Boolean(a) === Boolean(b);
  return String(a) === String(b);
}

export async function importFile(ds: DataSource, spec: FileSpec, source: RowSource, ctx: ImportContext): Promise<FileResult> {
  const counts: FileCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  const label = source.label;
  try {
    checkColumns(spec, label, await source.columns(), ctx.journal);
    await ds.transaction(async (em) => {
      const importer = new BatchImporter(em, spec, label, ctx, counts);
      let batch: SourceRow[] = [];
      for await (const row of source.rows()) {
        counts.read++;
        batch.push(row);
        if (batch.length >= ctx.batchSize) {
          await importer.run(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await importer.run(batch);
    });
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    ctx.journal.add({
      file: label,
      row: null,
      column: null,
      value: null,
      severity: "error",
      message: `файл не загружен: ${e.message.slice(label.length + 2)}`,
    });
    return { file: label, status: "failed", message: e.message, read: counts.read, inserted: 0, updated: 0, unchanged: 0, rejected: counts.read };
  } finally {
    await source.close();
  }
  return { file: label, status: counts.rejected > 0 ? "ok_with_errors" : "ok", ...counts };
}

class BatchImporter {
  private readonly meta: EntityMetadata;
  private readonly hasSync: boolean;
  private readonly keyed: FieldSpec[];
  private readonly byExternalId: boolean;

  constructor(
    private readonly em: EntityManager,
    private readonly spec: FileSpec,
    private readonly label: string,
    private readonly ctx: ImportContext,
    private readonly counts: FileCounts,
  ) {
    this.meta = metadataFor(em, spec.entity);
    this.hasSync = this.meta.embeddeds.some((e) => e.propertyName === "sync");
    this.byExternalId = spec.key.length === 1 && spec.key[0] === "id";
    this.keyed = spec.key.map((c) => spec.fields.find((f) => f.column === c)!);
  }

  /** This batch's issues, journalled in row order when the batch is done. */
  private issues: IssueDraft[] = [];

  private error(row: SourceRow, column: string | null, message: string, severity: "error" | "warning" = "error"): void {
    this.issues.push({
      file: this.label,
      row: row.line,
      column,
      severity,
      message,
      value: column && column in row.values ? row.values[column] : null,
    });
  }

  async run(rows: SourceRow[]): Promise<void> {
    const skipped = rows.map(() => new Set<string>());
    const converted = rows.map((r, i) => this.convertRow(r, skipped[i]));
    await this.resolveRefs(rows, converted);
    const candidates: Candidate[] = [];
    const seen = new Map<string, number>();
    converted.forEach((values, i) => {
      if (!values) return;
      const row = rows[i];
      const key = this.keyOf(values);
      const dup = seen.get(key);
      if (dup !== undefined) {
        this.error(row, this.spec.key.join(","), `повтор ключа: та же запись уже была в строке ${dup}`);
        return;
      }
      seen.set(key, row.line);
      candidates.push({ row, values, key, props: this.propsOf(values), skipped: skipped[i] });
    });
    converted.forEach((values, i) => {
      if (!values && this.byExternalId) this.rememberRejected(rows[i]);
    });
    if (this.spec.name === "readings") await this.checkReadings(candidates);
    const rejected = rows.length - candidates.length;
    this.counts.rejected += rejected;
    await this.upsert(candidates);
    for (const issue of this.issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))) this.ctx.journal.add(issue);
    this.issues = [];
  }

  private rememberRejected(row: SourceRow): void {
    const id = (row.values.id ?? "").trim();
    if (!id) return;
    let m = this.ctx.rejected.get(this.spec.name);
    if (!m) this.ctx.rejected.set(this.spec.name, (m = new Map()));
    if (m.size < REJECTED_MEMORY) m.set(id, row.line);
  }

  /**
   * Type checks, column checks and row rules. Null = the row is rejected (already journalled).
   * A bad value in an optional column does not reject the row: the row loads without it (a
   * warning says so) — one typo in a house's FIAS GUID must not drop every account in the house.
   */
  private convertRow(row: SourceRow, skipped: Set<string>): Values | null {
    if (row.problem) {
      this.error(row, null, row.problem);
      return null;
    }
    const values: Values = {};
    let okRow = true;
    for (const f of this.spec.fields) {
      const text = (row.values[f.column] ?? "").trim();
      if (text === "") {
        values[f.column] = null;
        if (f.required) {
          this.error(row, f.column, "обязательное поле не заполнено");
          okRow = false;
        }
        continue;
      }
      const c = convert(text, f.type);
      if (!c.ok) {
        const optional = !f.required && f.type.kind !== "ref" && !this.spec.key.includes(f.column);
        if (optional) {
          this.error(row, f.column, `${c.message}; значение не загружено`, "warning");
          values[f.column] = null;
          if (f.property) skipped.add(f.property);
        } else {
          this.error(row, f.column, c.message);
          okRow = false;
        }
        continue;
      }
      const check = COLUMN_CHECKS[f.column];
      const problem = check ? check(text) : null;
      if (problem) {
        // A wrong check digit is imported but flagged; a malformed number is rejected.
        const severity = problem.includes("контрольное число") ? "warning" : "error";
        this.error(row, f.column, problem, severity);
        if (severity === "error") okRow = false;
      }
      values[f.column] = c.value;
    }
    if (!okRow) return null;
    for (const issue of ROW_RULES[this.spec.name]?.(values, this.ctx.rules) ?? []) {
      this.error(row, issue.column, issue.message, issue.severity);
      if (issue.severity === "error") okRow = false;
    }
    return okRow ? values : null;
  }

  /** Billing ids in ref columns → our ids, one query per referenced file per batch. */
  private async resolveRefs(rows: SourceRow[], converted: Array<Values | null>): Promise<void> {
    const refFields = this.spec.fields.filter((f) => f.type.kind === "ref");
    const byFile = new Map<string, Set<string>>();
    for (const v of converted) {
      if (!v) continue;
      for (const f of refFields) {
        if (v[f.column] === null) continue;
        const file = (f.type as { file: string }).file;
        if (!byFile.has(file)) byFile.set(file, new Set());
        byFile.get(file)!.add(String(v[f.column]));
      }
    }
    const ids = new Map<string, Map<string, number>>();
    for (const [file, set] of byFile) {
      const table = fileSpec(file).entity;
      const map = new Map<string, number>();
      const all = [...set];
      for (let i = 0; i < all.length; i += IN_CHUNK) {
        const found = await this.em
          .createQueryBuilder()
          .select(["t.id AS id", "t.externalId AS ext"])
          .from(metadataFor(this.em, table).target, "t")
          .where({ externalId: In(all.slice(i, i + IN_CHUNK)) })
          .getRawMany<{ id: number; ext: string }>();
        for (const r of found) map.set(r.ext, Number(r.id));
      }
      ids.set(file, map);
    }
    converted.forEach((v, i) => {
      if (!v) return;
      for (const f of refFields) {
        if (v[f.column] === null) continue;
        const file = (f.type as { file: string }).file;
        const id = ids.get(file)!.get(String(v[f.column]));
        if (id === undefined) {
          const line = this.ctx.rejected.get(file)?.get(String(v[f.column]));
          this.error(
            rows[i],
            f.column,
            line !== undefined
              ? `ссылается на отклонённую строку ${line} файла ${file} (см. её ошибку выше)`
              : `нет записи с таким id в ${file} (ни в этой загрузке, ни в базе)`,
          );
          converted[i] = null;
          break;
        }
        v[f.column] = id;
      }
    });
  }

  private keyOf(values: Values): string {
    return this.keyed.map((f) => (values[f.column] === null ? "" : String(values[f.column]))).join("\u0001");
  }

  private propsOf(values: Values): Values {
    const props: Values = {};
    for (const f of this.spec.fields) if (f.property) props[f.property] = values[f.column];
    Object.assign(props, DERIVED[this.spec.name]?.(values, this.ctx.rules) ?? {});
    // An empty cell in a NOT NULL column with a default (the flags) means the default.
    for (const [prop, value] of Object.entries(props)) {
      if (value !== null) continue;
      const col = this.meta.findColumnWithPropertyName(prop);
      if (col && !col.isNullable && col.default !== undefined) props[prop] = col.default;
    }
    return props;
  }

  private async checkReadings(candidates: Candidate[]): Promise<void> {
    const pending: PendingReading[] = candidates.map((c, index) => ({
      index,
      meterId: c.props.meterId as number,
      day: c.props.readingDate as string,
      t1: c.props.valueT1 as string,
    }));
    const found = await decreasingReadings(this.em, pending);
    for (const [index, message] of found) this.error(candidates[index].row, "value_t1", message, "warning");
  }

  /** Existing rows for the batch's keys, by key. */
  private async existing(candidates: Candidate[]): Promise<Map<string, Values & { id: number }>> {
    const out = new Map<string, Values & { id: number }>();
    if (candidates.length === 0) return out;
    const first = this.byExternalId ? "externalId" : this.keyed[0].property;
    const firstColumn = this.byExternalId ? "id" : this.keyed[0].column;
    const keys = [...new Set(candidates.map((c) => c.values[firstColumn]))];
    // Only the columns the import compares, hydrated by the driver (transformers, booleans, dates).
    const driver = this.em.connection.driver;
    const wanted = new Set(["id", "externalId", ...this.spec.fields.map((f) => f.property), ...Object.keys(candidates[0].props)]);
    const cols = this.meta.columns.filter((c) => !c.embeddedMetadata && wanted.has(c.propertyName));
    const where = this.meta.findColumnWithPropertyName(first)!;
    const select = `SELECT ${cols.map((c) => driver.escape(c.databaseName)).join(", ")} FROM ${driver.escape(this.meta.tableName)} WHERE ${driver.escape(where.databaseName)} IN `;
    for (let i = 0; i < keys.length; i += IN_CHUNK) {
      const chunk = keys.slice(i, i + IN_CHUNK).map((k) => driver.preparePersistentValue(k, where));
      const raw = (await this.em.query(`${select}(${chunk.map((_, j) => driver.createParameter(`k${j}`, j)).join(", ")})`, chunk)) as Array<
        Record<string, unknown>
      >;
      const found = raw.map((r) => {
        const e: Values = {};
        for (const c of cols) e[c.propertyName] = driver.prepareHydratedValue(r[c.databaseName], c);
        return e as Values & { id: number };
      });
      for (const e of found) {
        const key = this.byExternalId
          ? String(e.externalId)
          : this.keyed.map((f) => (e[f.property] === null || e[f.property] === undefined ? "" : String(e[f.property]))).join("\u0001");
        out.set(key, e);
      }
    }
    return out;
  }

  private insertMany(rows: Values[]): Promise<void> {
    return insertRows(this.em, this.meta, rows);
  }

  private async upsert(candidates: Candidate[]): Promise<void> {
    const existing = await this.existing(candidates);
    const inserts: Values[] = [];
    for (const c of candidates) {
      const old = existing.get(c.key);
      if (this.byExternalId) c.props.externalId = c.values.id;
      if (!old) {
        // A new object has no stand's identity yet (no gis_identity row: not sent anywhere); only our changedAt.
        inserts.push(this.hasSync ? { ...c.props, sync: { changedAt: this.ctx.now } } : c.props);
        continue;
      }
      const patch: Values = {};
      for (const [prop, value] of Object.entries(c.props)) {
        if (c.skipped.has(prop) || same(value, old[prop])) continue;
        // GIS-assigned values are never overwritten from billing once GIS has given them.
        if (this.ctx.policies.isFromGis(this.spec.entity, prop) && old[prop] !== null) continue;
        // A field taken off replication («Поля для синхронизации») is kept by hand: the import leaves it.
        if (!this.ctx.policies.isReplicated(this.spec.entity, prop) && !this.ctx.policies.isFromGis(this.spec.entity, prop)) continue;
        patch[prop] = value;
      }
      if (Object.keys(patch).length === 0) {
        this.counts.unchanged++;
        continue;
      }
      for (const prop of Object.keys(patch)) {
        if (this.ctx.policies.keepsHistory(this.spec.entity, prop)) {
          await recordChange(this.em, {
            entityType: this.spec.entity,
            entityId: old.id,
            field: prop,
            oldValue: old[prop],
            changedOn: this.ctx.rules.today,
            by: "import",
          });
        }
      }
      if (this.hasSync) patch.sync = { changedAt: this.ctx.now };
      await this.em.update(this.meta.target, { id: old.id }, patch);
      this.counts.updated++;
    }
    await this.insertMany(inserts);
    this.counts.inserted += inserts.length;
  }
}

/**
 * Multi-row INSERT built directly from the entity metadata: TypeORM's insert builder spends more
 * time on parameter bookkeeping than the database spends storing the rows. Values still go through
 * the driver's preparePersistentValue (booleans, dates, transformers), names through its escape,
 * placeholders through createParameter — so the statement is right on every dialect.
 */
async function insertRows(em: EntityManager, meta: EntityMetadata, rows: Values[]): Promise<void> {
  if (rows.length === 0) return;
  const driver = em.connection.driver;
  const columns = meta.columns.filter((c) => !c.isGenerated);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const head = `INSERT INTO ${driver.escape(meta.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(", ")}) VALUES `;
  for (let i = 0; i < rows.length; i += perStatement) {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows.slice(i, i + perStatement)) {
      const slots: string[] = [];
      for (const c of columns) {
        let v = c.getEntityValue(row);
        if (v === undefined || (v === null && !c.isNullable)) v = c.default ?? null;
        params.push(driver.preparePersistentValue(v, c));
        slots.push(driver.createParameter(`p${params.length - 1}`, params.length - 1));
      }
      tuples.push(`(${slots.join(", ")})`);
    }
    await em.query(head + tuples.join(", "), params);
  }
}

/** The bundle files in import order, for callers that walk them. */
export const IMPORT_ORDER = BUNDLE_FILES;
