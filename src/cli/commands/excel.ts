/**
 * `gis-sync excel …`: the manual's «Excel обмен» — GIS templates out, GIS identifiers in, and the
 * files for the billing program (citizens' readings, ЕЛС/ИЖКУ/ИПД, kvitirovanie errors).
 */
import path from "node:path";
import { Command } from "commander";
import { withDatabase } from "../context";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { UserError } from "../../util/errors";
import { exportTemplate, parseDay, parseMonth } from "../../excel/export";
import { resolveHouses } from "../../excel/export/selection";
import { formatImportIds, importIds } from "../../excel/import-ids";
import { TEMPLATES, TEMPLATE_KINDS, templateFor } from "../../excel/templates";
import { writeEmptyTemplate } from "../../excel/template-writer";
import { exportCitizenReadings } from "../../excel/billing/citizen-readings";
import { exportIdentifiers } from "../../excel/billing/identifiers";
import { exportKvitReport } from "../../excel/billing/kvit-report";
import { formatOf } from "../../excel/table-writer";

const HOUSES_HELP = "дома: id или коды учётной системы через запятую (по умолчанию весь фонд)";
/** Identifiers are a stand's: prod unless told, as `gis-sync server` and `worker` default to. */
const STAND_HELP = "стенд ГИС ЖКХ, чьи идентификаторы: prod | sit01 | sit02 | local";
const DEFAULT_STAND: Stand = "prod";

function standArg(v: string): Stand {
  if (!(STANDS as readonly string[]).includes(v)) throw new UserError(`--stand: ${STANDS.join(", ")}`);
  return v as Stand;
}

export function registerExcel(program: Command): void {
  const excel = program.command("excel").description("Обмен Excel-шаблонами ГИС ЖКХ и файлы для учётной системы");

  excel
    .command("templates")
    .description("Записать пустые шаблоны всех видов (каталог excel-templates/)")
    .option("--dir <dir>", "каталог", "excel-templates")
    .action(async (o: { dir: string }) => {
      for (const def of TEMPLATES) console.log(`${def.kind}\t${def.version}\t${await writeEmptyTemplate(def, o.dir)}`);
    });

  excel
    .command("export")
    .description("Заполнить шаблон ГИС ЖКХ данными базы для выбранных домов")
    .requiredOption("--kind <kind>", `вид шаблона (несколько — через запятую, all — все): ${TEMPLATE_KINDS.join(", ")}`)
    .requiredOption("--dir <dir>", "каталог выгрузки")
    .option("--houses <list>", HOUSES_HELP)
    .option("--month <YYYY-MM>", "месяц платёжных документов (payment-documents; по умолчанию последний)")
    .option("--from <date>", "показания с даты (readings, readings-common)")
    .option("--stand <stand>", STAND_HELP, DEFAULT_STAND)
    .action(async (o: { kind: string; dir: string; houses?: string; month?: string; from?: string; stand: string }) => {
      const stand = standArg(o.stand);
      const kinds =
        o.kind.trim() === "all"
          ? TEMPLATE_KINDS
          : o.kind
              .split(",")
              .map((k) => k.trim())
              .filter(Boolean);
      for (const k of kinds) templateFor(k); // an unknown kind fails before the database is opened
      const period = o.month ? parseMonth(o.month) : null;
      const from = o.from ? parseDay(o.from) : null;
      await withDatabase(async (ds) => {
        const houses = await resolveHouses(ds, o.houses);
        for (const kind of kinds) {
          const r = await exportTemplate(ds, kind, { houses, stand, from, year: period?.year, month: period?.month }, o.dir);
          console.log(`Файл: ${r.file}`);
          for (const s of r.rows) console.log(`  ${s.sheet}: ${s.rows} строк`);
        }
      });
    });

  excel
    .command("import-ids")
    .description("Загрузить идентификаторы ГИС из обработанных ГИС ЖКХ файлов (каталог или файл .xlsx)")
    .requiredOption("--dir <dir>", "каталог с файлами результатов обработки")
    .option("--strict", "код выхода 3, если есть отклонённые или несопоставленные строки")
    .option("--stand <stand>", "стенд ГИС ЖКХ, обработавший файлы: prod | sit01 | sit02 | local", DEFAULT_STAND)
    .action(async (o: { dir: string; strict?: boolean; stand: string }) => {
      const stand = standArg(o.stand);
      await withDatabase(async (ds) => {
        const r = await importIds(ds, stand, o.dir);
        console.log(formatImportIds(r));
        if (o.strict && (r.rejected.length || r.unmatched.length)) process.exitCode = 3;
      });
    });

  excel
    .command("readings")
    .description("Показания ИПУ, переданные гражданами в ГИС ЖКХ, — файл для учётной системы")
    .requiredOption("--from <date>", "с даты (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)")
    .requiredOption("--out <file>", "файл .xlsx")
    .option("--houses <list>", HOUSES_HELP)
    .option("--stand <stand>", STAND_HELP, DEFAULT_STAND)
    .action(async (o: { from: string; out: string; houses?: string; stand: string }) => {
      const from = parseDay(o.from);
      const stand = standArg(o.stand);
      await withDatabase(async (ds) => {
        const n = await exportCitizenReadings(ds, stand, from, await resolveHouses(ds, o.houses), o.out);
        console.log(`Файл: ${o.out}, показаний: ${n}`);
      });
    });

  excel
    .command("ids")
    .description("ЕЛС, ИЖКУ и ИПД за месяц для печати в платёжных документах (строка на ЛС / ПД)")
    .requiredOption("--month <YYYY-MM>", "месяц платёжных документов")
    .requiredOption("--out <file>", "файл .csv или .xlsx")
    .option("--format <csv|xlsx>", "формат (по умолчанию по расширению файла)")
    .option("--houses <list>", HOUSES_HELP)
    .option("--stand <stand>", STAND_HELP, DEFAULT_STAND)
    .action(async (o: { month: string; out: string; format?: string; houses?: string; stand: string }) => {
      const stand = standArg(o.stand);
      if (o.format && !["csv", "xlsx"].includes(o.format)) throw new UserError(`--format: допустимо csv или xlsx, получено «${o.format}»`);
      const { year, month } = parseMonth(o.month);
      await withDatabase(async (ds) => {
        const n = await exportIdentifiers(ds, stand, year, month, await resolveHouses(ds, o.houses), o.out, formatOf(o.out, o.format));
        console.log(`Файл: ${o.out}, строк: ${n}`);
      });
    });

  excel
    .command("kvit-report")
    .description("Отчёт по ошибкам квитирования (Excel)")
    .requiredOption("--out <file>", "файл .xlsx")
    .option("--houses <list>", HOUSES_HELP)
    .option("--stand <stand>", STAND_HELP, DEFAULT_STAND)
    .action(async (o: { out: string; houses?: string; stand: string }) => {
      const stand = standArg(o.stand);
      if (path.extname(o.out).toLowerCase() !== ".xlsx") throw new UserError(`--out: отчёт пишется в .xlsx, указан «${o.out}»`);
      await withDatabase(async (ds) => {
        const n = await exportKvitReport(ds, await resolveHouses(ds, o.houses), o.out, stand);
        console.log(`Файл: ${o.out}, строк: ${n}`);
      });
    });
}
