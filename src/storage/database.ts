/** Opening the database: connect, adapt types to the dialect, apply pending migrations. */
import { DataSource } from "typeorm";
import { createDataSource } from "../../ormconfig";
import { adaptMetadataToDialect, dialectOf } from "./dialect";
import { serializeSqliteTransactions } from "./sqlite-turns";
import { redact } from "../log";

export async function openDatabase(dbUrl: string, opts: { migrate?: boolean } = {}): Promise<DataSource> {
  const ds = createDataSource(dbUrl);
  try {
    await ds.initialize();
  } catch (e) {
    throw new Error(`Cannot open database ${redact(dbUrl)}: ${(e as Error).message}`);
  }
  adaptMetadataToDialect(ds);
  if (dialectOf(ds) === "sqlite") serializeSqliteTransactions(ds);
  if (opts.migrate !== false) await ds.runMigrations({ transaction: "each" });
  return ds;
}
