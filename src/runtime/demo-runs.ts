/**
 * The demo's pipeline runs, one organization after another — the managing organization first, since
 * the supplier finds in GIS the housing fund it places —, on one pipeline: each request is signed
 * with the key its organization's organization_signer row names, and the result is grouped by
 * organization.
 */
import { DataSource } from "typeorm";
import { Organization } from "../../entities/organization";
import { RunSummary, StageSummary, formatRunSummary, mergeSummaries } from "../queue/summary";
import { STAGES, StageName } from "../stages/descriptor";
import { PipelineRuntime } from "./pipeline-runtime";
import { progressPrinter } from "./progress-printer";
import { identitiesAt } from "../storage/identity/store";

export interface OrganizationRun extends RunSummary {
  organization: { id: number; externalId: string; name: string; role: string | null; ogrn: string | null; orgPPAGUID: string | null };
}

export interface DemoResult {
  /** The worst of the runs' states. */
  state: string;
  stand: string;
  mode: string;
  /** The date the bundle was made for (the houses' local date). */
  today: string;
  durationMs: number | null;
  errorText: string | null;
  organizations: OrganizationRun[];
  /** Every organization's stages, one after another (as organizations lists them). */
  stages: StageSummary[];
}

export interface DemoRunOptions {
  organizations: Organization[];
  today: string;
  say: (line: string) => void;
}

export async function runForOrganizations(ds: DataSource, rt: PipelineRuntime, o: DemoRunOptions): Promise<DemoResult> {
  const runs: OrganizationRun[] = [];
  for (const org of o.organizations) {
    const name = org.shortName ?? org.fullName;
    const runOnce = async (stages: StageName[]): Promise<RunSummary> => {
      const run = await rt.pipeline.startRun({ stand: "local", organizationId: org.id, stages, mode: "sync", trigger: "demo", author: "demo" });
      return rt.waitForRun(run.id, progressPrinter(rt, o.say));
    };
    o.say(`${name}: обмен с ГИС ЖКХ — услуги и справочники…`);
    const first = await runOnce(["services"]);
    let summary = first;
    // A run that could not reach the stand says why; the rest would only wait again.
    if (first.state !== "failed") {
      o.say(`${name}: договоры, жилищный фонд, ЛС, ПУ, показания, ПД, платежи, квитирование…`);
      summary = mergeSummaries(first, await runOnce(STAGES.filter((x) => x !== "services")));
    }
    const now = (await identitiesAt(ds, "organization", [org.id], "local")).get(org.id)!;
    runs.push({
      organization: { id: org.id, externalId: org.externalId, name, role: org.role, ogrn: org.ogrn, orgPPAGUID: now.gisOrgPpaGuid },
      ...summary,
    });
    if (summary.state === "failed") break;
  }
  const all = mergeSummaries(...runs);
  return {
    state: all.state,
    stand: all.stand,
    mode: all.mode,
    today: o.today,
    durationMs: all.durationMs,
    errorText: all.errorText ?? null,
    organizations: runs,
    stages: all.stages,
  };
}

/** The result as the command line prints it: each organization's runs, stage by stage. */
export function formatDemoResult(r: DemoResult): string {
  return r.organizations
    .map((o) => `${o.organization.name} (${o.organization.role ?? "—"}, orgPPAGUID ${o.organization.orgPPAGUID ?? "—"})\n${formatRunSummary(o)}`)
    .join("\n\n");
}
