/**
 * `gis-sync backup` and `restore`: one zip file holding manifest.json, the database (SQLite online
 * copy or pg_dump custom format) and the folders of GIS_SYNC_HOME the database points into —
 * attachments (their files are named by attachment.storagePath) and the archive's anchors. Keys
 * are NOT in it: the archive key and the signing key are backed up apart (docs/backup.md), so a
 * stolen backup does not open the archive. A restore refuses a newer schema and a target that
 * already holds data (unless forced), then migrates an older schema forward.
 */
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import archiver from "archiver";
import { DataSource } from "typeorm";
import { Open } from "unzipper";
import { createDataSource } from "../../ormconfig";
import { anchorDir } from "../archive/anchor";
import { attachmentsDir } from "../exchange/attachments";
import { installationId } from "../queue/installation";
import { openDatabase } from "../storage/database";
import { UserError } from "../util/errors";
import { backupPostgres, backupSqlite, dialectOfUrl, restorePostgres, restoreSqlite, sqliteFile } from "./database-dump";
import { BACKUP_FORMAT, BackupManifest, appliedMigration, checkManifest, gisSyncVersion } from "./manifest";

export interface BackupFolders {
  attachments: string;
  anchors: string;
}

export function backupFolders(home: string): BackupFolders {
  return { attachments: attachmentsDir(home), anchors: anchorDir() };
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath ?? (d as unknown as { path: string }).path, d.name)))
    .sort();
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

/** Writes the backup to `out` (through out.part, renamed when complete). */
export async function createBackup(ds: DataSource, o: { dbUrl: string; out: string; folders: BackupFolders; now?: Date }): Promise<BackupResult> {
  const dialect = dialectOfUrl(o.dbUrl);
  const out = path.resolve(o.out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const work = fs.mkdtempSync(path.join(path.dirname(out), ".gis-sync-backup-"));
  try {
    const databaseEntry = dialect === "sqlite" ? "database.sqlite" : "database.pgdump";
    const dump = path.join(work, databaseEntry);
    const migration = await appliedMigration(ds);
    if (dialect === "sqlite") await backupSqlite(o.dbUrl, dump);
    else await backupPostgres(o.dbUrl, dump);
    const folders = Object.entries(o.folders).map(([name, dir]) => ({ name, dir, files: listFiles(dir) }));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      formatVersion: 1,
      migration: migration.name,
      migrationTimestamp: migration.timestamp,
      installationId: await installationId(ds).catch(() => null),
      createdAt: (o.now ?? new Date()).toISOString(),
      gisSyncVersion: gisSyncVersion(),
      dialect,
      databaseEntry,
      folders: folders.map((f) => ({ name: f.name, files: f.files.length })),
    };
    const part = `${out}.part`;
    const zip = archiver("zip", { zlib: { level: 6 } });
    const written = pipeline(zip, fs.createWriteStream(part));
    zip.on("warning", (e) => zip.emit("error", e));
    zip.append(`${JSON.stringify(manifest, null, 2)}\n`, { name: "manifest.json" });
    zip.append(fs.createReadStream(dump), { name: databaseEntry });
    for (const f of folders)
      for (const rel of f.files) zip.append(fs.createReadStream(path.join(f.dir, rel)), { name: `files/${f.name}/${rel.split(path.sep).join("/")}` });
    await zip.finalize();
    await written;
    fs.renameSync(part, out);
    return { file: out, bytes: fs.statSync(out).size, manifest };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Does the target database already hold rows of any of the model's tables? */
export async function targetHasData(dbUrl: string): Promise<string | null> {
  if (dbUrl.startsWith("sqlite:") && !fs.existsSync(sqliteFile(dbUrl))) return null;
  const ds = createDataSource(dbUrl);
  await ds.initialize();
  const qr = ds.createQueryRunner();
  try {
    for (const m of ds.entityMetadatas) {
      if (!(await qr.hasTable(m.tableName))) continue;
      const row = await ds.createQueryBuilder().select("1", "one").from(m.tableName, "t").limit(1).getRawOne();
      if (row) return m.tableName;
    }
    return null;
  } finally {
    await qr.release();
    await ds.destroy();
  }
}

export interface RestoreResult {
  manifest: BackupManifest;
  files: number;
}

/** Restores a backup into dbUrl and the folders; the server must be stopped (SQLite file is replaced). */
export async function restoreBackup(o: { dbUrl: string; file: string; folders: BackupFolders; force?: boolean }): Promise<RestoreResult> {
  const file = path.resolve(o.file);
  if (!fs.existsSync(file)) throw new UserError(`Файл резервной копии не найден: ${file}`);
  const zip = await Open.file(file).catch(() => {
    throw new UserError(`${file}: не zip-архив резервной копии gis-sync`);
  });
  const entry = (name: string) => zip.files.find((f) => f.path === name);
  const manifestEntry = entry("manifest.json");
  if (!manifestEntry) throw new UserError(`${file}: нет manifest.json — это не резервная копия gis-sync`);
  const manifest = checkManifest(JSON.parse((await manifestEntry.buffer()).toString("utf8")));
  const dialect = dialectOfUrl(o.dbUrl);
  if (dialect !== manifest.dialect)
    throw new UserError(`Резервная копия базы ${manifest.dialect} не восстанавливается в базу ${dialect}: перенос между видами баз — через выгрузку и импорт`);
  const dbEntry = entry(manifest.databaseEntry);
  if (!dbEntry) throw new UserError(`${file}: в копии нет файла базы ${manifest.databaseEntry}`);

  if (!o.force) {
    const table = await targetHasData(o.dbUrl);
    if (table)
      throw new UserError(`База назначения не пуста (есть записи в таблице ${table}): восстановление затёрло бы их; добавьте --force, если это и нужно`);
    for (const [name, dir] of Object.entries(o.folders))
      if (listFiles(dir).length && name !== "anchors")
        throw new UserError(`Папка ${dir} не пуста: восстановление перезаписало бы её файлы; добавьте --force, если это и нужно`);
  }

  const work = fs.mkdtempSync(path.join(path.dirname(dialect === "sqlite" ? sqliteFile(o.dbUrl) : file), ".gis-sync-restore-"));
  try {
    const dump = path.join(work, manifest.databaseEntry);
    await pipeline(dbEntry.stream(), fs.createWriteStream(dump));
    if (dialect === "sqlite") restoreSqlite(o.dbUrl, dump);
    else await restorePostgres(o.dbUrl, dump, !!o.force);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }

  let files = 0;
  for (const z of zip.files) {
    const m = /^files\/([^/]+)\/(.+)$/.exec(z.path);
    if (!m || z.type !== "File") continue;
    const dir = o.folders[m[1] as keyof BackupFolders];
    if (!dir) continue;
    const target = path.resolve(dir, m[2]);
    if (!target.startsWith(path.resolve(dir) + path.sep)) throw new UserError(`${file}: путь ${z.path} выходит за папку ${m[1]}`);
    // Anchors may live on write-once storage: a file already there is left as it is.
    if (m[1] === "anchors" && fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await pipeline(z.stream(), fs.createWriteStream(target));
    files++;
  }
  // An older schema is brought up to this build's.
  const ds = await openDatabase(o.dbUrl);
  await ds.destroy();
  return { manifest, files };
}
