/**
 * What a plan step needs before it may send anything. Checked when the step is prepared, so a
 * missing prerequisite is one clear error for the run, never fifty operations failing one by one:
 *  - every request outside the ISRequestHeader services carries the organization's orgPPAGUID;
 *    without it (exportOrgRegistry failed or never ran) nothing more of the run can be sent, and
 *    the run ends, failed, saying why;
 *  - a method whose descriptor names methods that must come first (`after`) is skipped when every
 *    operation of such a method in this run failed.
 */
import { In } from "typeorm";
import { GisOperation } from "../../entities/gis-operation";
import { Organization } from "../../entities/organization";
import { PipelineRun } from "../../entities/pipeline-run";
import { RECONCILE_TRIGGER } from "../exchange/operation-store";
import { MethodDescriptor, StageContext } from "../stages/descriptor";
import { SERVICES } from "../transport/services";
import { PipelineDeps } from "./deps";
import { serviceOf } from "./recipe";
import { runPlan } from "./run-lifecycle";

/**
 * The reason a step cannot send without the organization's orgPPAGUID, or null when it can. Asked
 * only once the step has objects ready to send: a descriptor's own pre-flight check (PRE_ORG_GUID)
 * still names the field on its objects when it has one.
 */
export async function missingOrgGuid(deps: PipelineDeps, run: PipelineRun, d: MethodDescriptor, ctx: StageContext): Promise<string | null> {
  if (SERVICES[serviceOf(d.method)].isHeader || ctx.orgPPAGUID) return null;
  const { ds } = deps;
  const org = await ds.getRepository(Organization).findOneBy({ id: run.organizationId });
  const registry = await ds
    .getRepository(GisOperation)
    .findOne({ where: { runId: run.id, method: "exportOrgRegistry", state: In(["failed", "cancelled"]) }, order: { createdAt: "DESC" } });
  const why = registry
    ? `выгрузка из реестра организаций (exportOrgRegistry) не удалась: ${registry.errorCode ?? ""} ${registry.errorText ?? ""}`.trim()
    : "выполните этап services (exportOrgRegistry) или проверьте ОГРН организации";
  return (
    `Обмен остановлен на шаге ${d.stage} / ${d.method}: у организации «${org?.shortName ?? org?.fullName ?? run.organizationId}» (ОГРН ${org?.ogrn ?? "не указан"}) ` +
    `нет идентификатора ГИС ЖКХ orgPPAGUID — ${why}. Остальные шаги запуска не выполнялись.`
  );
}

/** Why a step is skipped: every operation of a method it must come after (`after`) failed in this run. */
/** In a lane (`lane` not null), the lane's own operations and the organization-level ones count. */
export async function failedPrerequisite(
  deps: PipelineDeps,
  run: PipelineRun,
  step: number,
  d: MethodDescriptor,
  lane: number | null = null,
): Promise<string | null> {
  const earlier = new Set(
    runPlan(deps, run)
      .slice(0, step)
      .map((p) => p.method),
  );
  for (const m of d.after ?? []) {
    if (!earlier.has(m)) continue;
    const qb = deps.ds
      .getRepository(GisOperation)
      .createQueryBuilder("o")
      .select(["o.id", "o.state", "o.errorCode", "o.errorText"])
      .where("o.runId = :runId AND o.method = :m", { runId: run.id, m })
      .andWhere("(o.trigger IS NULL OR o.trigger <> :r)", { r: RECONCILE_TRIGGER });
    if (lane !== null) qb.andWhere("(o.lane = :lane OR o.lane IS NULL)", { lane });
    const ops = await qb.getMany();
    if (ops.length > 0 && ops.every((o) => o.state === "failed" || o.state === "cancelled")) {
      const first = ops[0];
      return `Шаг ${d.stage} / ${d.method} пропущен: предшествующий шаг ${m} не выполнен (${`${first.errorCode ?? ""} ${first.errorText ?? first.state}`.trim()})`;
    }
  }
  return null;
}
