/**
 * `gis-sync schedule list | add | enable | disable | remove | run` — the stored schedules of the
 * manual's «Расписание запуска заданий»; `gis-sync scheduler` runs the scheduler until stopped
 * (several may run: a Redis lock lets exactly one start each fire).
 */
import { Command } from "commander";
import { Redis } from "ioredis";
import { DataSource } from "typeorm";
import { STANDS } from "../../../entities/gis-operation";
import { Schedule } from "../../../entities/schedule";
import { AppConfig } from "../../config";
import { connectRedis, redisReachable } from "../../queue/connection";
import { resolveOrganization } from "../../runtime/pipeline-runtime";
import { getSetting } from "../../settings/settings";
import { UserError } from "../../util/errors";
import { describeRule, nextFireTime } from "../../schedule/fire-times";
import { JOB_TYPES, jobTypeOf } from "../../schedule/job-types";
import { defaultRunJob } from "../../schedule/run-job";
import { Scheduler, startScheduler } from "../../schedule/scheduler";
import { addSchedule, getSchedule, listSchedules, removeSchedule, setScheduleEnabled } from "../../schedule/store";
import { withDatabase } from "../context";

function idArg(v: string): number {
  if (!/^\d+$/.test(v)) throw new UserError(`номер расписания — целое число («${v}»)`);
  return Number(v);
}

function idList(name: string, v: string | undefined): number[] | undefined {
  if (!v) return undefined;
  const ids = v.split(",").map((x) => x.trim());
  if (ids.some((x) => !/^\d+$/.test(x))) throw new UserError(`--${name}: номера через запятую («${v}»)`);
  return ids.map(Number);
}

async function openRedis(url: string): Promise<Redis> {
  if (!(await redisReachable(url))) throw new UserError(`Redis не отвечает по адресу ${url}: расписанию нужен Redis для блокировок (REDIS_URL)`);
  return connectRedis(url);
}

const OUTCOMES: Record<string, string> = { running: "выполняется", ok: "успешно", warning: "с ошибками", error: "ошибка" };
const stamp = (d: Date | null, tz: string) =>
  d ? new Date(d).toLocaleString("ru-RU", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }) : "—";

function formatSchedule(s: Schedule, tz: string, now: Date): string {
  const last = s.lastStartedAt
    ? `последний запуск ${stamp(s.lastStartedAt, tz)}${s.lastDurationMs !== null ? `, ${(s.lastDurationMs / 1000).toFixed(1)} с` : ""}${s.lastOutcome ? `, ${OUTCOMES[s.lastOutcome] ?? s.lastOutcome}` : ""}`
    : "не запускалось";
  const next = s.enabled ? `следующий ${stamp(nextFireTime(s, now, tz), tz)}` : "выключено";
  return `${String(s.id).padStart(4)}  ${s.enabled ? "вкл " : "выкл"}  ${s.stand.padEnd(5)}  ${s.name} [${s.jobType}]\n        ${describeRule(s)}; ${next}; ${last}${s.lastResult ? `\n        ${s.lastResult}` : ""}`;
}

/** The scheduler with the default job runner; `inline` runs the pipeline's workers in this process. */
async function schedulerFor(
  ds: DataSource,
  config: AppConfig,
  redis: Redis,
  o: { inline?: boolean; url?: string; stands?: string[]; refreshMinutes?: number; ticker: boolean },
): Promise<Scheduler> {
  const runJob = defaultRunJob({ ds, redisUrl: config.redisUrl, redis, runtime: () => ({ workers: !!o.inline, url: o.url }) });
  return startScheduler({ ds, redis, runJob, stands: o.stands, ticker: o.ticker, refreshMs: o.ticker ? (o.refreshMinutes ?? 1) * 60_000 : 0 });
}

