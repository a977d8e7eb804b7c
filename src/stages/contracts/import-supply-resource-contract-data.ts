/**
 * importSupplyResourceContractData (РСО): place a supply resource contract with its subjects and
 * objects (in 14.x the objects travel inside the contract: GIS refuses one without them), send a
 * changed one again as a new version, terminate one. GIS answers with ContractRootGUID (stays) and
 * ContractGUID (the version); accounts and meters refer to the contract by them afterwards.
 * Contracts are batched per house so an unknown outcome is reconciled by one export of that house.
 */
import { In } from "typeorm";
import { OperationInputs } from "../../transport/messages";
import { Contract, ContractObject, Organization } from "../../../entities";
import { exportedSupplyResourceContracts } from "../../transport/results/exports";
import { lower } from "../answer";
import { MethodDescriptor, Rejection } from "../descriptor";
import { byId } from "../load";
import { NSI, NsiIndex } from "../nsi";
import { acceptedState, writeOutcome } from "../outcome";
import { contractsToSend, loadContracts, roleKeeps, sameNumber } from "./common";
import { NSI_REGISTRIES } from "./service-refs";
import { SupplyContractData, supplyContractData, supplyContractItem } from "./supply-contract-message";

export const importSupplyResourceContractData: MethodDescriptor<OperationInputs["importSupplyResourceContractData"], SupplyContractData> = {
  method: "importSupplyResourceContractData",
  stage: "contracts",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "contract",
  files: true,
  batchSetting: null,
  defaultBatch: 100,
  safeToRepeat: false,
  after: ["exportOrgRegistry", "importMunicipalServices", "exportSupplyResourceContractData"],

  async select(ds, scope, mode, ctx) {
    return roleKeeps(ctx, "supply") ? contractsToSend(ds, scope, mode, ["supply"]) : [];
  },

  async prepare(ds, contractIds, ctx) {
    const loaded = await loadContracts(ds, contractIds);
    const orgs = await byId(ds, Organization, [...loaded.values()].map((l) => l.contract.secondPartyOrganizationId));
    const nsi = await NsiIndex.load(ds, [...NSI_REGISTRIES, NSI.contractTerminationReason], ctx.organizationId);
    const ready: Array<{ objectId: number; data: SupplyContractData }> = [];
    const rejected: Rejection[] = [];
    for (const l of loaded.values()) {
      const r = supplyContractData(l, nsi, orgs);
      if ("data" in r) ready.push({ objectId: l.contract.id, data: r.data });
      else rejected.push(r.rejected);
    }
    return { ready, rejected };
  },

  batchKey: (d) => d.houseFias,

  payload(batch) {
    return { contracts: batch.map((b) => supplyContractItem(b.data, b.transportGuid)) };
  },

  async apply(em, _answer, matched, ctx) {
    const contracts = await byId(em, Contract, matched.map((m) => m.objectId));
    const today = ctx.now.toISOString().slice(0, 10);
    for (const m of matched) {
      const c = contracts.get(m.objectId);
      const annulled = !!c?.annulmentReason && !!c.gisVersionGuid;
      const terminated = !annulled && !!c?.terminationDate && !!c.gisVersionGuid;
      await writeOutcome(em, Contract, m, ctx, (r) => {
        const root = lower(r.values.ContractRootGUID ?? null);
        const version = lower(r.values.ContractGUID ?? r.guid);
        return {
          ...(root ? { gisContractGuid: root, gisRootGuid: root } : {}),
          ...(version ? { gisVersionGuid: version } : {}),
          // What GIS gives the accepted version; the export refreshes status and state.
          gisStatus: annulled ? ("Annul" as const) : terminated ? ("Terminated" as const) : ("Posted" as const),
          gisState: annulled || terminated ? ("Expired" as const) : c?.effectiveDate && c.effectiveDate > today ? ("NotTakeEffect" as const) : ("Proceed" as const),
        };
      });
    }
    // The objects travelled inside the contract: they are placed with it.
    const accepted = matched.filter((m) => m.result.errors.length === 0).map((m) => m.objectId);
    if (accepted.length) await em.getRepository(ContractObject).update({ contractId: In(accepted) }, { sync: acceptedState(ctx) });
  },

  reconcile: {
    method: "exportSupplyResourceContractData",
    payload: (objects) => ({ fiasHouseGuid: objects[0].data.houseFias }),
    found(answer, objects) {
      const exported = exportedSupplyResourceContracts(answer.result).contracts.filter((x) => x.versionStatus !== "Annul");
      const found = new Map<number, string>();
      for (const o of objects) {
        const hit = exported.find((x) => sameNumber(x.contractNumber, o.data.number) && (!x.signingDate || x.signingDate === o.data.signedDate));
        // A change went through when GIS holds a version other than the one it was made from.
        if (hit && (!o.data.versionGuid || hit.versionGuid !== o.data.versionGuid)) found.set(o.objectId, hit.rootGuid);
      }
      return found;
    },
  },
};
