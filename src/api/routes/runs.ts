/** Starting syncs / pushes / pulls for a selection of houses or single objects, and watching them. */
import { In, Not } from "typeorm";
import { GisOperation, PipelineRun } from "../../../entities";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { FINAL_STATES, transition } from "../../exchange/operation-store";
import { parseStages, planOf } from "../../queue/plan";
import { STAGE_DESCRIPTORS } from "../../runtime/descriptors";
import { runSummary } from "../../queue/summary";
import { resolveOrganization } from "../../runtime/pipeline-runtime";
import { OBJECT_ACTIONS, ObjectAction, STAGES, StageName } from "../../stages/descriptor";
import { runAction } from "../../queue/run-lifecycle";
import { listWorkers } from "../../queue/workers";
import { OrganizationChoice } from "../../queue/pipeline";
import { audit } from "../audit";
import { ApiError, badRequest, conflict, notFound } from "../http";
import {
  assertMayAct,
  assertObjectsActionable,
  assertOrganizationVisible,
  listOrganizations,
  userOrganizations,
  userStands,
  whereOrganizations,
  whereStands,
} from "../org-scope";
import { PAGED_QUERY, paged } from "../paging";
import { Ctx, ROLE_RANK, Route } from "../router";
import { Services } from "../services";

const RUN_STATES = ["running", "done", "done_with_errors", "failed", "cancelled"] as const;

/** Where a run is: step k of n and the method being worked on (the plan needs no exchange, so no signer). */
/**
 * Why a running run does not move, in words for the operator: no worker process of its stand
 * (after «Остановить все», or none started), or its operations waiting on GIS.
 */
async function waitingReason(services: Services, run: PipelineRun): Promise<string | null> {
  if (run.state !== "running") return null;
  const workers = (await listWorkers(services.redis)).filter((w) => w.stand === run.stand && w.state === "running");
  if (workers.length === 0)
    return `Нет работающих обработчиков стенда ${run.stand}: запуск ждёт их — нажмите «Запустить» на экране «Процессы» или запустите gis-sync worker --stand ${run.stand}`;
  const ops = await services.ds
    .getRepository(GisOperation)
    .find({ where: { runId: run.id, state: Not(In(FINAL_STATES)) }, select: { id: true, nextPollAt: true } });
  const next = ops.map((o) => o.nextPollAt?.getTime() ?? 0).filter((t) => t > Date.now());
  if (ops.length && next.length)
    return `Ждёт ответа ГИС ЖКХ: операций в работе ${ops.length}, следующий опрос через ${Math.ceil((Math.min(...next) - Date.now()) / 1000)} с`;
  return null;
}

export async function runProgress(services: Services, run: PipelineRun) {
  let steps: Array<{ stage: string; method: string }> = [];
  try {
    steps = planOf(STAGE_DESCRIPTORS, run.stages.split(",") as StageName[], run.mode, runAction(run));
  } catch {
    // A run of stages this version no longer knows: progress without step names.
  }
  const total = steps.length;
  const done = run.state === "running" ? Math.min(run.step, total) : total;
  return {
    step: run.step,
    steps: total,
    percent: total ? Math.round((done / total) * 100) : run.state === "running" ? 0 : 100,
    current: steps[run.step] ?? null,
    waiting: await waitingReason(services, run),
  };
}

