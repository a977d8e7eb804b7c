/**
 * `gis-sync sync <stage|all> --stand S` starts a pipeline run, shows progress, waits and prints the
 * summary; `--inline` runs the workers in this process. `gis-sync worker` runs worker pools.
 */
import { Command } from "commander";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { Mode } from "../../stages/descriptor";
import { parseStages } from "../../queue/plan";
import { formatRunSummary } from "../../queue/summary";
import { openPipeline, resolveOrganization } from "../../runtime/pipeline-runtime";
import { progressPrinter } from "../../runtime/progress-printer";
import { UserError } from "../../util/errors";
import { withDatabase } from "../context";

function standArg(v: string): Stand {
  if (!(STANDS as readonly string[]).includes(v)) throw new UserError(`--stand: ${STANDS.join(", ")}`);
  return v as Stand;
}

function idList(v: string | undefined): number[] | undefined {
  if (!v) return undefined;
  const ids = v.split(",").map((x) => x.trim());
  if (ids.some((x) => !/^\d+$/.test(x))) throw new UserError(`--houses: номера через запятую («${v}»)`);
  return ids.map(Number);
}

export function registerSync(program: Command): void {
  program
    .command("sync")
    .argument("<stages>", "stage, comma-separated stages, or all: services,contracts,fund,accounts,meters,readings,bills,payments,kvitirovanie")
    .description("Run the exchange pipeline for a stand and print what it did")
    .requiredOption("--stand <stand>", "prod | sit01 | sit02 | local")
    .option("--org <ogrn>", "the organization (default: ours)")
    .option("--houses <ids>", "only these houses (ids, comma-separated)")
    .option("--mode <mode>", "sync | push | pull", "sync")
    .option("--unused", "also close in GIS the accounts / archive the meters that no longer exist here (accounts, meters stages; sync or push)")
    .option("--json", "print the summary as JSON")
    .option("--inline", "run the workers in this process")
    .option("--url <url>", "the stand's address (overrides GIS_*_URL)")
    .action(
      async (
        stages: string,
        o: { stand: string; org?: string; houses?: string; mode: string; json?: boolean; inline?: boolean; url?: string; unused?: boolean },
      ) => {
        if (!["sync", "push", "pull"].includes(o.mode)) throw new UserError("--mode: sync | push | pull");
        if (o.unused && o.mode === "pull") throw new UserError("--unused: закрытие неиспользуемых объектов ГИС — режим sync или push");
        let list;
        try {
          list = parseStages(stages);
        } catch (e) {
          throw new UserError((e as Error).message);
        }
        await withDatabase(async (ds, config) => {
          const org = await resolveOrganization(ds, o.org);
          const rt = await openPipeline(ds, { stand: standArg(o.stand), url: o.url, redisUrl: config.redisUrl, workers: !!o.inline });
          try {
            const run = await rt.pipeline.startRun({
              stand: standArg(o.stand),
              organizationId: org.id,
              stages: list,
              mode: o.mode as Mode,
              scope: { houseIds: idList(o.houses), ...(o.unused ? { unused: true } : {}) },
              trigger: "cli",
              author: process.env.USER ?? null,
            });
            process.stderr.write(`Запуск ${run.id}: стенд ${o.stand} (${rt.standUrl})\n`);
            const summary = await rt.waitForRun(run.id, o.json ? undefined : progressPrinter(rt, (line) => process.stderr.write(`${line}\n`)));
            console.log(o.json ? JSON.stringify(summary, null, 2) : formatRunSummary(summary));
            if (summary.state === "failed") {
              // The reason on stderr too: a cron job's mail shows it even with --json.
              process.stderr.write(`gis-sync: запуск ${summary.runId} не выполнен: ${summary.errorText ?? "см. сводку"}\n`);
              process.exitCode = 2;
            }
          } finally {
            await rt.close();
          }
        });
      },
    );

  program
    .command("worker")
    .description("Run worker pools (prepare, send, poll, apply) for a stand until stopped")
    .option("--stand <stand>", "prod | sit01 | sit02 | local", "prod")
    .option("--url <url>", "the stand's address (overrides GIS_*_URL)")
    .option("--send <n>", "concurrent sends")
    .option("--poll <n>", "concurrent getState polls")
    .action(async (o: { stand: string; url?: string; send?: string; poll?: string }) => {
      await withDatabase(async (ds, config) => {
        const rt = await openPipeline(ds, {
          stand: standArg(o.stand),
          url: o.url,
          redisUrl: config.redisUrl,
          workers: true,
          pools: { send: o.send ? Number(o.send) : undefined, poll: o.poll ? Number(o.poll) : undefined },
        });
        process.stderr.write(`gis-sync worker ${rt.pool!.id}: стенд ${o.stand}\n`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
        await rt.close();
      });
    });
}