export function registerSchedule(program: Command): void {
  const schedule = program.command("schedule").description("Расписание запуска заданий: хранимые расписания заданий");

  schedule
    .command("list")
    .description("Расписания со следующим и последним запуском")
    .option("--json", "вывод в JSON")
    .action(async (o: { json?: boolean }) => {
      await withDatabase(async (ds) => {
        const tz = await getSetting<string>(ds, "gis.timeZone");
        const all = await listSchedules(ds);
        const now = new Date();
        if (o.json)
          return console.log(
            JSON.stringify(
              all.map((s) => ({ ...s, nextFireAt: s.enabled ? nextFireTime(s, now, tz) : null })),
              null,
              2,
            ),
          );
        if (!all.length) return console.log("Расписаний нет. Добавьте: gis-sync schedule add --job <задание> --stand <стенд> --at ЧЧ:ММ");
        console.log(`Часовая зона: ${tz}`);
        for (const s of all) console.log(formatSchedule(s, tz, now));
      });
    });

  schedule
    .command("add")
    .description(`Добавить расписание. Задания: ${JOB_TYPES.map((j) => `${j.id} (${j.label})`).join(", ")}`)
    .requiredOption("--job <type>", "задание")
    .requiredOption("--stand <stand>", "стенд: prod | sit01 | sit02 | local")
    .option("--at <HH:MM>", "раз в день в это время")
    .option("--every <minutes>", "каждые N минут (1..1440) между --from и --to")
    .option("--from <HH:MM>", "начало окна")
    .option("--to <HH:MM>", "конец окна (включительно)")
    .option("--days <list>", "дни недели, 1 — понедельник: 1,2,3,4,5", "1,2,3,4,5,6,7")
    .option("--start <date>", "первый день (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)")
    .option("--end <date>", "последний день, включительно")
    .option("--name <name>", "название в списках и журнале (по умолчанию — название задания)")
    .option("--org <ogrn>", "организация, ОГРН (по умолчанию — наша на момент запуска)")
    .option("--houses <ids>", "только эти дома (id через запятую)")
    .option("--disabled", "сохранить выключенным")
    .action(
      async (o: {
        job: string;
        stand: string;
        at?: string;
        every?: string;
        from?: string;
        to?: string;
        days: string;
        start?: string;
        end?: string;
        name?: string;
        org?: string;
        houses?: string;
        disabled?: boolean;
      }) => {
        if (o.at && (o.every || o.from || o.to)) throw new UserError("укажите либо --at ЧЧ:ММ, либо --every N --from ЧЧ:ММ --to ЧЧ:ММ");
        if (!o.at && !o.every) throw new UserError("нужно --at ЧЧ:ММ (один раз в день) или --every N --from ЧЧ:ММ --to ЧЧ:ММ (каждые N минут)");
        const scope: Record<string, unknown> = {};
        if (o.houses) scope.houseIds = idList("houses", o.houses);
        await withDatabase(async (ds) => {
          if (o.org) scope.organizationId = (await resolveOrganization(ds, o.org)).id;
          const s = await addSchedule(ds, {
            name: o.name,
            jobType: o.job,
            stand: o.stand,
            enabled: !o.disabled,
            daysOfWeek: o.days,
            mode: o.at ? "once" : "interval",
            timeOfDay: o.at,
            everyMinutes: o.every,
            windowStart: o.from,
            windowEnd: o.to,
            startDate: o.start,
            endDate: o.end,
            scope,
          });
          const tz = await getSetting<string>(ds, "gis.timeZone");
          console.log(`Расписание ${s.id} добавлено:\n${formatSchedule(s, tz, new Date())}`);
        });
      },
    );

  for (const [name, enabled] of [
    ["enable", true],
    ["disable", false],
  ] as const) {
    schedule
      .command(name)
      .argument("<id>", "номер расписания")
      .description(enabled ? "Включить расписание" : "Выключить расписание")
      .action(async (id: string) => {
        await withDatabase(async (ds) => {
          const s = await setScheduleEnabled(ds, idArg(id), enabled);
          console.log(`Расписание ${s.id} «${s.name}» ${enabled ? "включено" : "выключено"}`);
        });
      });
  }

  schedule
    .command("remove")
    .argument("<id>", "номер расписания")
    .description("Удалить расписание")
    .action(async (id: string) => {
      await withDatabase(async (ds) => {
        const s = await getSchedule(ds, idArg(id));
        await removeSchedule(ds, s.id);
        console.log(`Расписание ${s.id} «${s.name}» удалено`);
      });
    });

  schedule
    .command("run")
    .argument("<id>", "номер расписания")
    .description("Запустить задание расписания сейчас и дождаться (записывается как запуск по расписанию)")
    .option("--inline", "обработчики конвейера в этом процессе")
    .option("--url <url>", "адрес стенда (вместо GIS_*_URL)")
    .action(async (id: string, o: { inline?: boolean; url?: string }) => {
      await withDatabase(async (ds, config) => {
        const s = await getSchedule(ds, idArg(id));
        const redis = await openRedis(config.redisUrl);
        try {
          const scheduler = await schedulerFor(ds, config, redis, { ...o, ticker: false });
          const label = jobTypeOf(s.jobType)?.label ?? s.jobType;
          process.stderr.write(`Запуск: ${s.name}${label !== s.name ? ` (${label})` : ""}, стенд ${s.stand}\n`);
          const r = await scheduler.runNow(s.id, `cli:${process.env.USER ?? "manual"}`);
          await scheduler.stop();
          console.log(`${OUTCOMES[r.outcome ?? "ok"]}: ${r.text}`);
          if (r.outcome === "error") process.exitCode = 2;
        } finally {
          redis.disconnect();
        }
      });
    });

  program
    .command("scheduler")
    .description("Планировщик до остановки: запускает задания по расписаниям (один запуск на срабатывание, сколько бы процессов ни было)")
    .option("--stands <list>", "только расписания этих стендов (через запятую)")
    .option("--refresh <minutes>", "перечитывать расписания каждые N минут", "1")
    .option("--inline", "обработчики конвейера в этом процессе")
    .option("--url <url>", "адрес стенда (вместо GIS_*_URL)")
    .action(async (o: { stands?: string; refresh: string; inline?: boolean; url?: string }) => {
      const stands = o.stands?.split(",").map((x) => x.trim());
      const unknown = stands?.filter((x) => !(STANDS as readonly string[]).includes(x));
      if (unknown?.length) throw new UserError(`--stands: неизвестный стенд «${unknown.join(", ")}»; допустимо: ${STANDS.join(", ")}`);
      const refresh = Number(o.refresh);
      if (!Number.isInteger(refresh) || refresh < 1 || refresh > 1440) throw new UserError("--refresh: целое число минут от 1 до 1440");
      await withDatabase(async (ds, config) => {
        const redis = await openRedis(config.redisUrl);
        try {
          const scheduler = await schedulerFor(ds, config, redis, { inline: o.inline, url: o.url, stands, refreshMinutes: refresh, ticker: true });
          process.stderr.write(`gis-sync scheduler ${scheduler.owner}: расписаний включено ${scheduler.loaded.length}, часовая зона ${scheduler.timeZone}\n`);
          await new Promise<void>((resolve) => {
            process.once("SIGINT", resolve);
            process.once("SIGTERM", resolve);
          });
          process.stderr.write("остановка: ждём завершения запущенных заданий…\n");
          await scheduler.stop();
        } finally {
          redis.disconnect();
        }
      });
    });
}
