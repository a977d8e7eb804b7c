/**
 * «Файлы»: what the CLI's import / excel / fias commands do, from the browser. A billing bundle
 * (CSV, XLSX or a zip of them) is streamed to a temporary file, unpacked within the input limits
 * and imported in the background — the answer carries the import run's id and the journal fills
 * as it goes. Excel templates, ЕЛС/ИПД/ИЖКУ, the kvitirovanie error report and the FIAS reports
 * are downloads; GIS's processed workbooks and a ГАР extract are uploads.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { ImportIssue } from "../../../entities/import-issue";
import { ImportRun } from "../../../entities/import-run";
import { exportTemplate, parseDay, parseMonth } from "../../excel/export";
import { resolveHouses } from "../../excel/export/selection";
import { exportIdentifiers } from "../../excel/billing/identifiers";
import { exportKvitReport } from "../../excel/billing/kvit-report";
import { importIds } from "../../excel/import-ids";
import { TEMPLATES, templateFor } from "../../excel/templates";
import { writeTable } from "../../excel/table-writer";
import { codeFromGar, codingSummary } from "../../fias/coding";
import { codingSheet } from "../../fias/coding-output";
import { Presence, coverageReport, coverageSheets, duplicateGuids, duplicateSheet } from "../../fias/reports";
import { unzipBounded } from "../../importer/bundle-zip";
import { importPath } from "../../importer/import-run";
import { log } from "../../log";
import { getSetting } from "../../settings/settings";
import { UserError } from "../../util/errors";
import { DEFAULT_INPUT_LIMITS, InputLimits, inputLimits } from "../../util/input-bounds";
import { audit } from "../audit";
import { badRequest, notFound } from "../http";
import { PAGED_QUERY, paged } from "../paging";
import { Ctx, Route } from "../router";
import { FILE_NAME_HEADER, Upload, receiveUpload, sendDownload, uploadName } from "../upload";
import { paymentDialogRoutes } from "./payment-dialogs";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { requestStand } from "../stand";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV = "text/csv";
const HOUSES = { type: "string", description: "Дома: id или коды учётной системы через запятую (по умолчанию весь фонд)" } as const;
const STAND_QUERY = { type: "string", enum: STANDS, description: "Стенд ГИС ЖКХ, чьи идентификаторы (по умолчанию стенд сервера)" } as const;
const UPLOAD = { maxBytes: DEFAULT_INPUT_LIMITS.uploadBytes, headers: FILE_NAME_HEADER, stream: true };

async function upload(ctx: Ctx, extensions: readonly string[]): Promise<{ up: Upload; limits: InputLimits }> {
  const name = uploadName(ctx.req, extensions);
  const limits = await inputLimits(ctx.ds);
  return { up: await receiveUpload(ctx.req, name, limits.uploadBytes), limits };
}

/** A UserError of the import machinery (a refused zip, a wrong file name) is the user's 400, not our 500. */
async function asBadRequest<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof UserError) throw badRequest(e.message);
    throw e;
  }
}

