/**
 * The main job: everything on one box. The embedded database (or DB_URL), the demo billing bundle of
 * a settlement centre imported (a managing organization and a resource supplier it sends for, dated
 * from today), a test GOST key for each of them, the archive's at-rest key, the built-in GIS stand in
 * this process (or another stand with --stand-url), Redis (a private redis-server when none answers),
 * the whole pipeline run once per organization; then the web UI keeps running. `--once` prints the
 * runs' JSON summary, grouped by organization, and exits.
 */
import path from "node:path";
import { Command } from "commander";
import { withDatabase } from "../context";
import { writeCentreBundle } from "../../generator/demo";
import { centreDates, houseToday } from "../../generator/centre";
import { importPath } from "../../importer/import-run";
import { formatIssue } from "../../importer/journal";
import { ImportIssue } from "../../../entities/import-issue";
import { databaseSummary, formatSummary } from "../../status/database-summary";
import { fileLine, printRun } from "./import";
import { ensureRedis } from "../../runtime/redis";
import { demoKeys, demoStand, organizationKeys } from "../../runtime/demo-environment";
import { attachContractScans, centreOrganizations } from "../../runtime/demo-centre";
import { DemoResult, formatDemoResult, runForOrganizations } from "../../runtime/demo-runs";
import { setSetting } from "../../settings/settings";
import { setStandRules } from "../../stand/rules/settings";
import { archiveKeyFile, createArchiveKey } from "../../archive/at-rest";
import { DataSource } from "typeorm";
import { Organization } from "../../../entities/organization";
import { AppConfig } from "../../config";
import { RunningStand } from "../../stand";
import { UserError } from "../../util/errors";
import { serveUntilStopped } from "../../runtime/serve";
import { openPipeline } from "../../runtime/pipeline-runtime";

interface DemoFlags {
  once?: boolean;
  standUrl?: string;
  port?: string;
  latency?: string;
}

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("Главное задание: демо-данные расчётного центра, встроенный стенд ГИС, полный прогон конвейера по каждой организации, затем веб-интерфейс")
    .option("--once", "один прогон, сводка в JSON и выход (код 0, если запуски завершены)")
    .option("--stand-url <url>", "работать с другим стендом с интерфейсом ГИС вместо встроенного")
    .option("--port <port>", "порт веб-интерфейса (по умолчанию PORT или 8080)")
    .option("--latency <ms>", "задержка обработки встроенного стенда, мс", "0")
    .action(async (o: DemoFlags) => {
      const say = (line: string) => (o.once ? process.stderr : process.stdout).write(`${line}\n`);
      await withDatabase(async (ds, config) => {
        say(`База данных: ${config.dbUrl.startsWith("sqlite:") ? config.dbUrl : "(DB_URL)"}`);
        // The archive holds payers' personal data: encrypted at rest from the first request on.
        if (!archiveKeyFile()) {
          const file = path.join(config.home, "keys", "archive.key");
          createArchiveKey(file);
          say(`Ключ шифрования архива обмена: ${file} (храните копию отдельно от резервных копий базы)`);
        }
        const today = houseToday();
        const dir = path.join(config.home, "demo-bundle");
        const g = await writeCentreBundle(dir, today);
        say(`Демонстрационная выгрузка расчётного центра на ${today}: ${dir} (${g.totalRows} строк, из них намеренно ошибочных ${g.broken.length})`);
        const r = await importPath(ds, dir, { author: "demo", onFile: (f) => say(fileLine(f)) });
        const issues = await ds.getRepository(ImportIssue).find({ where: { runId: r.runId }, order: { id: "ASC" }, take: 20 });
        for (const i of issues) say(formatIssue(i));
        if (!o.once) printRun(r);

        const { centre, served } = await centreOrganizations(ds);
        const scans = await attachContractScans(ds, config.home);
        if (scans) say(`К договорам управления приложены файлы договоров: ${scans}`);
        const own = await demoKeys(ds, config.home, centre ?? served[0]);
        await setSetting(ds, "gis.ourOrganizationId", served[0].id, "demo");
        const keys = await organizationKeys(ds, config.home, served);
        for (const org of served) say(`Ключ подписи ${org.shortName ?? org.fullName} (тестовый ГОСТ 2012, только для стенда): ${keys.get(org.id)!.certFile}`);
        const latency = Number(o.latency);
        if (!Number.isInteger(latency) || latency < 0) throw new UserError("--latency: целое число миллисекунд ≥ 0");
        const certs = new Map([...keys].map(([id, k]) => [id, k.certPem]));
        if (centre) certs.set(centre.id, own.certPem);
        const stand = o.standUrl ? null : await demoStand(ds, config.home, certs, latency);
        if (stand) {
          // The stand takes current readings on the days the demo's contracts state (GIS: the contract's «период ввода показаний»).
          const w = centreDates(today);
          setStandRules(stand.store, { readingsWindow: { fromDay: w.fromDay, toDay: w.toDay } });
        }
        // Whatever fails below, the stand, the private Redis and the pipeline are closed: the process ends.
        try {
          const standUrl = o.standUrl ?? stand!.url;
          say(stand ? `Встроенный стенд ГИС ЖКХ: ${standUrl} (подписи и сертификаты проверяются)` : `Стенд: ${standUrl}`);
          const redis = await ensureRedis(config.redisUrl, config.home);
          if (redis.url !== config.redisUrl) say(`Redis не отвечал по ${config.redisUrl}: запущен собственный (${redis.url})`);
          try {
            await runDemo(ds, config, o, say, { served, stand, standUrl, redisUrl: redis.url, latency, today });
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
  served: Organization[];
  stand: RunningStand | null;
  standUrl: string;
  redisUrl: string;
  latency: number;
  today: string;
}

/** The pipeline runs of the demo, then (without --once) the web UI until Ctrl+C. */
async function runDemo(ds: DataSource, config: AppConfig, o: DemoFlags, say: (line: string) => void, p: DemoParts): Promise<void> {
  // One pipeline for all: the installation's key (signer.*) is the centre's; each organization signs with its organization_signer key.
  const rt = await openPipeline(ds, {
    stand: "local",
    url: p.standUrl,
    redisUrl: p.redisUrl,
    workers: true,
    // The built-in stand answers at once: poll it every few hundred ms, not on GIS's 10 s schedule.
    schedule: p.stand ? { delaysMs: [p.latency + 50, 200, 500, 1000], processingDelayMs: 200, maxWaitMs: 600_000 } : undefined,
  });
  try {
    const result: DemoResult = await runForOrganizations(ds, rt, { organizations: p.served, today: p.today, say });
    if (result.state === "failed") say(`gis-sync: обмен не выполнен: ${result.errorText ?? "см. сводку"}`);
    if (o.once) {
      console.log(JSON.stringify(result, null, 2));
      if (result.state === "failed") process.exitCode = 2;
      return;
    }
    console.log(formatDemoResult(result));
    console.log("");
    console.log(formatSummary(await databaseSummary(ds, "local")));
    await serveUntilStopped(ds, { port: o.port ? Number(o.port) : config.port, redisUrl: p.redisUrl, runtime: rt, home: config.home, standUrl: p.standUrl });
  } finally {
    await rt.close();
  }
}
