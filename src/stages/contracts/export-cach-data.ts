/**
 * exportCAChData (УО, ТСЖ): our management contracts and charters as GIS holds them. Placed ones
 * are asked for by GUID; the others by our organization (UOGUID) and the house of their first
 * object, and matched by number and signing date (charters by house) — the sync mode's pull
 * before the imports place only what is missing. GUIDs, status and object versions are written back.
 * Objects are our contracts under their own objectType, so an export never marks them accepted.
 */
import { EntityManager, In } from "typeorm";
import { OperationInputs } from "../../transport/messages";
import { Contract, ContractObject, Organization } from "../../../entities";
import { ContractKind } from "../../../entities/contract";
import { CAChKeyInput } from "../../transport/messages/house-management";
import { ExportedCACh, exportedCACh } from "../../transport/results/exports";
import { MethodDescriptor, Prepared, StageContext } from "../descriptor";
import { acceptedState } from "../outcome";
import { contractsInScope, loadContracts, lookupHouse, roleKeeps, sameNumber } from "./common";
import { documentState, linkObjects } from "./managed-document";

export type CAChCriterion = CAChKeyInput | { uoGuid: string; fiasHouseGuid: string };

export function managedKinds(ctx: StageContext): ContractKind[] {
  return (["management", "charter"] as const).filter((k) => roleKeeps(ctx, k));
}

async function applyExported(em: EntityManager, rows: ExportedCACh[], ctx: StageContext): Promise<void> {
  const ours = await em.getRepository(Contract).find({ where: { organizationId: ctx.organizationId, kind: In(["management", "charter"]) } });
  const taken = new Set<number>();
  const live = [...rows].sort((a, b) => Number(a.status === "Annul") - Number(b.status === "Annul"));
  for (const x of live) {
    const kind = x.kind === "charter" ? "charter" : "management";
    const c = ours.find((o) => o.gisContractGuid === x.guid)
      ?? (x.status === "Annul" ? undefined : ours.find((o) => o.kind === kind && !o.gisContractGuid && !taken.has(o.id) && (kind === "charter"
        ? (!x.signingDate || o.signedDate === x.signingDate)
        : sameNumber(o.number, x.docNum) && (!x.signingDate || o.signedDate === x.signingDate))));
    if (!c || taken.has(c.id)) continue;
    taken.add(c.id);
    await em.update(Contract, c.id, { ...documentState({ guid: x.guid, version: x.versionGuid, status: x.status }), ...(c.gisContractGuid ? {} : { sync: acceptedState(ctx) }) });
    await linkObjects(em, c.id, new Map(x.objects.map((o) => [o.fiasHouseGuid, o.versionGuid])), ctx);
    if (!c.gisContractGuid) await em.getRepository(ContractObject).update({ contractId: c.id }, { sync: acceptedState(ctx) });
  }
}

export const exportCAChData: MethodDescriptor<OperationInputs["exportCAChData"], CAChCriterion> = {
  method: "exportCAChData",
  stage: "contracts",
  kind: "export",
  modes: ["pull", "sync"],
  objectType: "contract_lookup",
  batchSetting: null,
  defaultBatch: 100,
  safeToRepeat: true,
  after: ["exportOrgRegistry"],

  async select(ds, scope, _mode, ctx) {
    const kinds = managedKinds(ctx);
    if (kinds.length === 0) return [];
    const us = await ds.getRepository(Organization).findOneBy({ id: ctx.organizationId });
    const loaded = await loadContracts(ds, await contractsInScope(ds, scope, kinds));
    return [...loaded.values()].filter((l) => l.contract.gisContractGuid || (us?.gisOrgRootEntityGuid && lookupHouse(l))).map((l) => l.contract.id).sort((a, b) => a - b);
  },

  async prepare(ds, contractIds, ctx) {
    const us = await ds.getRepository(Organization).findOneBy({ id: ctx.organizationId });
    const out: Prepared<CAChCriterion> = { ready: [], rejected: [] };
    for (const l of (await loadContracts(ds, contractIds)).values()) {
      const c = l.contract;
      const fias = lookupHouse(l);
      if (c.gisContractGuid) out.ready.push({ objectId: c.id, data: c.kind === "charter" ? { charterGuid: c.gisContractGuid } : { contractGuid: c.gisContractGuid } });
      else if (fias && us?.gisOrgRootEntityGuid) out.ready.push({ objectId: c.id, data: { uoGuid: us.gisOrgRootEntityGuid, fiasHouseGuid: fias } });
    }
    return out;
  },

  payload: (batch) => ({ criteria: batch.map((b) => b.data) }),

  async apply(em, answer, _matched, ctx) {
    await applyExported(em, exportedCACh(answer.result), ctx);
  },
};
