/** What most commands need: configuration and an open, migrated database. */
import { DataSource } from "typeorm";
import { AppConfig, loadConfig } from "../config";
import { openDatabase } from "../storage/database";
import { bindInstallation } from "../queue/installation";

export async function withDatabase<T>(fn: (ds: DataSource, config: AppConfig) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const ds = await openDatabase(config.dbUrl);
  try {
    // Redis keys of this process (sessions, schedule locks, queues) carry the installation's id.
    await bindInstallation(ds);
    return await fn(ds, config);
  } finally {
    await ds.destroy();
  }
}