async function startRun(ctx: Ctx, defaultStand: Stand) {
  const b = ctx.json("Запуск обмена");
  const stand = (b.str("stand", { values: STANDS }) ?? defaultStand) as Stand;
  const mode = b.str("mode", { values: ["sync", "push", "pull"] }) ?? "sync";
  const list = b.strList("stages", { values: [...STAGES, "all"], max: 20 }) ?? ["all"];
  const stages = parseStages(list.includes("all") ? "all" : list.join(","));
  if (!stages.length) throw badRequest("Запуск обмена, поле stages: укажите хотя бы один этап");
  const houseIds = b.intList("houseIds", { max: 10000 });
  const objectIds = b.intList("objectIds", { max: 10000 });
  const contractId = b.int("contractId", { min: 1 });
  const unused = b.bool("unused");
  const action = b.str("action", { values: OBJECT_ACTIONS }) as ObjectAction | undefined;
  const objectType = b.str("objectType", { max: 40 });
  if (action && !objectIds?.length) throw badRequest("Запуск обмена, поле action: укажите objectIds — объекты, над которыми выполняется действие");
  if (unused && (mode === "pull" || objectIds?.length))
    throw badRequest("Запуск обмена, поле unused: закрытие неиспользуемых объектов ГИС — режим sync или push, без objectIds");
  if (objectIds?.length && stages.length !== 1)
    throw badRequest("Запуск обмена, поле objectIds: отдельные объекты отправляются одним этапом (stages из одного элемента)");
  // What GIS cannot take back — closing accounts, archiving meters, anything on the production stand — is an operator's call.
  if (!ctx.user || ROLE_RANK[ctx.user.role] < ROLE_RANK.operator) {
    if (unused)
      throw new ApiError(
        403,
        "forbidden",
        "Запуск обмена, поле unused: закрывать лицевые счета и архивировать приборы учёта в ГИС ЖКХ может только оператор или администратор",
      );
    if (stand === "prod")
      throw new ApiError(
        403,
        "forbidden",
        "Запуск обмена, поле stand: обмен с рабочим стендом ГИС ЖКХ (prod) запускает только оператор или администратор; бухгалтеру доступны тестовые стенды",
      );
  }
  const orgId = b.int("organizationId", { min: 1 });
  const given = userOrganizations(ctx);
  // A user limited to organizations asks for "all" of theirs, never of the installation's.
  const asked = organizationChoice(b.obj.organizationIds);
  const several = asked === "all" && given ? given : asked;
  // A user given one organization runs for it without naming it.
  const org = orgId
    ? { id: orgId }
    : several
      ? null
      : given?.length === 1
        ? { id: given[0] }
        : await resolveOrganization(ctx.ds).catch((e: Error) => {
            throw badRequest(`Запуск обмена, поле organizationId: ${e.message}`);
          });
  if (org) assertMayAct(ctx, org.id, stand, "Запуск обмена");
  if (Array.isArray(several)) for (const id of several) assertMayAct(ctx, id, stand, "Запуск обмена, поле organizationIds");
  if (objectIds?.length) await assertObjectsActionable(ctx, objectType ?? STAGE_OBJECT_TYPE[stages[0]], objectIds, "Запуск обмена, поле objectIds");
  if (contractId) await assertObjectsActionable(ctx, "contract", [contractId], "Запуск обмена, поле contractId");
  const rt = await ctx.services.runtime(stand);
  const scope = {
    ...(houseIds?.length ? { houseIds } : {}),
    ...(objectIds?.length ? { objectIds } : {}),
    ...(contractId ? { contractId } : {}),
    ...(unused ? { unused: true } : {}),
    ...(action ? { action } : {}),
    ...(objectType ? { objectType } : {}),
  };
  const request = { stand, stages, mode: mode as "sync", scope, author: ctx.actor, trigger: "api" };
  if (org) {
    const run = await rt.pipeline.startRun({ ...request, organizationId: org.id });
    await audit(ctx.ds, ctx.actor, "run.start", `run:${run.id}`, { stand, mode, stages, scope, organizationId: org.id });
    return { ...run, progress: await runProgress(ctx.services, run) };
  }
  // One run per organization: each goes on whatever happens to the others.
  const orgs = await rt.pipeline.organizations(several!).catch((e: Error) => {
    throw badRequest(`Запуск обмена, поле organizationIds: ${e.message}`);
  });
  const runs = await rt.pipeline.startRuns(
    request,
    orgs.map((o) => o.id),
  );
  for (const run of runs)
    await audit(ctx.ds, ctx.actor, "run.start", `run:${run.id}`, { stand, mode, stages, scope, organizationId: run.organizationId, organizationIds: several });
  return { runs: await Promise.all(runs.map(async (run) => ({ ...run, progress: await runProgress(ctx.services, run) }))) };
}

/** organizationIds: a list of organization ids, or "all" (every organization of ours); absent — one organization. */
function organizationChoice(v: unknown): OrganizationChoice | null {
  if (v === undefined || v === null) return null;
  if (v === "all") return "all";
  if (Array.isArray(v) && v.length > 0 && v.length <= 1000 && v.every((x) => Number.isInteger(x) && x > 0)) return v as number[];
  throw badRequest('Запуск обмена, поле organizationIds: список номеров организаций или "all" — все наши организации');
}

/** What a stage sends, for objectIds given without objectType. */
const STAGE_OBJECT_TYPE: Record<StageName, string> = {
  services: "service",
  contracts: "contract",
  fund: "house",
  accounts: "account",
  meters: "meter",
  readings: "meter_reading",
  bills: "payment_document",
  payments: "payment",
  kvitirovanie: "acknowledgment",
};

/** The run, if it exists and is of the user's organizations and stands (else 404 either way). */
async function runOrFail(ctx: Pick<Ctx, "ds" | "user">, id: string): Promise<PipelineRun> {
  const run = await ctx.ds.getRepository(PipelineRun).findOneBy({ id });
  if (!run) throw notFound(`Запуск ${id}`);
  assertOrganizationVisible(ctx, run.organizationId, `Запуск ${id}`);
  const stands = userStands(ctx);
  if (stands && !stands.includes(run.stand as Stand)) throw notFound(`Запуск ${id}`);
  return run;
}

