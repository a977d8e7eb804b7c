/**
 * Runs for one organization, a list, or all of ours: one pipeline run per organization (each
 * carries its organizationId, its own signer and orgPPAGUID), started together. An organization
 * whose signer cannot be opened gets its run ended failed at once with the reason; the others go
 * on — one organization's errors never block another's.
 */
import { In } from "typeorm";
import { Organization } from "../../entities/organization";
import { PipelineRun } from "../../entities/pipeline-run";
import { SigningRefused } from "../signing/organization-signers";
import { UserError } from "../util/errors";
import { PipelineDeps } from "./deps";
import { RunRequest, failRun, startRun } from "./run-lifecycle";

/** Which organizations: their ids, or "all" — every organization of ours (we send on its behalf). */
export type OrganizationChoice = number[] | "all";

export async function chosenOrganizations(deps: Pick<PipelineDeps, "ds">, choice: OrganizationChoice): Promise<Organization[]> {
  const repo = deps.ds.getRepository(Organization);
  if (choice === "all") {
    const ours = await repo.find({ where: { isOurs: true }, order: { id: "ASC" } });
    if (ours.length === 0) throw new UserError("Нет наших организаций (isOurs): запускать обмен «для всех» не для кого");
    return ours;
  }
  const ids = [...new Set(choice)];
  if (ids.length === 0) throw new UserError("Не указано ни одной организации");
  const found = await repo.findBy({ id: In(ids) });
  const missing = ids.filter((id) => !found.some((o) => o.id === id));
  if (missing.length) throw new UserError(`Организации ${missing.join(", ")} не найдены в базе`);
  return ids.map((id) => found.find((o) => o.id === id)!);
}

/** One run per organization; the runs in the order of the organizations. */
export async function startRuns(deps: PipelineDeps, r: Omit<RunRequest, "organizationId">, organizationIds: number[]): Promise<PipelineRun[]> {
  const runs: PipelineRun[] = [];
  for (const organizationId of organizationIds) {
    const refused = await signerProblem(deps, organizationId);
    if (!refused) {
      runs.push(await startRun(deps, { ...r, organizationId }));
      continue;
    }
    // Recorded like any run (the list of runs, the summary show it), but nothing is prepared.
    const run = await startRun({ ...deps, queue: { ...deps.queue, prepare: async () => undefined } }, { ...r, organizationId });
    await failRun(deps, run, refused);
    runs.push(await deps.ds.getRepository(PipelineRun).findOneByOrFail({ id: run.id }));
  }
  return runs;
}

/** Why the organization's requests cannot be signed at all (its key file is missing…), or null. */
async function signerProblem(deps: PipelineDeps, organizationId: number): Promise<string | null> {
  const ctx = await deps.exchangeFor(organizationId);
  if (!ctx.signing) return null;
  try {
    // ISRequestHeader: opens the signer without asking for delegated rights (the run's services stage checks them).
    await ctx.signing(true);
    return null;
  } catch (e) {
    if (e instanceof SigningRefused || e instanceof UserError) return e.message;
    throw e;
  }
}
