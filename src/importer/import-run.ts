/**
 * One import run: a bundle folder, a single file, or a billing database through a mapping.
 * Files go in the bundle's order (a file's references point at files before it); each file is
 * its own transaction; the run and its journal are kept in the database.
 */
import fs from "node:fs";
import path from "node:path";
import { DataSource } from "typeorm";
import { ImportRun } from "../../entities/import-run";
import { BUNDLE_FILES, FileSpec } from "../bundle/format";
import { FieldPolicies } from "../history/policy";
import { getSetting } from "../settings/settings";
import { UserError } from "../util/errors";
import { CsvSource } from "./csv-source";
import { FileResult, importFile } from "./import-file";
import { Journal } from "./journal";
import { RowSource } from "./source";
import { loadMapping, SqlSource } from "./sql-source";
import { redact } from "../log";
import { XlsxSource } from "./xlsx-source";
import { DEFAULT_INPUT_LIMITS, InputLimits, inputLimits } from "../util/input-bounds";

export interface RunResult {
  runId: number;
  status: "ok" | "ok_with_errors" | "failed";
  files: FileResult[];
  journal: Journal;
  elapsedMs: number;
}

export interface RunOptions {
  author?: string | null;
  batchSize?: number;
  /** The day changes take effect (field history periods); today by default. */
  asOf?: string;
  /** Called after each file (progress output). */
  onFile?: (r: FileResult) => void;
  /** How the run is named in the journal (an upload's original file name), instead of the path. */
  sourceName?: string;
  /** Called once the run is recorded (the web upload answers with its id while the import goes on). */
  onStart?: (runId: number) => void;
}

type Planned = { spec: FileSpec; open: () => RowSource };

/** Finds bundle files in a folder, or takes one file whose name says what it holds. */
export function planFiles(target: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): Planned[] {
  if (!fs.existsSync(target)) throw new UserError(`Нет такого файла или каталога: ${target}`);
  const openerFor = (file: string): (() => RowSource) | null => {
    const ext = path.extname(file).toLowerCase();
    if (ext === ".csv" || ext === ".txt") return () => new CsvSource(file, limits);
    if (ext === ".xlsx") return () => new XlsxSource(file, limits);
    return null;
  };
  if (fs.statSync(target).isFile()) {
    const base = path
      .basename(target)
      .replace(/\.[^.]+$/, "")
      .toLowerCase();
    const spec = BUNDLE_FILES.find((f) => f.name === base);
    const open = openerFor(target);
    if (!spec || !open) {
      throw new UserError(
        `${path.basename(target)}: имя файла должно быть одним из ${BUNDLE_FILES.map((f) => f.name).join(", ")} с расширением .csv или .xlsx`,
      );
    }
    return [{ spec, open }];
  }
  const entries = fs.readdirSync(target);
  const plan: Planned[] = [];
  for (const spec of BUNDLE_FILES) {
    const matches = entries.filter((e) => e.toLowerCase().replace(/\.[^.]+$/, "") === spec.name && openerFor(e));
    if (matches.length > 1) throw new UserError(`${target}: несколько файлов для «${spec.name}»: ${matches.join(", ")}`);
    if (matches.length === 1) plan.push({ spec, open: openerFor(path.join(target, matches[0]))! });
  }
  if (plan.length === 0) {
    throw new UserError(`${target}: нет файлов выгрузки (ожидаются ${BUNDLE_FILES.map((f) => f.name).join(", ")} .csv/.xlsx)`);
  }
  return plan;
}

export async function runImport(ds: DataSource, sourceName: string, plan: Planned[], opts: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const runs = ds.getRepository(ImportRun);
  const run = await runs.save(runs.create({ source: sourceName, startedAt: new Date(), status: "running", author: opts.author ?? null }));
  opts.onStart?.(run.id);
  const journal = new Journal(run.id);
  const ctx = {
    journal,
    policies: await FieldPolicies.load(ds),
    rules: {
      verificationDateIsNext: await getSetting<boolean>(ds, "import.verificationDateIsNext"),
      today: opts.asOf ?? new Date().toISOString().slice(0, 10),
    },
    now: new Date(),
    batchSize: opts.batchSize ?? 1000,
    rejected: new Map<string, Map<string, number>>(),
  };
  const files: FileResult[] = [];
  for (const p of plan) {
    const r = await importFile(ds, p.spec, p.open(), ctx);
    files.push(r);
    await journal.flush(ds);
    opts.onFile?.(r);
    // Rows so far, for whoever watches the run (the web journal's progress).
    await runs.update(run.id, { rowsRead: files.reduce((n, f) => n + f.read, 0), rowsRejected: files.reduce((n, f) => n + f.rejected, 0) });
  }
  const sum = (k: "read" | "inserted" | "updated" | "unchanged" | "rejected") => files.reduce((s, f) => s + f[k], 0);
  const status = files.some((f) => f.status === "failed") ? "failed" : journal.errors > 0 ? "ok_with_errors" : "ok";
  await runs.update(run.id, {
    finishedAt: new Date(),
    status,
    rowsRead: sum("read"),
    rowsInserted: sum("inserted"),
    rowsUpdated: sum("updated"),
    rowsUnchanged: sum("unchanged"),
    rowsRejected: sum("rejected"),
    warnings: journal.warnings,
  });
  return { runId: run.id, status, files, journal, elapsedMs: Date.now() - started };
}

export async function importPath(ds: DataSource, target: string, opts: RunOptions = {}): Promise<RunResult> {
  return runImport(ds, opts.sourceName ?? path.resolve(target), planFiles(target, await inputLimits(ds)), opts);
}

/** `import --from-sql URL --map mapping.json`: the mapped files, in bundle order. */
export async function importFromSql(ds: DataSource, url: string, mappingFile: string, opts: RunOptions = {}): Promise<RunResult> {
  const mapping = loadMapping(mappingFile);
  const plan: Planned[] = BUNDLE_FILES.filter((f) => mapping.files[f.name]).map((spec) => ({
    spec,
    open: () => new SqlSource(url, spec.name, mapping.files[spec.name]),
  }));
  if (plan.length === 0) throw new UserError(`${mappingFile}: в файле соответствия нет ни одного файла выгрузки`);
  return runImport(ds, `sql:${redact(url)} (${path.basename(mappingFile)})`, plan, opts);
}
