/**
 * exportOrgRegistry (organizations-registry-common, ISRequestHeader): the registry identifiers of
 * organizations by OGRN (+KPP), OGRNIP, NZA or a registry GUID — of our organizations (their
 * orgPPAGUID goes into every request header) and of the organizations our data names (payers,
 * contract parties). Up to 100 SearchCriteria per request.
 */
import { In, Not, IsNull } from "typeorm";
import { Organization } from "../../../entities";
import { identitiesAt } from "../../storage/identity/store";
import { updateManyAt } from "../../storage/identity/update";
import { XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { checkCount, container, flag } from "../../transport/messages/common";
import { lower, valueAt } from "../../stages/answer";
import { children } from "../../transport/results/safe-xml";
import { Prepared } from "../../stages/descriptor";
import { byId } from "../../stages/load";
import { acceptedState } from "../../stages/outcome";
import { Checks, PRE } from "../../stages/preflight";
import { defineMethod } from "../method";

/** One SearchCriteria: exactly one key, plus isRegistered (only registered organizations). */
export type OrgSearch = (
  | { ogrn: string; kpp?: string }
  | { ogrnip: string }
  | { nza: string }
  | { orgVersionGUID: string }
  | { orgRootEntityGUID: string }
  | { orgPPAGUID: string }
) & { isRegistered?: boolean };

export interface ExportOrgRegistryInput {
  /** 1..100 criteria. */
  criteria: OrgSearch[];
  /** xs:date: only versions edited since. */
  lastEditingDateFrom?: string;
}

/** One organization as the registry gives it. */
export interface RegistryOrganization {
  ogrn: string;
  orgRootEntityGuid: string | null;
  orgVersionGuid: string | null;
  orgPPAGUID: string | null;
}

function criterion(c: OrgSearch): XNode {
  return el(
    "orc:SearchCriteria",
    null,
    "ogrn" in c
      ? [leaf("org-base:OGRN", c.ogrn), opt("org-base:KPP", c.kpp)]
      : "ogrnip" in c
        ? leaf("org-base:OGRNIP", c.ogrnip)
        : "nza" in c
          ? leaf("org-base:NZA", c.nza)
          : "orgVersionGUID" in c
            ? leaf("org-reg-base:orgVersionGUID", c.orgVersionGUID)
            : "orgRootEntityGUID" in c
              ? leaf("org-reg-base:orgRootEntityGUID", c.orgRootEntityGUID)
              : leaf("orc:orgPPAGUID", c.orgPPAGUID),
    flag("orc:isRegistered", c.isRegistered),
  );
}

/** The organizations of an exportOrgRegistryResult list (those without an OGRN/OGRNIP are skipped: nothing of ours can match them). */
export function readOrganizations(result: Element): RegistryOrganization[] {
  const out: RegistryOrganization[] = [];
  for (const row of children(result, "exportOrgRegistryResult")) {
    const version = row.getElementsByTagNameNS("*", "OrgVersion")[0] as Element | undefined;
    if (!version) continue;
    const ogrn = ["Legal", "Subsidiary", "Entrp", "ForeignBranch"].map((k) => valueAt(version, `${k}/OGRN`) ?? valueAt(version, `${k}/OGRNIP`)).find((x) => x);
    if (!ogrn) continue;
    out.push({
      ogrn,
      orgRootEntityGuid: lower(valueAt(row, "orgRootEntityGUID")),
      orgVersionGuid: lower(valueAt(version, "orgVersionGUID")),
      orgPPAGUID: lower(valueAt(row, "orgPPAGUID")),
    });
  }
  return out;
}

export const exportOrgRegistry = defineMethod<ExportOrgRegistryInput, OrgSearch, RegistryOrganization[]>({
  name: "exportOrgRegistry",
  service: "organizations-registry-common",
  element: "exportOrgRegistryRequest",
  versions: { "16.3.0.0": "10.0.2.1", "14.4.0.1": "10.0.2.1" },
  batch: { element: "SearchCriteria", max: 100 },

  body(i, version) {
    checkCount("exportOrgRegistry", "SearchCriteria", i.criteria.length, 1, 100);
    return container("orc:exportOrgRegistryRequest", version, i.criteria.map(criterion), opt("orc:lastEditingDateFrom", i.lastEditingDateFrom));
  },

  read: readOrganizations,

  descriptor: {
    stage: "services",
    kind: "export",
    modes: ["pull", "sync"],
    objectType: "organization",
    batchSetting: null,
    defaultBatch: 100,
    safeToRepeat: true,

    // In sync, only the organizations the run's stand does not know yet.
    async select(ds, scope, mode, ctx) {
      const orgs = await ds.getRepository(Organization).find({ select: { id: true }, where: { ogrn: Not(IsNull()) }, order: { id: "ASC" } });
      const chosen = orgs.map((o) => o.id).filter((id) => !scope.objectIds || scope.objectIds.includes(id));
      if (mode !== "sync") return chosen;
      const known = await identitiesAt(ds, "organization", chosen, ctx.stand);
      return chosen.filter((id) => !known.get(id)?.gisOrgRootEntityGuid);
    },

    async prepare(ds, ids) {
      const out: Prepared<OrgSearch> = { ready: [], rejected: [] };
      for (const o of (await byId(ds, Organization, ids)).values()) {
        const c = new Checks(o.id, [["Организация", o.shortName ?? o.fullName]]);
        if (c.fail(!o.ogrn || !/^(\d{13}|\d{15})$/.test(o.ogrn), PRE.noNumber, "ogrn", "Не указан или неверен ОГРН (13 цифр) или ОГРНИП (15 цифр)"))
          out.rejected.push(c.first);
        else out.ready.push({ objectId: o.id, data: o.ogrn!.length === 15 ? { ogrnip: o.ogrn! } : { ogrn: o.ogrn!, ...(o.kpp ? { kpp: o.kpp } : {}) } });
      }
      return out;
    },

    payload: (batch) => ({ criteria: batch.map((b) => b.data) }),

    // Every organization with a found OGRN gets the registry's identifiers on the run's stand (one set-based write).
    async apply(em, answer, _matched, ctx) {
      const found = readOrganizations(answer.result);
      if (found.length === 0) return;
      const byOgrn = new Map(found.map((f) => [f.ogrn, f]));
      const orgs = await em.getRepository(Organization).find({ select: { id: true, ogrn: true }, where: { ogrn: In([...byOgrn.keys()]) } });
      await updateManyAt(
        em,
        ctx.stand,
        Organization,
        orgs.map((o) => {
          const f = byOgrn.get(o.ogrn!)!;
          return {
            id: o.id,
            patch: {
              gisOrgRootEntityGuid: f.orgRootEntityGuid,
              gisOrgVersionGuid: f.orgVersionGuid,
              ...(f.orgPPAGUID ? { gisOrgPpaGuid: f.orgPPAGUID } : {}),
              sync: acceptedState(ctx),
            },
          };
        }),
      );
    },
  },
});
