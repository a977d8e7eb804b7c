/**
 * The database part of a backup, per kind: SQLite through its online backup API (a consistent
 * copy while the server writes), PostgreSQL through pg_dump / pg_restore in the custom format.
 * SQL Server is backed up by its own BACKUP DATABASE statement (docs/backup.md). The password of a
 * URL goes to pg_dump through PGPASSWORD, never on its command line (visible in `ps`).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { UserError } from "../util/errors";

export type BackupDialect = "sqlite" | "postgres";

export function dialectOfUrl(dbUrl: string): BackupDialect {
  if (dbUrl.startsWith("sqlite:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(dbUrl)) return "postgres";
  if (/^(mssql|sqlserver):\/\//.test(dbUrl))
    throw new UserError(
      "База MS SQL Server копируется средствами сервера: BACKUP DATABASE … TO DISK = … WITH COPY_ONLY, CHECKSUM " +
        "и восстанавливается RESTORE DATABASE … FROM DISK = … (см. docs/backup.md); папки вложений и отметок — отдельно",
    );
  throw new UserError(`DB_URL: неизвестный вид базы «${dbUrl.split(":")[0]}»`);
}

export function sqliteFile(dbUrl: string): string {
  const file = dbUrl.slice("sqlite:".length);
  if (!file || file === ":memory:") throw new UserError("База SQLite в памяти: копировать нечего");
  return path.resolve(file);
}

/** A copy of the live SQLite database, made page by page while other connections keep writing. */
export async function backupSqlite(dbUrl: string, to: string): Promise<void> {
  const file = sqliteFile(dbUrl);
  if (!fs.existsSync(file)) throw new UserError(`Файл базы SQLite не найден: ${file}`);
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 10000");
    await db.backup(to);
  } finally {
    db.close();
  }
}

/** Puts a backed-up SQLite file in place of the target (the server must be stopped). */
export function restoreSqlite(dbUrl: string, from: string): void {
  const file = sqliteFile(dbUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.restoring`;
  fs.copyFileSync(from, tmp);
  // The old file's write-ahead log must not be replayed over the restored pages.
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  fs.renameSync(tmp, file);
}

interface PgTarget {
  url: string;
  env: NodeJS.ProcessEnv;
}

/** The URL without its password, and the password in the child's environment. */
function pgTarget(dbUrl: string): PgTarget {
  const u = new URL(dbUrl);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = "";
  }
  return { url: u.toString(), env };
}

/** pg_dump / pg_restore: from GIS_SYNC_PG_BIN when set, else the PATH. */
export function pgProgram(name: "pg_dump" | "pg_restore"): string {
  const program = process.env.GIS_SYNC_PG_BIN ? path.join(process.env.GIS_SYNC_PG_BIN, name) : name;
  const r = spawnSync(program, ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0)
    throw new UserError(
      `Не найдена программа ${name}: установите клиент PostgreSQL той же или более новой версии, что сервер ` +
        "(Debian/Ubuntu: apt-get install postgresql-client), или укажите её папку в GIS_SYNC_PG_BIN",
    );
  return program;
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c: Buffer) => {
      if (err.length < 4000) err += c.toString("utf8");
    });
    child.on("error", (e) => reject(new UserError(`${what}: ${e.message}`)));
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new UserError(`${what}: ${path.basename(program)} завершился с кодом ${code}: ${err.trim()}`)),
    );
  });
}

export async function backupPostgres(dbUrl: string, to: string): Promise<void> {
  const t = pgTarget(dbUrl);
  const args = ["--format=custom", "--no-owner", "--no-privileges", `--file=${to}`, `--dbname=${t.url}`];
  await run(pgProgram("pg_dump"), args, t.env, "Копия базы PostgreSQL");
}

/** pg_restore into the target; with `clean`, the target's own objects are dropped first. */
export async function restorePostgres(dbUrl: string, from: string, clean: boolean): Promise<void> {
  const t = pgTarget(dbUrl);
  const args = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--dbname=${t.url}`];
  if (clean) args.push("--clean", "--if-exists");
  args.push(from);
  await run(pgProgram("pg_restore"), args, t.env, "Восстановление базы PostgreSQL");
}

/** The URL an open DataSource was made from (the scheduled backup runs inside the server). */
export function dbUrlOf(ds: { options: { type: string; database?: unknown; url?: string } }): string {
  if (ds.options.type === "better-sqlite3") return `sqlite:${String(ds.options.database)}`;
  if (ds.options.type === "postgres" && ds.options.url) return ds.options.url;
  return dialectOfUrl(`${ds.options.type}://`);
}