/** Writes a report into a temporary folder and streams it as the answer. */
async function download(ctx: Ctx, name: string, type: string, write: (file: string) => Promise<unknown>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-report-"));
  try {
    const file = path.join(dir, name);
    await asBadRequest(() => write(file));
    await sendDownload(ctx.res, file, name, type);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/** Starts the import of an uploaded bundle; resolves with the run's id once it is recorded. */
async function startImport(ctx: Ctx): Promise<{ runId: number; files: string[]; skipped: string[] }> {
  const { up, limits } = await upload(ctx, [".csv", ".txt", ".xlsx", ".zip"]);
  let target = up.file;
  let files = [up.name];
  let skipped: string[] = [];
  try {
    if (up.name.toLowerCase().endsWith(".zip")) {
      const bundle = path.join(up.dir, "bundle");
      fs.mkdirSync(bundle);
      const z = await asBadRequest(() => unzipBounded(up.file, up.name, bundle, limits, { extensions: [".csv", ".txt", ".xlsx"], flat: true }));
      if (!z.files.length) throw badRequest(`${up.name}: в архиве нет файлов выгрузки (.csv, .xlsx)`);
      fs.rmSync(up.file);
      target = bundle;
      files = z.files.map((f) => path.basename(f));
      skipped = z.skipped;
    }
  } catch (e) {
    up.discard();
    throw e;
  }
  const ds = ctx.ds;
  const started = new Promise<number>((resolve, reject) => {
    importPath(ds, target, { author: ctx.actor, sourceName: `загрузка: ${up.name}`, onStart: resolve })
      .catch(async (e: unknown) => {
        reject(e);
        // After the run began: it must not stay «running» — its row says why it stopped.
        await failOpenRun(ds, ctx.actor, up.name, e);
      })
      .finally(() => up.discard());
  });
  const runId = await asBadRequest(() => started);
  await audit(ds, ctx.actor, "import.upload", `import:${runId}`, { file: up.name, bytes: up.bytes, files });
  return { runId, files, skipped };
}

async function failOpenRun(ds: DataSource, author: string, name: string, e: unknown): Promise<void> {
  if (!ds.isInitialized) return;
  const message = e instanceof UserError ? e.message : `внутренняя ошибка: ${(e as Error).message}`;
  if (!(e instanceof UserError)) log.error(`Загрузка ${name}: ${(e as Error).stack ?? String(e)}`);
  const run = await ds
    .getRepository(ImportRun)
    .findOne({ where: { author, status: "running", source: `загрузка: ${name}` }, order: { id: "DESC" } })
    .catch(() => null);
  if (!run) return;
  await ds.getRepository(ImportRun).update(run.id, { status: "failed", finishedAt: new Date() });
  await ds.getRepository(ImportIssue).insert({ runId: run.id, file: name.slice(0, 255), row: null, column: null, value: null, severity: "error", message });
}

async function runOrFail(ds: DataSource, id: string): Promise<ImportRun> {
  const run = /^\d+$/.test(id) ? await ds.getRepository(ImportRun).findOneBy({ id: Number(id) }) : null;
  if (!run) throw notFound(`Загрузка ${id}`);
  return run;
}

const SEVERITIES = ["error", "warning"] as const;

export function fileRoutes(defaultStand: Stand): Route[] {
  return [
    {
      method: "POST",
      path: "/api/imports",
      access: "operator",
      tag: "Файлы",
      summary:
        "Загрузить выгрузку учётной системы: файл CSV/XLSX (имя — один из файлов выгрузки) или zip-архив таких файлов; ответ — номер загрузки, журнал заполняется по ходу",
      rawBody: UPLOAD,
      handler: startImport,
    },
    {
      method: "GET",
      path: "/api/imports",
      access: "accountant",
      tag: "Файлы",
      paged: true,
      summary: "Загрузки выгрузки учётной системы, новые первыми",
      query: { ...PAGED_QUERY, status: { type: "string", enum: ["running", "ok", "ok_with_errors", "failed"], description: "Итог" } },
      handler: async ({ ds, query }) => {
        const qb = ds.getRepository(ImportRun).createQueryBuilder("r").orderBy("r.id", "DESC");
        const status = query.str("status", { values: ["running", "ok", "ok_with_errors", "failed"] });
        if (status) qb.andWhere("r.status = :status", { status });
        return paged(qb, query);
      },
    },
    {
      method: "GET",
      path: "/api/imports/{id}",
      access: "accountant",
      tag: "Файлы",
      summary: "Загрузка: итог, строки по видам, число ошибок и предупреждений журнала по файлам",
      handler: async ({ ds, params }) => {
        const run = await runOrFail(ds, params.id);
        const byFile = await ds
          .getRepository(ImportIssue)
          .createQueryBuilder("i")
          .select("i.file", "file")
          .addSelect("i.severity", "severity")
          .addSelect("COUNT(*)", "n")
          .where("i.runId = :id", { id: run.id })
          .groupBy("i.file")
          .addGroupBy("i.severity")
          .getRawMany<{ file: string; severity: string; n: string }>();
        return { ...run, issues: byFile.map((r) => ({ file: r.file, severity: r.severity, count: Number(r.n) })) };
      },
    },
    {
      method: "GET",
      path: "/api/imports/{id}/issues",
      access: "accountant",
      tag: "Файлы",
      paged: true,
      summary: "Журнал загрузки: строки с ошибками и предупреждениями; фильтры по файлу, важности, столбцу и тексту",
      query: {
        ...PAGED_QUERY,
        file: { type: "string", description: "Файл выгрузки (accounts.csv…)" },
        severity: { type: "string", enum: SEVERITIES, description: "error или warning" },
        column: { type: "string", description: "Столбец" },
        q: { type: "string", description: "Текст в сообщении или значении" },
      },
      handler: async ({ ds, params, query }) => {
        const run = await runOrFail(ds, params.id);
        const qb = ds.getRepository(ImportIssue).createQueryBuilder("i").where("i.runId = :id", { id: run.id }).orderBy("i.id", "ASC");
        const file = query.str("file", { max: 255 });
        if (file) qb.andWhere("i.file = :file", { file });
        const severity = query.str("severity", { values: SEVERITIES });
        if (severity) qb.andWhere("i.severity = :severity", { severity });
        const column = query.str("column", { max: 100 });
        if (column) qb.andWhere("i.column = :column", { column });
        const q = query.str("q", { max: 100 });
        if (q) qb.andWhere("(LOWER(i.message) LIKE :q OR LOWER(i.value) LIKE :q)", { q: `%${q.toLowerCase().replace(/[%_]/g, "")}%` });
        return paged(qb, query);
      },
    },
    {
      method: "GET",
      path: "/api/files/excel/templates",
      access: "accountant",
      tag: "Файлы",
      summary: "Виды шаблонов Excel ГИС ЖКХ для выгрузки",
      handler: async () => TEMPLATES.map((t) => ({ kind: t.kind, name: t.fileName, version: t.version })),
    },
    {
      method: "GET",
      path: "/api/files/excel/export",
      access: "accountant",
      tag: "Файлы",
      produces: XLSX,
      summary: "Шаблон ГИС ЖКХ, заполненный данными базы (файл .xlsx для загрузки в ГИС)",
      query: {
        kind: { type: "string", required: true, description: "Вид шаблона (см. /api/files/excel/templates)" },
        houses: HOUSES,
        month: { type: "string", description: "Месяц платёжных документов ГГГГ-ММ (payment-documents)" },
        from: { type: "string", description: "Показания с даты ГГГГ-ММ-ДД (readings, readings-common)" },
        stand: STAND_QUERY,
      },
      handler: async (ctx) => {
        const stand = requestStand(ctx);
        const kind = ctx.query.str("kind", { max: 40 });
        if (!kind) throw badRequest("Параметр kind: обязательный (вид шаблона)");
        await asBadRequest(async () => templateFor(kind));
        const month = ctx.query.str("month", { max: 7 });
        const from = ctx.query.str("from", { max: 10 });
        const period = month ? await asBadRequest(async () => parseMonth(month, "Параметр month")) : null;
        const since = from ? await asBadRequest(async () => parseDay(from, "Параметр from")) : null;
        const houses = await asBadRequest(() => resolveHouses(ctx.ds, ctx.query.str("houses", { max: 2000 })));
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-excel-"));
        try {
          const r = await asBadRequest(() => exportTemplate(ctx.ds, kind, { houses, stand, from: since, year: period?.year, month: period?.month }, dir));
          await audit(ctx.ds, ctx.actor, "excel.export", `excel:${kind}`, { rows: r.rows });
          await sendDownload(ctx.res, r.file, path.basename(r.file), XLSX);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
    {
      method: "POST",
      path: "/api/files/excel/import-ids",
      access: "operator",
      tag: "Файлы",
      summary: "Загрузить идентификаторы ГИС из обработанного ГИС ЖКХ файла (.xlsx или zip-архив файлов .xlsx)",
      query: { stand: STAND_QUERY },
      rawBody: UPLOAD,
      handler: async (ctx) => {
        const stand = requestStand(ctx);
        const { up, limits } = await upload(ctx, [".xlsx", ".zip"]);
        try {
          let target = up.file;
          if (up.name.toLowerCase().endsWith(".zip")) {
            target = path.join(up.dir, "books");
            fs.mkdirSync(target);
            const z = await asBadRequest(() => unzipBounded(up.file, up.name, target, limits, { extensions: [".xlsx"], flat: true }));
            if (!z.files.length) throw badRequest(`${up.name}: в архиве нет файлов .xlsx`);
          }
          const r = await asBadRequest(() => importIds(ctx.ds, stand, target, limits));
          await audit(ctx.ds, ctx.actor, "excel.import-ids", `file:${up.name}`, {
            applied: r.applied,
            rejected: r.rejected.length,
            unmatched: r.unmatched.length,
          });
          return { ...r, files: r.files.map((f) => path.basename(f)) };
        } finally {
          up.discard();
        }
      },
    },
    {
      method: "GET",
      path: "/api/files/identifiers",
      access: "accountant",
      tag: "Файлы",
      produces: XLSX,
      summary: "ЕЛС, ИЖКУ и ИПД за месяц для печати в платёжных документах (xlsx или csv)",
      query: {
        month: { type: "string", required: true, description: "Месяц ГГГГ-ММ" },
        format: { type: "string", enum: ["xlsx", "csv"], description: "Формат (по умолчанию xlsx)" },
        houses: HOUSES,
        stand: STAND_QUERY,
      },
      handler: async (ctx) => {
        const stand = requestStand(ctx);
        const { year, month } = await asBadRequest(async () => parseMonth(ctx.query.str("month", { max: 7 }) ?? "", "Параметр month"));
        const format = (ctx.query.str("format", { values: ["xlsx", "csv"] }) ?? "xlsx") as "xlsx" | "csv";
        const houses = await asBadRequest(() => resolveHouses(ctx.ds, ctx.query.str("houses", { max: 2000 })));
        const name = `ЕЛС ИПД ИЖКУ ${year}-${String(month).padStart(2, "0")}.${format}`;
        await download(ctx, name, format === "xlsx" ? XLSX : CSV, (file) => exportIdentifiers(ctx.ds, stand, year, month, houses, file, format));
      },
    },
    {
      method: "GET",
      path: "/api/files/kvit-report",
      access: "accountant",
      tag: "Файлы",
      produces: XLSX,
      summary: "Отчёт по ошибкам квитирования (xlsx)",
      query: { houses: HOUSES },
      handler: async (ctx) => {
        const stand = requestStand(ctx);
        const houses = await asBadRequest(() => resolveHouses(ctx.ds, ctx.query.str("houses", { max: 2000 })));
        await download(ctx, `Отчёт по ошибкам квитирования ${today()}.xlsx`, XLSX, (file) => exportKvitReport(ctx.ds, houses, file, stand));
      },
    },
    {
      method: "GET",
      path: "/api/files/fias/coverage",
      access: "accountant",
      tag: "Файлы",
      produces: XLSX,
      summary: "Отчёт по проставленным ГУИД ФИАС и ОКТМО: населённые пункты, улицы, дома (xlsx)",
      query: {
        houses: HOUSES,
        only: { type: "string", enum: ["with", "without"], description: "Только с ГУИД или только без него" },
        ignoreArchived: { type: "boolean", description: "Без архивных адресов" },
      },
      handler: async (ctx) => {
        const only = (ctx.query.str("only", { values: ["with", "without"] }) ?? "all") as Presence;
        const houses = await asBadRequest(() => resolveHouses(ctx.ds, ctx.query.str("houses", { max: 2000 })));
        const r = await coverageReport(ctx.ds, houses, only, ctx.query.bool("ignoreArchived") ?? false);
        await download(ctx, `Отчёт ФИАС ${today()}.xlsx`, XLSX, (file) => writeTable(file, coverageSheets(r), "xlsx"));
      },
    },
    {
      method: "GET",
      path: "/api/files/fias/duplicates",
      access: "accountant",
      tag: "Файлы",
      produces: XLSX,
      summary: "Отчёт по домам с одинаковым ФИАС ГУИД (xlsx)",
      query: {
        houses: HOUSES,
        scope: { type: "string", enum: ["selection", "database"], description: "Внутри выбранного фонда или по всей базе" },
        ignoreArchived: { type: "boolean", description: "Без архивных адресов" },
      },
      handler: async (ctx) => {
        const scope = (ctx.query.str("scope", { values: ["selection", "database"] }) ?? "selection") as "selection" | "database";
        const houses = await asBadRequest(() => resolveHouses(ctx.ds, ctx.query.str("houses", { max: 2000 })));
        const rows = await duplicateGuids(ctx.ds, houses, scope, ctx.query.bool("ignoreArchived") ?? false);
        const mode = scope === "selection" ? "внутри выбранного фонда" : "из выбранного фонда по всей базе данных";
        await download(ctx, `Дома с одинаковым ФИАС ${today()}.xlsx`, XLSX, (file) =>
          writeTable(file, [duplicateSheet(rows, ["Отчёт по домам с одинаковым ФИАС", `Режим поиска: ${mode}`])], "xlsx"),
        );
      },
    },
    {
      method: "POST",
      path: "/api/files/fias/code",
      access: "operator",
      tag: "Файлы",
      summary: "Проставить ФИАС ГУИД и ОКТМО по выгрузке ГАР (zip-архив выгрузки региона): пробный прогон или apply=true — записать точные совпадения",
      rawBody: UPLOAD,
      query: {
        houses: HOUSES,
        apply: { type: "boolean", description: "Записать в базу (без него — пробный прогон)" },
        acceptProposals: { type: "boolean", description: "Записывать и неполные совпадения" },
        overwrite: { type: "boolean", description: "Заменять уже проставленный ФИАС ГУИД" },
        skipZero: { type: "boolean", description: "Исключить дома с номером 0" },
        ignoreArchived: { type: "boolean", description: "Не обрабатывать архивные адреса" },
      },
      handler: async (ctx) => {
        const q = ctx.query;
        const houses = await asBadRequest(() => resolveHouses(ctx.ds, q.str("houses", { max: 2000 })));
        const { up, limits } = await upload(ctx, [".zip"]);
        try {
          const gar = path.join(up.dir, "gar");
          fs.mkdirSync(gar);
          await asBadRequest(() => unzipBounded(up.file, up.name, gar, limits, { extensions: [".xml"] }));
          fs.rmSync(up.file);
          const apply = q.bool("apply") ?? false;
          const region = await fiasDefaults(ctx.ds);
          const results = await asBadRequest(() =>
            codeFromGar(ctx.ds, {
              garDir: gar,
              ...region,
              houses,
              apply,
              acceptProposals: q.bool("acceptProposals") ?? false,
              overwrite: q.bool("overwrite") ?? false,
              skipZeroHouses: q.bool("skipZero") ?? false,
              ignoreArchived: q.bool("ignoreArchived") ?? false,
            }),
          );
          if (apply)
            await audit(ctx.ds, ctx.actor, "fias.code", `file:${up.name}`, { houses: results.length, written: results.filter((r) => r.written.length).length });
          const sheet = codingSheet(results);
          return {
            applied: apply,
            summary: codingSummary(results),
            houses: results.slice(0, 1000).map((r) => ({
              houseId: r.houseId,
              externalId: r.externalId,
              address: r.address,
              settlement: r.settlement.outcome,
              street: r.street?.outcome ?? null,
              house: r.house.outcome,
              oktmo: r.oktmo,
              written: r.written,
              note: r.note ?? null,
            })),
            total: results.length,
            columns: sheet.columns.map((c) => c.header),
          };
        } finally {
          up.discard();
        }
      },
    },
    ...paymentDialogRoutes(defaultStand),
  ];
}

/** The region and main settlement of the coding, from the settings (as the CLI's defaults). */
async function fiasDefaults(ds: DataSource) {
  return {
    regionCode: await getSetting<string | null>(ds, "fias.regionCode"),
    mainSettlementGuid: await getSetting<string | null>(ds, "fias.mainSettlementGuid"),
  };
}