export function runRoutes(defaultStand: Stand): Route[] {
  return [
    {
      method: "POST",
      path: "/api/runs",
      access: "accountant",
      tag: "Запуски",
      summary:
        "Запустить синхронизацию (sync), отправку изменений (push) или запрос из ГИС (pull) для домов или отдельных объектов; unused и рабочий стенд prod — только оператор и администратор (403 бухгалтеру); ошибка настройки обмена — 422 с названием настройки",
      body: {
        stages: { type: "array", items: "string", description: `Этапы: ${STAGES.join(", ")} или all` },
        mode: { type: "string", enum: ["sync", "push", "pull"], description: "Режим (по умолчанию sync)" },
        stand: { type: "string", enum: STANDS, description: `Стенд (по умолчанию ${defaultStand})` },
        houseIds: { type: "array", items: "integer", description: "Только эти дома" },
        objectIds: { type: "array", items: "integer", description: "Только эти объекты (вида, который отправляет этап)" },
        contractId: { type: "integer", description: "Только объекты этого договора" },
        unused: { type: "boolean", description: "Закрыть в ГИС лицевые счета (этап accounts) или архивировать приборы учёта (этап meters), которых нет у нас" },
        action: {
          type: "string",
          enum: [...OBJECT_ACTIONS],
          description:
            "Действие над объектами objectIds (аннулировать, закрыть/открыть, архивировать, заменить, выставить/отозвать, квитировать/отменить, удалить/восстановить)",
        },
        objectType: { type: "string", description: "Вид объектов objectIds (house, premise, entrance, account, meter, payment_document, payment, service…)" },
        organizationId: { type: "integer", description: "Организация (по умолчанию наша)" },
        organizationIds: {
          type: "array",
          items: "integer",
          description: 'Несколько организаций (номера) или строка "all" — все наши: по запуску на каждую, ответ {runs: […]}',
        },
      },
      handler: (ctx) => startRun(ctx, defaultStand),
    },
    {
      method: "GET",
      path: "/api/runs",
      access: "accountant",
      tag: "Запуски",
      paged: true,
      summary: "Запуски обмена с прогрессом; summary=true — с итогом по этапам у каждого",
      query: {
        ...PAGED_QUERY,
        state: { type: "string", enum: RUN_STATES, description: "Состояние" },
        stand: { type: "string", enum: STANDS, description: "Стенд" },
        summary: { type: "boolean", description: "Итог по этапам (объекты успешно / с ошибками, коды ошибок) у каждого запуска" },
      },
      handler: async (ctx) => {
        const { ds, query, services } = ctx;
        const qb = ds.getRepository(PipelineRun).createQueryBuilder("r").orderBy("r.startedAt", "DESC").addOrderBy("r.id", "ASC");
        whereOrganizations(qb, "r.organizationId", listOrganizations(ctx));
        whereStands(qb, "r.stand", userStands(ctx));
        const state = query.str("state", { values: RUN_STATES });
        if (state) qb.andWhere("r.state = :state", { state });
        const stand = query.str("stand", { values: STANDS });
        if (stand) qb.andWhere("r.stand = :stand", { stand });
        const withSummary = query.bool("summary") ?? false;
        return paged(qb, query, async (runs) =>
          Promise.all(
            runs.map(async (r) => ({
              ...r,
              progress: await runProgress(services, r),
              ...(withSummary ? { summary: await runSummary(ds, r.id) } : {}),
            })),
          ),
        );
      },
    },
    {
      method: "GET",
      path: "/api/runs/{id}",
      access: "accountant",
      tag: "Запуски",
      summary: "Запуск: прогресс, операции по состояниям, итог по этапам",
      handler: async (ctx) => {
        const { ds, params, services } = ctx;
        const run = await runOrFail(ctx, params.id);
        const ops = await ds
          .getRepository(GisOperation)
          .createQueryBuilder("o")
          .select("o.state", "state")
          .addSelect("COUNT(*)", "n")
          .where("o.runId = :id", { id: run.id })
          .groupBy("o.state")
          .getRawMany<{ state: string; n: string }>();
        return {
          ...run,
          progress: await runProgress(services, run),
          operations: Object.fromEntries(ops.map((o) => [o.state, Number(o.n)])),
          summary: await runSummary(ds, run.id),
        };
      },
    },
    {
      method: "POST",
      path: "/api/runs/{id}/cancel",
      access: "accountant",
      tag: "Запуски",
      summary: "Отменить запуск: операции, ещё не отправленные или ждущие ответа, отменяются",
      handler: async (ctx) => {
        const run = await runOrFail(ctx, ctx.params.id);
        if (run.state !== "running") throw conflict(`Запуск ${run.id} уже завершён (${run.state})`);
        await ctx.ds
          .getRepository(PipelineRun)
          .createQueryBuilder()
          .update()
          .set({ state: "cancelled", finishedAt: new Date(), errorText: `Отменён: ${ctx.actor}` })
          .where({ id: run.id, state: "running" })
          .execute();
        const open = await ctx.ds
          .getRepository(GisOperation)
          .find({ where: { runId: run.id, state: Not(In(FINAL_STATES)) }, select: { id: true, state: true } });
        let cancelled = 0;
        for (const op of open) if (await transition(ctx.ds, op.id, [op.state], "cancelled", { errorText: `Отменено: ${ctx.actor}` })) cancelled++;
        await audit(ctx.ds, ctx.actor, "run.cancel", `run:${run.id}`, { operationsCancelled: cancelled });
        return { id: run.id, state: "cancelled", operationsCancelled: cancelled };
      },
    },
  ];
}
