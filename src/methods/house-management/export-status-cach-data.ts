/**
 * exportStatusCAChData (УО, ТСЖ): status and state of our placed management contracts and
 * charters (a placed contract waits for approval in GIS; houses go only under an approved, running
 * one), with the current version GUID and the versions of the objects.
 */
import { In } from "typeorm";
import { Contract } from "../../../entities";
import { XNode, el } from "../../transport/envelope/xml";
import { checkCount, container, flag } from "../../transport/messages/common";
import { child, children, text } from "../../transport/results/safe-xml";
import { exportRows, lower } from "../../stages/answer";
import { Prepared } from "../../stages/descriptor";
import { findAt, idsByIdentity } from "../../storage/identity/store";
import { updateAt } from "../../storage/identity/update";
import { defineMethod } from "../method";
import { CAChCriterion } from "./export-cach-data";
import { contractsInScope, managedKinds } from "./contracts/common";
import { CAChKeyInput, cachKey } from "./contracts/managed-body";
import { documentState, linkObjects } from "./contracts/managed-document";

export interface ExportStatusCAChInput {
  /** 1..100 criteria. */
  criteria: Array<CAChKeyInput & { onlyConflicted?: boolean; onlyBlocked?: boolean }>;
}

function body(i: ExportStatusCAChInput, version: string): XNode {
  checkCount("exportStatusCAChData", "Criteria", i.criteria.length, 1, 100);
  return container(
    "hm:exportStatusCAChRequest",
    version,
    i.criteria.map((c) =>
      el(
        "hm:Criteria",
        null,
        cachKey(c),
        c.onlyConflicted || c.onlyBlocked
          ? el("hm:ControlObjects", null, flag("hm:IsConflicted", c.onlyConflicted), flag("hm:IsBlocked", c.onlyBlocked))
          : null,
      ),
    ),
  );
}

const v = (e: Element, ...names: string[]) => names.map((n) => text(child(e, n))).find((x) => x !== null) ?? null;

export const exportStatusCAChData = defineMethod<ExportStatusCAChInput, CAChCriterion>({
  name: "exportStatusCAChData",
  service: "house-management",
  element: "exportStatusCAChRequest",
  versions: { "16.3.0.0": "10.0.1.1", "14.4.0.1": "10.0.1.1" },
  body,

  descriptor: {
    stage: "contracts",
    kind: "export",
    modes: ["pull", "sync"],
    objectType: "contract_lookup",
    batchSetting: null,
    defaultBatch: 100,
    safeToRepeat: true,
    // Placed documents are known (linked) once exportCAChData has run; the imports answer their own status.
    after: ["exportCAChData"],

    async select(ds, scope, _mode, ctx) {
      const kinds = managedKinds(ctx);
      if (kinds.length === 0) return [];
      const contracts = await findAt(ds, "contract", "id", await contractsInScope(ds, scope, kinds), ctx.stand);
      return contracts
        .filter((c) => c.gisContractGuid)
        .map((c) => c.id)
        .sort((a, b) => a - b);
    },

    async prepare(ds, contractIds, ctx) {
      const out: Prepared<CAChCriterion> = { ready: [], rejected: [] };
      for (const c of await findAt(ds, "contract", "id", contractIds, ctx.stand)) {
        if (c.gisContractGuid)
          out.ready.push({ objectId: c.id, data: c.kind === "charter" ? { charterGuid: c.gisContractGuid } : { contractGuid: c.gisContractGuid } });
      }
      return out;
    },

    payload: (batch) => ({ criteria: batch.map((b) => b.data as Exclude<CAChCriterion, { uoGuid: string }>) }),

    async apply(em, answer, _matched, ctx) {
      for (const row of exportRows(answer, "exportStatusCAChResult")) {
        const guid = lower(v(row, "ContractGUID", "CharterGUID"));
        if (!guid) continue;
        // Ours on the run's stand: the document holding that GUID there.
        const holders = (await idsByIdentity(em, "contract", "gisContractGuid", [guid], ctx.stand)).get(guid) ?? [];
        const c = holders.length ? await em.getRepository(Contract).findOne({ where: { organizationId: ctx.organizationId, id: In(holders) } }) : null;
        if (!c) continue;
        await updateAt(
          em,
          ctx.stand,
          Contract,
          c.id,
          documentState({
            version: v(row, "ContractVersionGUID", "CharterVersionGUID"),
            status: v(row, "ContractStatus", "CharterStatus"),
            state: v(row, "State"),
            versionNumber: v(row, "VersionNumber"),
          }),
        );
        const versions = new Map<string, string>();
        for (const o of children(row, "ContractObject")) {
          const fias = lower(text(child(o, "FIASHouseGuid")));
          const version = lower(text(child(o, "ContractObjectVersionGUID")));
          if (fias && version) versions.set(fias, version);
        }
        await linkObjects(em, c.id, versions, ctx);
      }
    },
  },
});
