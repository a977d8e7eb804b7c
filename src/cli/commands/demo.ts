/**
 * The main job: everything on one box with the embedded database. For now it migrates, writes the
 * demo billing bundle, imports it and prints what is in the database; the protocol, stand and
 * pipeline issues extend it into a full exchange run.
 */
import path from "node:path";
import { Command } from "commander";
import { withDatabase } from "../context";
import { writeDemoBundle } from "../../generator/demo";
import { importPath } from "../../importer/import-run";
import { formatIssue } from "../../importer/journal";
import { ImportIssue } from "../../../entities/import-issue";
import { databaseSummary, formatSummary } from "../../status/database-summary";
import { fileLine, printRun } from "./import";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("Main job: migrate the embedded database, import the demo billing bundle, show the result")
    .action(async () => {
      await withDatabase(async (ds, config) => {
        const dir = path.join(config.home, "demo-bundle");
        console.log(`База данных: ${config.dbUrl.startsWith("sqlite:") ? config.dbUrl : "(DB_URL)"}`);
        const g = await writeDemoBundle(dir);
        console.log(`Демонстрационная выгрузка из учётной системы: ${dir} (${g.totalRows} строк, из них намеренно ошибочных ${g.broken.length})`);
        const r = await importPath(ds, dir, { author: "demo", onFile: (f) => console.log(fileLine(f)) });
        const issues = await ds.getRepository(ImportIssue).find({ where: { runId: r.runId }, order: { id: "ASC" }, take: 20 });
        for (const i of issues) console.log(formatIssue(i));
        printRun(r);
        console.log("");
        console.log(formatSummary(await databaseSummary(ds)));
      });
    });
}
