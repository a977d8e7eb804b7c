import { Command } from "commander";
import { withDatabase } from "../context";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("Применить миграции базы (сервер и другие команды делают это и при запуске)")
    .action(async () => {
      await withDatabase(async (ds) => {
        const applied = await ds.query("SELECT COUNT(*) AS n FROM migrations");
        console.log(`Схема базы данных актуальна (migrations applied: ${Number(applied[0].n)})`);
      });
    });
}
