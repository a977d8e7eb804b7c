/**
 * exportDataProvider (organizations-registry-common, ISRequestHeader): the data providers of our
 * information system — the organizations that have granted it rights, so that a settlement centre
 * or an operator sends for them. One request answers for every organization; each of ours (known
 * in the registry by its orgRootEntityGUID, which exportOrgRegistry gives) gets its data-provider
 * GUID when its rights are active, or none — and the journal a warning, for requests sent on its
 * behalf will be refused.
 */
import { DataSource, EntityManager } from "typeorm";
import { MessageLog, Organization } from "../../../entities";
import { AtStand, hydrate } from "../../storage/identity/store";
import { updateManyAt } from "../../storage/identity/update";
import { container, flag } from "../../transport/messages/common";
import { children } from "../../transport/results/safe-xml";
import { lower, valueAt } from "../../stages/answer";
import { defineMethod } from "../method";

export interface ExportDataProviderInput {
  /** Only active data providers. */
  isActual?: boolean;
}

/** One data provider of the information system. */
export interface DataProvider {
  dataProviderGuid: string;
  isActual: boolean;
  orgRootEntityGuid: string | null;
}

export function readDataProviders(result: Element): DataProvider[] {
  return children(result, "exportDataProviderResult").flatMap((r) => {
    const guid = lower(valueAt(r, "DataProviderGUID"));
    return guid
      ? [
          {
            dataProviderGuid: guid,
            isActual: valueAt(r, "IsActual") === "true" || valueAt(r, "IsActual") === "1",
            orgRootEntityGuid: lower(valueAt(r, "RegOrg/orgRootEntityGUID")),
          },
        ]
      : [];
  });
}

/** Our organizations the stand's registry knows (by orgRootEntityGUID), loaded for that stand. */
async function oursKnownAt(db: DataSource | EntityManager, stand: string): Promise<AtStand<"organization">[]> {
  const ours = await db.getRepository(Organization).find({ where: { isOurs: true }, order: { id: "ASC" } });
  return (await hydrate(db, "organization", ours, stand)).filter((o) => o.gisOrgRootEntityGuid);
}

export const exportDataProvider = defineMethod<ExportDataProviderInput, { organizationId: number }, DataProvider[]>({
  name: "exportDataProvider",
  service: "organizations-registry-common",
  element: "exportDataProviderRequest",
  versions: { "16.3.0.0": "10.0.2.1", "14.4.0.1": "10.0.2.1" },

  body: (i, version) => container("orc:exportDataProviderRequest", version, flag("orc:IsActual", i.isActual)),

  read: readDataProviders,

  descriptor: {
    stage: "services",
    kind: "export",
    modes: ["pull", "sync"],
    objectType: "organization",
    batchSetting: null,
    // The request names no organization: one request answers for all of ours.
    defaultBatch: 10000,
    safeToRepeat: true,
    // Organizations are matched by orgRootEntityGUID, which the registry gives.
    after: ["exportOrgRegistry"],

    // Our organizations known in the registry (the ones chosen, when the scope names organizations).
    async select(ds, scope, _mode, ctx) {
      const orgs = await oursKnownAt(ds, ctx.stand);
      return orgs.map((o) => o.id).filter((id) => !scope.objectIds || scope.objectType !== "organization" || scope.objectIds.includes(id));
    },
    prepare: async (_ds, ids) => ({ ready: ids.map((id) => ({ objectId: id, data: { organizationId: id } })), rejected: [] }),
    payload: () => ({}),

    async apply(em, answer, _matched, ctx) {
      if (answer.error) return;
      const active = new Map(
        readDataProviders(answer.result)
          .filter((p) => p.isActual && p.orgRootEntityGuid)
          .map((p) => [p.orgRootEntityGuid!, p.dataProviderGuid]),
      );
      const ours = await oursKnownAt(em, ctx.stand);
      const guids = new Map(ours.map((o) => [o.id, active.get(o.gisOrgRootEntityGuid!.toLowerCase()) ?? null]));
      await updateManyAt(
        em,
        ctx.stand,
        Organization,
        ours.map((o) => ({ id: o.id, patch: { gisDataProviderGuid: guids.get(o.id), dataProviderCheckedAt: ctx.now } })),
      );
      const without = ours.filter((o) => !guids.get(o.id));
      if (without.length === 0) return;
      await em.getRepository(MessageLog).insert(
        without.map((o) => ({
          createdAt: ctx.now,
          level: "warning" as const,
          group: "services",
          subgroup: "exportDataProvider",
          author: null,
          objectType: "organization",
          objectId: o.id,
          operationId: null,
          runId: null,
          code: null,
          text: `Организация «${o.shortName ?? o.fullName}» не предоставила информационной системе права поставщика информации (или они отключены): запросы от её имени ГИС ЖКХ отклонит`,
        })),
      );
    },
  },
});
