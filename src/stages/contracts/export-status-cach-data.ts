/**
 * exportStatusCAChData (УО, ТСЖ): status and state of our placed management contracts and
 * charters (a placed contract waits for approval in GIS; houses go only under an approved, running
 * one), with the current version GUID and the versions of the objects.
 */
import { Contract } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { child, children, text } from "../../transport/results/safe-xml";
import { exportRows, lower } from "../answer";
import { MethodDescriptor, Prepared } from "../descriptor";
import { findIn } from "../load";
import { contractsInScope } from "./common";
import { CAChCriterion, managedKinds } from "./export-cach-data";
import { documentState, linkObjects } from "./managed-document";

const v = (e: Element, ...names: string[]) => names.map((n) => text(child(e, n))).find((x) => x !== null) ?? null;

export const exportStatusCAChData: MethodDescriptor<OperationInputs["exportStatusCAChData"], CAChCriterion> = {
  method: "exportStatusCAChData",
  stage: "contracts",
  kind: "export",
  modes: ["pull", "sync"],
  objectType: "contract_lookup",
  batchSetting: null,
  defaultBatch: 100,
  safeToRepeat: true,
  after: ["exportCAChData", "importContractData", "importCharterData"],

  async select(ds, scope, _mode, ctx) {
    const kinds = managedKinds(ctx);
    if (kinds.length === 0) return [];
    const contracts = await findIn(ds, Contract, "id", await contractsInScope(ds, scope, kinds));
    return contracts.filter((c) => c.gisContractGuid).map((c) => c.id).sort((a, b) => a - b);
  },

  async prepare(ds, contractIds) {
    const out: Prepared<CAChCriterion> = { ready: [], rejected: [] };
    for (const c of await findIn(ds, Contract, "id", contractIds)) {
      if (c.gisContractGuid) out.ready.push({ objectId: c.id, data: c.kind === "charter" ? { charterGuid: c.gisContractGuid } : { contractGuid: c.gisContractGuid } });
    }
    return out;
  },

  payload: (batch) => ({ criteria: batch.map((b) => b.data as Exclude<CAChCriterion, { uoGuid: string }>) }),

  async apply(em, answer, _matched, ctx) {
    for (const row of exportRows(answer, "exportStatusCAChResult")) {
      const guid = lower(v(row, "ContractGUID", "CharterGUID"));
      if (!guid) continue;
      const c = await em.getRepository(Contract).findOne({ where: { organizationId: ctx.organizationId, gisContractGuid: guid } });
      if (!c) continue;
      await em.update(Contract, c.id, documentState({
        version: v(row, "ContractVersionGUID", "CharterVersionGUID"), status: v(row, "ContractStatus", "CharterStatus"), state: v(row, "State"), versionNumber: v(row, "VersionNumber"),
      }));
      const versions = new Map<string, string>();
      for (const o of children(row, "ContractObject")) {
        const fias = lower(text(child(o, "FIASHouseGuid")));
        const version = lower(text(child(o, "ContractObjectVersionGUID")));
        if (fias && version) versions.set(fias, version);
      }
      await linkObjects(em, c.id, versions, ctx);
    }
  },
};
