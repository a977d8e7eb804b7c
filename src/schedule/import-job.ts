/**
 * The schedule's «import» job (the manual's «Загрузка данных из учётной системы» by the clock):
 * the bundle folder of import.scheduleFolder, or the billing database of import.scheduleSqlUrl
 * through the mapping of import.scheduleSqlMap. Re-importing unchanged data changes nothing, so
 * the folder is read as it is each time; the run and its journal are the web journal's.
 */
import { DataSource } from "typeorm";
import { importFromSql, importPath } from "../importer/import-run";
import { getSetting } from "../settings/settings";
import { UserError } from "../util/errors";
import { readSecret } from "../util/secrets";
import { JobResult } from "./scheduler";

export async function runScheduledImport(ds: DataSource): Promise<JobResult> {
  const folder = await getSetting<string | null>(ds, "import.scheduleFolder");
  const sqlSource = await getSetting<string | null>(ds, "import.scheduleSqlUrl");
  const map = await getSetting<string | null>(ds, "import.scheduleSqlMap");
  const opts = { author: "scheduler" };
  let r;
  if (sqlSource) {
    if (!map) throw new UserError("Загрузка по расписанию из базы учётной системы: не задан файл соответствия (настройка import.scheduleSqlMap)");
    r = await importFromSql(ds, await readSecret(sqlSource, "адрес базы учётной системы (import.scheduleSqlUrl)"), map, opts);
  } else if (folder) {
    r = await importPath(ds, folder, opts);
  } else {
    throw new UserError("Загрузка по расписанию: не задан каталог выгрузки (import.scheduleFolder) или база учётной системы (import.scheduleSqlUrl)");
  }
  const sum = (k: "read" | "rejected") => r.files.reduce((n, f) => n + f[k], 0);
  const text = `загрузка №${r.runId}: файлов ${r.files.length}, строк прочитано ${sum("read")}, отклонено ${sum("rejected")}; ошибок журнала ${r.journal.errors}, предупреждений ${r.journal.warnings}`;
  return { outcome: r.status === "ok" ? "ok" : r.status === "ok_with_errors" ? "warning" : "error", text };
}
