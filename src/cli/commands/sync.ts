/**
 * `gis-sync sync <stage|all> --stand S` starts a pipeline run, shows progress, waits and prints the
 * summary; `--inline` runs the workers in this process. `gis-sync worker` runs worker pools.
 */
import { Command } from "commander";
import { DataSource } from "typeorm";
import { Organization } from "../../../entities/organization";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { Mode } from "../../stages/descriptor";
import { parseStages } from "../../queue/plan";
import { chosenOrganizations } from "../../queue/run-group";
import { RunSummary, formatRunSummary } from "../../queue/summary";
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

/** --org: OGRNs, comma-separated, or all (every organization of ours); none — ours. */
async function organizationsOf(ds: DataSource, arg: string | undefined): Promise<Organization[]> {
  if (!arg) return [await resolveOrganization(ds)];
  if (arg.trim() === "all") return chosenOrganizations({ ds }, "all");
  const ogrns = [...new Set(arg.split(",").map((x) => x.trim()))];
  const bad = ogrns.filter((x) => !/^(\d{13}|\d{15})$/.test(x));
  if (bad.length) throw new UserError(`--org: ОГРН (13 или 15 цифр) через запятую или all — не «${bad.join(", ")}»`);
  const orgs: Organization[] = [];
  for (const ogrn of ogrns) orgs.push(await resolveOrganization(ds, ogrn));
  return orgs;
}

export function registerSync(program: Command): void {
  program
    .command("sync")
    .argument("<stages>", "этап, этапы через запятую или all: services,contracts,fund,accounts,meters,readings,bills,payments,kvitirovanie")
    .description("Прогон конвейера обмена со стендом и сводка сделанного")
    .requiredOption("--stand <stand>", "стенд: prod | sit01 | sit02 | local")
    .option("--org <ogrn>", "ОГРН организации, несколько через запятую или all (по умолчанию — наша)")
    .option("--houses <ids>", "только эти дома (id через запятую)")
    .option("--mode <mode>", "режим: sync | push | pull", "sync")
    .option("--unused", "также закрыть в ГИС лицевые счета / архивировать ПУ, которых у нас больше нет (этапы accounts, meters; sync или push)")
    .option("--json", "сводка в JSON")
    .option("--inline", "обработчики в этом процессе")
    .option("--url <url>", "адрес стенда (вместо GIS_*_URL)")
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
          const orgs = await organizationsOf(ds, o.org);
          const rt = await openPipeline(ds, { stand: standArg(o.stand), url: o.url, redisUrl: config.redisUrl, workers: !!o.inline });
          try {
            const runs = await rt.pipeline.startRuns(
              {
                stand: standArg(o.stand),
                stages: list,
                mode: o.mode as Mode,
                scope: { houseIds: idList(o.houses), ...(o.unused ? { unused: true } : {}) },
                trigger: "cli",
                author: process.env.USER ?? null,
              },
              orgs.map((org) => org.id),
            );
            const several = runs.length > 1;
            const label = (i: number) => `«${orgs[i].shortName ?? orgs[i].fullName}» (ОГРН ${orgs[i].ogrn ?? "—"})`;
            for (const [i, run] of runs.entries())
              process.stderr.write(`Запуск ${run.id}: стенд ${o.stand} (${rt.standUrl})${several ? `, организация ${label(i)}` : ""}\n`);
            // The runs go on together; waiting for them one after another ends when the last one does.
            const summaries: RunSummary[] = [];
            for (const [i, run] of runs.entries()) {
              const say = (line: string) => process.stderr.write(`${several ? `[${orgs[i].ogrn ?? orgs[i].id}] ` : ""}${line}\n`);
              summaries.push(await rt.waitForRun(run.id, o.json ? undefined : progressPrinter(rt, say)));
            }
            if (o.json) {
              const out = summaries.map((sm, i) => ({ organizationId: orgs[i].id, ogrn: orgs[i].ogrn, ...sm }));
              console.log(JSON.stringify(several ? out : summaries[0], null, 2));
            } else {
              console.log(summaries.map((sm, i) => (several ? `Организация ${label(i)}\n${formatRunSummary(sm)}` : formatRunSummary(sm))).join("\n\n"));
            }
            for (const [i, sm] of summaries.entries()) {
              if (sm.state !== "failed") continue;
              // The reason on stderr too: a cron job's mail shows it even with --json.
              process.stderr.write(`gis-sync: запуск ${sm.runId}${several ? ` (${label(i)})` : ""} не выполнен: ${sm.errorText ?? "см. сводку"}\n`);
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
    .description("Обработчики конвейера (подготовка, отправка, опрос, применение) для стенда до остановки")
    .option("--stand <stand>", "стенд: prod | sit01 | sit02 | local", "prod")
    .option("--url <url>", "адрес стенда (вместо GIS_*_URL)")
    .option("--send <n>", "одновременных отправок")
    .option("--poll <n>", "одновременных опросов getState")
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
