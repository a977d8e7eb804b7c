import { Command } from "commander";
import { withDatabase } from "../context";
import { databaseSummary, formatSummary } from "../../status/database-summary";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("Print what is in the database and where it stands with GIS")
    .option("--json", "machine-readable output")
    .action(async (o: { json?: boolean }) => {
      await withDatabase(async (ds) => {
        const rows = await databaseSummary(ds);
        console.log(o.json ? JSON.stringify(rows, null, 2) : formatSummary(rows));
      });
    });
}
