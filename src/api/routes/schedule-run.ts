/**
 * «Запустить сейчас» on the schedule screen: the schedule's job starts at once (a disabled one too),
 * recorded like a scheduled start; the answer comes at once and the list shows the outcome when the
 * job ends. A stand whose pipeline this server holds (the demo's in-process workers) runs on it.
 */
import { defaultRunJob } from "../../schedule/run-job";
import { startScheduler } from "../../schedule/scheduler";
import { openPipeline } from "../../runtime/pipeline-runtime";
import { log } from "../../log";
import { audit } from "../audit";
import { assertMayAct } from "../org-scope";
import { Route } from "../router";
import { scheduleOrFail, scheduleOrganization } from "./admin";

export const scheduleRunRoutes: Route[] = [
  {
    method: "POST",
    path: "/api/schedules/{id}/run",
    access: "operator",
    tag: "Расписание",
    summary: "Запустить задание расписания сейчас (как запуск по расписанию; итог — в списке расписаний)",
    handler: async (ctx) => {
      const s = await scheduleOrFail(ctx, ctx.params.id);
      assertMayAct(ctx, scheduleOrganization(s.scope), s.stand, "Расписание");
      const { ds, services } = ctx;
      const held = new Map(services.heldRuntimes());
      const runJob = defaultRunJob({
        ds,
        redisUrl: services.redisUrl,
        redis: services.redis,
        // The server's own pipeline of the stand stays open after the job.
        open: async (db, o) => {
          const rt = held.get(o.stand);
          return rt ? { ...rt, pool: rt.pool, close: async () => undefined } : openPipeline(db, o);
        },
      });
      const scheduler = await startScheduler({ ds, redis: services.redis, runJob, ticker: false, refreshMs: 0 });
      void scheduler
        .runNow(s.id, `web:${ctx.actor}`)
        .catch((e: unknown) => log.warn(`расписание ${s.id} «${s.name}»: ${(e as Error).message}`))
        .finally(() => void scheduler.stop());
      await audit(ds, ctx.actor, "schedule.run", `schedule:${s.id}`);
      ctx.res.statusCode = 202;
      return { id: s.id, started: true };
    },
  },
];
