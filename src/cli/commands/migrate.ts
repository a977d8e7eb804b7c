import { Command } from "commander";
import { withDatabase } from "../context";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("Apply pending database migrations (the server and other commands do it on start too)")
    .action(async () => {
      await withDatabase(async (ds) => {
        const applied = await ds.query("SELECT COUNT(*) AS n FROM migrations");
        console.log(`Схема базы данных актуальна (migrations applied: ${Number(applied[0].n)})`);
      });
    });
}
