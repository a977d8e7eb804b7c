import { Command } from "commander";
import { DataSource } from "typeorm";
import { ImportIssue } from "../../../entities/import-issue";
import { withDatabase } from "../context";
import { describeBundle } from "../../importer/describe";
import { importFromSql, importPath, RunResult } from "../../importer/import-run";
import { formatIssue } from "../../importer/journal";
import { FileResult } from "../../importer/import-file";
import { parseDay } from "../../importer/convert";
import { UserError } from "../../util/errors";

const MAX_PRINTED = 50;

export function fileLine(r: FileResult): string {
  const mark = r.status === "failed" ? "НЕ ЗАГРУЖЕН" : r.status === "ok" ? "ok" : "с ошибками";
  return `  ${r.file.padEnd(32)} ${mark.padEnd(12)} прочитано ${r.read}, добавлено ${r.inserted}, изменено ${r.updated}, без изменений ${r.unchanged}, отклонено ${r.rejected}`;
}

export function printRun(r: RunResult, out: (s: string) => void = console.log): void {
  out(`Загрузка №${r.runId}: ${r.status} за ${(r.elapsedMs / 1000).toFixed(1)} с`);
  const issues = r.journal;
  if (issues.errors + issues.warnings > 0) {
    out(`Журнал загрузки: ошибок ${issues.errors}, предупреждений ${issues.warnings} (полностью: gis-sync import --journal ${r.runId})`);
  }
}

export function registerImport(program: Command): void {
  program
    .command("import [path]")
    .description("Загрузить пакет учётной системы (папка или файл, CSV/XLSX) или прочитать его из базы учётной системы")
    .option("--from-sql <url>", "читать из базы учётной системы: postgres://, mysql://, mssql://")
    .option("--map <file>", "mapping.json для --from-sql: представление, таблица или запрос на каждый файл пакета")
    .option("--describe", "показать формат пакета (колонки, типы, ключи) и выйти")
    .option("--journal <runId>", "показать журнал прошлой загрузки и выйти")
    .option("--as-of <date>", "дата вступления изменений в силу для истории полей (по умолчанию сегодня)")
    .option("--batch <n>", "строк в пачке", "1000")
    .option("--strict", "код выхода 3, если отклонена хоть одна строка")
    .action(
      async (
        target: string | undefined,
        o: {
          fromSql?: string;
          map?: string;
          describe?: boolean;
          journal?: string;
          asOf?: string;
          batch: string;
          strict?: boolean;
        },
      ) => {
        if (o.describe) {
          console.log(describeBundle());
          return;
        }
        const batchSize = Number(o.batch);
        if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100000) throw new UserError("--batch: целое от 1 до 100000");
        const asOf = o.asOf ? parseDay(o.asOf) : undefined;
        if (o.asOf && !asOf) throw new UserError(`--as-of: «${o.asOf}» — не дата (ГГГГ-ММ-ДД)`);
        if (o.journal) {
          await withDatabase(async (ds) => printJournal(ds, Number(o.journal)));
          return;
        }
        if (o.fromSql && !o.map) throw new UserError("--from-sql требует --map mapping.json");
        if (!o.fromSql && !target) throw new UserError("укажите каталог или файл выгрузки, или --from-sql URL --map mapping.json");
        await withDatabase(async (ds) => {
          const opts = { batchSize, asOf: asOf ?? undefined, author: process.env.USER ?? null, onFile: (f: FileResult) => console.log(fileLine(f)) };
          const r = o.fromSql ? await importFromSql(ds, o.fromSql, o.map!, opts) : await importPath(ds, target!, opts);
          const shown = await journalRows(ds, r.runId, MAX_PRINTED);
          for (const i of shown) console.log(formatIssue(i));
          if (r.journal.errors + r.journal.warnings > MAX_PRINTED) console.log(`… и ещё ${r.journal.errors + r.journal.warnings - MAX_PRINTED}`);
          printRun(r);
          if (r.status === "failed") throw new UserError("не все файлы загружены: см. журнал выше", 1);
          if (o.strict && r.files.some((f) => f.rejected > 0)) process.exitCode = 3;
        });
      },
    );
}

/** Journal lines of a run in order; `limit` for the summary, all of them for --journal. */
async function journalRows(ds: DataSource, runId: number, limit?: number): Promise<ImportIssue[]> {
  return ds.getRepository(ImportIssue).find({ where: { runId }, order: { id: "ASC" }, take: limit });
}

async function printJournal(ds: DataSource, runId: number): Promise<void> {
  if (!Number.isInteger(runId)) throw new UserError("--journal: номер загрузки");
  const rows = await journalRows(ds, runId);
  if (rows.length === 0) console.log(`Журнал загрузки №${runId} пуст`);
  for (const i of rows) console.log(formatIssue(i));
}
