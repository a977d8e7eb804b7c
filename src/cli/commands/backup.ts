/**
 * `gis-sync backup --out F`: the database (online, while the server runs) and the folders it points
 * into, in one file. `gis-sync restore F`: into an empty database (the server stopped), or over
 * one with --force. What is and is not in a backup: docs/backup.md.
 */
import path from "node:path";
import { Command } from "commander";
import { withDatabase } from "../context";
import { loadConfig } from "../../config";
import { backupFolders, createBackup, restoreBackup } from "../../backup/backup";
import { describeBackup } from "../../backup/scheduled";

export function registerBackup(program: Command): void {
  program
    .command("backup")
    .description("Резервная копия: база (на ходу, сервер может работать), вложения и отметки архива в один файл; ключи — отдельно")
    .requiredOption("--out <file>", "файл копии (.zip)")
    .option("--json", "вывод в JSON (manifest)")
    .action(async (o: { out: string; json?: boolean }) => {
      await withDatabase(async (ds, config) => {
        const r = await createBackup(ds, { dbUrl: config.dbUrl, out: path.resolve(o.out), folders: backupFolders(config.home) });
        console.log(o.json ? JSON.stringify({ file: r.file, bytes: r.bytes, manifest: r.manifest }, null, 2) : describeBackup(r));
      });
    });
  program
    .command("restore <file>")
    .description("Восстановление из резервной копии в пустую базу DB_URL (сервер остановлен); --force — поверх имеющихся данных")
    .option("--force", "восстановить, даже если база или папка вложений не пусты (их данные будут заменены)")
    .option("--json", "вывод в JSON")
    .action(async (file: string, o: { force?: boolean; json?: boolean }) => {
      const config = loadConfig();
      const r = await restoreBackup({ dbUrl: config.dbUrl, file, folders: backupFolders(config.home), force: o.force });
      const m = r.manifest;
      console.log(
        o.json
          ? JSON.stringify({ manifest: m, files: r.files }, null, 2)
          : `восстановлено из ${path.resolve(file)}: копия от ${m.createdAt} (gis-sync ${m.gisSyncVersion}, схема ${m.migration}, установка ${m.installationId}), файлов: ${r.files}`,
      );
    });
}
