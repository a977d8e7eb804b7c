/** Процессы: worker processes (from their Redis heartbeats), queue counts per stand, stop all, clear, re-queue failed. */
import { STANDS, Stand } from "../../../entities/gis-operation";
import { QUEUE_KINDS, QueueKind } from "../../queue/names";
import { allowWorkers, listWorkers, stopAllWorkers } from "../../queue/workers";
import { audit } from "../audit";
import { badRequest } from "../http";
import { Route } from "../router";

function standOf(v: string): Stand {
  if (!(STANDS as readonly string[]).includes(v)) throw badRequest(`Стенд «${v}» неизвестен: ${STANDS.join(", ")}`);
  return v as Stand;
}

function kindOf(v: string): QueueKind {
  if (!(QUEUE_KINDS as readonly string[]).includes(v)) throw badRequest(`Очередь «${v}» неизвестна: ${QUEUE_KINDS.join(", ")}`);
  return v as QueueKind;
}

export const processRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/processes/workers",
    access: "operator",
    tag: "Процессы",
    summary: "Рабочие процессы: хост, pid, стенд, запущен, выполнено заданий, состояние",
    handler: async ({ services }) => {
      const now = Date.now();
      return (await listWorkers(services.redis))
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((w) => ({ ...w, elapsedSeconds: Math.round((now - new Date(w.startedAt).getTime()) / 1000) }));
    },
  },
  {
    method: "GET",
    path: "/api/processes/queues",
    access: "operator",
    tag: "Процессы",
    summary: "Очереди по стендам: ожидают, выполняются, отложены, с ошибкой, выполнены",
    handler: async ({ services }) => {
      const out = [];
      for (const stand of STANDS) out.push({ stand, queues: await services.standQueues(stand).counts() });
      return out;
    },
  },
  {
    method: "POST",
    path: "/api/processes/stop-all",
    access: "operator",
    tag: "Процессы",
    summary: "Остановить все рабочие процессы (завершат текущие задания)",
    handler: async (ctx) => {
      await stopAllWorkers(ctx.services.redis);
      await audit(ctx.ds, ctx.actor, "workers.stop-all", null);
      return { stopping: true };
    },
  },
  {
    method: "POST",
    path: "/api/processes/start-all",
    access: "operator",
    tag: "Процессы",
    summary: "Запустить рабочие процессы после «Остановить все»: обработчики этого сервера — сразу, процессы gis-sync worker — при их запуске",
    handler: async (ctx) => {
      await allowWorkers(ctx.services.redis);
      const started: string[] = [];
      for (const [stand, rt] of ctx.services.heldRuntimes()) if (await rt.restartWorkers()) started.push(stand);
      await audit(ctx.ds, ctx.actor, "workers.start-all", started.join(",") || null);
      return { started };
    },
  },
  {
    method: "POST",
    path: "/api/processes/queues/{stand}/{kind}/clear",
    access: "operator",
    tag: "Процессы",
    summary: "Очистить очередь (удаляет ожидающие и отложенные задания); требует confirm = «удалить»",
    body: { confirm: { type: "string", required: true, description: "Подтверждение: слово «удалить»" } },
    handler: async (ctx) => {
      const stand = standOf(ctx.params.stand);
      const kind = kindOf(ctx.params.kind);
      const confirm = ctx.json("Очистка очереди").str("confirm", { required: true, max: 20 });
      if (confirm !== "удалить") throw badRequest("Очистка очереди, поле confirm: впишите слово «удалить» — задания будут удалены без возврата");
      const before = (await ctx.services.standQueues(stand).counts())[kind];
      await ctx.services.standQueues(stand).clear(kind);
      await audit(ctx.ds, ctx.actor, "queue.clear", `${stand}.${kind}`, { before });
      return { stand, kind, cleared: (before.waiting ?? 0) + (before.delayed ?? 0) };
    },
  },
  {
    method: "POST",
    path: "/api/processes/queues/{stand}/{kind}/retry-failed",
    access: "operator",
    tag: "Процессы",
    summary: "Вернуть в очередь задания, завершившиеся с ошибкой",
    handler: async (ctx) => {
      const stand = standOf(ctx.params.stand);
      const kind = kindOf(ctx.params.kind);
      const queue = ctx.services.standQueues(stand).queues[kind];
      const failed = await queue.getFailedCount();
      await queue.retryJobs({ state: "failed" });
      await audit(ctx.ds, ctx.actor, "queue.retry-failed", `${stand}.${kind}`, { failed });
      return { stand, kind, requeued: failed };
    },
  },
];
