/**
 * The `backup` job type: a backup into the folder of `backup.folder` (default <home>/backups),
 * then only the newest `backup.keep` of the folder's gis-sync backups are kept. Only files this
 * job names (gis-sync-backup-<stamp>.zip) are ever deleted.
 */
import fs from "node:fs";
import path from "node:path";
import { DataSource } from "typeorm";
import { getSetting } from "../settings/settings";
import { BackupResult, backupFolders, createBackup } from "./backup";

const NAME = /^gis-sync-backup-\d{8}-\d{6}\.zip$/;

export function backupFileName(now: Date): string {
  const s = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `gis-sync-backup-${s}.zip`;
}

/** Deletes the oldest backups of the folder beyond `keep`; returns the deleted names. */
export function pruneBackups(folder: string, keep: number): string[] {
  if (!fs.existsSync(folder)) return [];
  const names = fs
    .readdirSync(folder)
    .filter((n) => NAME.test(n))
    .sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const n of old) fs.rmSync(path.join(folder, n), { force: true });
  return old;
}

export async function scheduledBackup(ds: DataSource, o: { dbUrl: string; home: string; now?: Date }): Promise<BackupResult & { deleted: string[] }> {
  const now = o.now ?? new Date();
  const folder = path.resolve((await getSetting<string | null>(ds, "backup.folder")) || path.join(o.home, "backups"));
  const keep = await getSetting<number>(ds, "backup.keep");
  const result = await createBackup(ds, { dbUrl: o.dbUrl, out: path.join(folder, backupFileName(now)), folders: backupFolders(o.home), now });
  return { ...result, deleted: pruneBackups(folder, keep) };
}

export function describeBackup(r: BackupResult & { deleted?: string[] }): string {
  const mb = (r.bytes / 1048576).toFixed(1);
  const files = r.manifest.folders.reduce((n, f) => n + f.files, 0);
  const deleted = r.deleted?.length ? `; удалены старые копии: ${r.deleted.length}` : "";
  return `резервная копия ${r.file} (${mb} МБ, схема ${r.manifest.migration}, файлов вложений и отметок: ${files})${deleted}`;
}
