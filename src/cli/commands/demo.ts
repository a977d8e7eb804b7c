/**
 * The main job: everything on one box. The embedded database (or DB_URL), the demo billing bundle
 * imported, a test GOST key for the demo organization, the built-in GIS stand in this process (or
 * another stand with --stand-url), Redis (a private redis-server when none answers), the whole
 * pipeline run once; then the web UI keeps running. `--once` prints the run's JSON summary and exits.
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
import { STAGES, StageName } from "../../stages/descriptor";
import { RunSummary, formatRunSummary, mergeSummaries } from "../../queue/summary";
import { seedManagedFund } from "../../runtime/demo-fund";
import { ensureRedis } from "../../runtime/redis";
import { openPipeline, resolveOrganization } from "../../runtime/pipeline-runtime";
import { DemoKeys, demoKeys, demoStand } from "../../runtime/demo-environment";
import { DataSource } from "typeorm";
import { Organization } from "../../../entities/organization";
import { AppConfig } from "../../config";
import { RunningStand } from "../../stand";
import { UserError } from "../../util/errors";
import { serveUntilStopped } from "../../runtime/serve";
import { progressPrinter } from "../../runtime/progress-printer";

interface DemoFlags {
  once?: boolean;
  standUrl?: string;
  port?: string;
  latency?: string;
}

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("Main job: the demo data, the built-in GIS stand, one full pipeline run, then the web UI")
    .option("--once", "run the pipeline once, print a JSON summary and exit (0 when the run completed)")
    .option("--stand-url <url>", "run against another stand speaking the GIS interface instead of the built-in one")
    .option("--port <port>", "web UI port (default PORT or 8080)")
    .option("--latency <ms>", "the built-in stand's processing latency, ms", "0")
    .action(async (o: DemoFlags) => {
      const say = (line: string) => (o.once ? process.stderr : process.stdout).write(`${line}\n`);
      await withDatabase(async (ds, config) => {
        say(`База данных: ${config.dbUrl.startsWith("sqlite:") ? config.dbUrl : "(DB_URL)"}`);
        const dir = path.join(config.home, "demo-bundle");
        const g = await writeDemoBundle(dir);
        say(`Демонстрационная выгрузка из учётной системы: ${dir} (${g.totalRows} строк, из них намеренно ошибочных ${g.broken.length})`);
        const r = await importPath(ds, dir, { author: "demo", onFile: (f) => say(fileLine(f)) });
        const issues = await ds.getRepository(ImportIssue).find({ where: { runId: r.runId }, order: { id: "ASC" }, take: 20 });
        for (const i of issues) say(formatIssue(i));
        if (!o.once) printRun(r);

        const ours = await resolveOrganization(ds);
        const keys = await demoKeys(ds, config.home, ours);
        say(`Ключ подписи (тестовый ГОСТ 2012, только для стенда): ${keys.certFile}`);
        const latency = Number(o.latency);
        if (!Number.isInteger(latency) || latency < 0) throw new UserError("--latency: целое число миллисекунд ≥ 0");
        const stand = o.standUrl ? null : await demoStand(ds, config.home, ours, keys.certPem, latency);
        // Whatever fails below, the stand, the private Redis and the pipeline are closed: the process ends.
        try {
          const standUrl = o.standUrl ?? stand!.url;
          say(stand ? `Встроенный стенд ГИС ЖКХ: ${standUrl} (подписи и сертификаты проверяются)` : `Стенд: ${standUrl}`);
          const redis = await ensureRedis(config.redisUrl, config.home);
          if (redis.url !== config.redisUrl) say(`Redis не отвечал по ${config.redisUrl}: запущен собственный (${redis.url})`);
          try {
            await runDemo(ds, config, o, say, { ours, keys, stand, standUrl, redisUrl: redis.url, latency });
          } finally {
            await redis.stop();
          }
        } finally {
          await stand?.close();
        }
      });
    });
}

interface DemoParts {
  ours: Organization;
  keys: DemoKeys;
  stand: RunningStand | null;
  standUrl: string;
  redisUrl: string;
  latency: number;
}

/** The pipeline runs of the demo, then (without --once) the web UI until Ctrl+C. */
async function runDemo(ds: DataSource, config: AppConfig, o: DemoFlags, say: (line: string) => void, p: DemoParts): Promise<void> {
  const { ours, keys, stand, standUrl, latency } = p;
  const rt = await openPipeline(ds, {
    stand: "local",
    url: standUrl,
    redisUrl: p.redisUrl,
    workers: true,
    signer: keys.signer,
    // The built-in stand answers at once: poll it every few hundred ms, not on GIS's 10 s schedule.
    schedule: stand ? { delaysMs: [latency + 50, 200, 500, 1000], processingDelayMs: 200, maxWaitMs: 600_000 } : undefined,
  });
  try {
    const runOnce = async (stages: StageName[]): Promise<RunSummary> => {
      const run = await rt.pipeline.startRun({ stand: "local", organizationId: ours.id, stages, mode: "sync", trigger: "demo", author: "demo" });
      return rt.waitForRun(run.id, progressPrinter(rt, say));
    };
    say("Обмен с ГИС ЖКХ: услуги и справочники…");
    const first = await runOnce(["services"]);
    if (stand && first.state !== "failed") {
      const seeded = await seedManagedFund(ds, stand, ours.id);
      if (seeded.houses) say(`Управляющая организация разместила на стенде жилищный фонд: домов ${seeded.houses}, помещений ${seeded.premises}`);
    }
    // A run that could not reach the stand says why; the rest would only wait again.
    let summary = first;
    if (first.state !== "failed") {
      say("Обмен с ГИС ЖКХ: договоры, фонд, ЛС, ПУ, показания, ПД, платежи, квитирование…");
      summary = mergeSummaries(first, await runOnce(STAGES.filter((x) => x !== "services")));
    }
    if (summary.state === "failed") say(`gis-sync: обмен не выполнен: ${summary.errorText ?? "см. сводку"}`);
    if (o.once) {
      console.log(JSON.stringify(summary, null, 2));
      if (summary.state === "failed") process.exitCode = 2;
      return;
    }
    console.log(formatRunSummary(summary));
    console.log("");
    console.log(formatSummary(await databaseSummary(ds)));
    await serveUntilStopped(ds, { port: o.port ? Number(o.port) : config.port, redisUrl: p.redisUrl, runtime: rt, home: config.home, standUrl });
  } finally {
    await rt.close();
  }
}
