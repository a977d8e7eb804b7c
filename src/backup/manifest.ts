/**
 * What a backup says about itself (manifest.json inside the backup file): which schema migration
 * it was taken at, whose installation, when, by which gis-sync, from which kind of database. A
 * restore reads it first and refuses what it cannot take.
 */
import fs from "node:fs";
import path from "node:path";
import { DataSource } from "typeorm";
import { MIGRATIONS } from "../storage/migrations";
import { UserError } from "../util/errors";

export const BACKUP_FORMAT = "gis-sync-backup";

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: 1;
  /** The newest schema migration applied in the backed-up database ("StandsApart1765324800000"). */
  migration: string;
  migrationTimestamp: number;
  installationId: string | null;
  createdAt: string;
  gisSyncVersion: string;
  dialect: "sqlite" | "postgres";
  /** The database inside the backup: database.sqlite or database.pgdump (pg_dump custom format). */
  databaseEntry: string;
  /** Folders of GIS_SYNC_HOME carried along (attachments, anchors), with their file counts. */
  folders: Array<{ name: string; files: number }>;
}

export function gisSyncVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

const timestampOf = (name: string) => Number(/(\d{13})$/.exec(name)?.[1] ?? 0);

/** The newest migration this build knows: a backup of a newer schema cannot be restored by it. */
export function newestKnownMigration(): { name: string; timestamp: number } {
  const name = MIGRATIONS[MIGRATIONS.length - 1].name;
  return { name, timestamp: timestampOf(name) };
}

/** The newest migration applied in a database (TypeORM's `migrations` table). */
export async function appliedMigration(ds: DataSource): Promise<{ name: string; timestamp: number }> {
  const row = await ds
    .createQueryBuilder()
    .select("m.name", "name")
    .addSelect("m.timestamp", "timestamp")
    .from("migrations", "m")
    .orderBy("m.timestamp", "DESC")
    .limit(1)
    .getRawOne<{ name: string; timestamp: string | number }>();
  if (!row) return { name: "", timestamp: 0 };
  return { name: row.name, timestamp: Number(row.timestamp) };
}

export function checkManifest(raw: unknown): BackupManifest {
  const m = raw as Partial<BackupManifest> | null;
  if (!m || m.format !== BACKUP_FORMAT) throw new UserError("Это не резервная копия gis-sync: нет manifest.json с format=gis-sync-backup");
  if (m.formatVersion !== 1) throw new UserError(`Резервная копия формата ${String(m.formatVersion)}: эта версия gis-sync читает только формат 1`);
  const known = newestKnownMigration();
  if (Number(m.migrationTimestamp) > known.timestamp)
    throw new UserError(
      `Резервная копия сделана на более новой схеме базы (${m.migration}), чем знает эта версия gis-sync (${known.name}): ` +
        `восстановите её версией ${m.gisSyncVersion ?? "новее"} или новее`,
    );
  return m as BackupManifest;
}
