/** Opening the database: connect, adapt types to the dialect, apply pending migrations. */
import { DataSource } from "typeorm";
import { createDataSource } from "../../ormconfig";
import { adaptMetadataToDialect } from "./dialect";
import { redact } from "../log";

export async function openDatabase(dbUrl: string, opts: { migrate?: boolean } = {}): Promise<DataSource> {
  const ds = createDataSource(dbUrl);
  try {
    await ds.initialize();
  } catch (e) {
    throw new Error(`Cannot open database ${redact(dbUrl)}: ${(e as Error).message}`);
  }
  adaptMetadataToDialect(ds);
  if (opts.migrate !== false) await ds.runMigrations({ transaction: "each" });
  return ds;
}
