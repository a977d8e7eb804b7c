/**
 * exportSupplyResourceContractData (РСО): what GIS holds of our supply contracts. Contracts GIS
 * knows are asked for by root GUID (up to 1000 per request); the others by the house of their
 * first object, and matched by number and signing date — the sync mode's "pull, match" before
 * the import places only what is missing. Root GUID, version GUID and number, status and state
 * are written back.
 *
 * Paging: GIS answers 1000 contracts a page. A GUID list never exceeds a page; a house with more
 * contracts of one РСО than a page would leave the rest unmatched: such an answer is written to the
 * journal as a warning (the pipeline has no page-after-page step yet).
 *
 * The request's "objects" are our contracts, under their own objectType ("contract_lookup", not a
 * table): an export's items must not mark the contracts themselves as accepted by GIS.
 */
import { Contract, ContractObject, MessageLog } from "../../../entities";
import { ExportedSupplyResourceContract, exportedSupplyResourceContracts } from "../../transport/results/exports";
import { EntityManager } from "typeorm";
import { MethodDescriptor, Prepared, StageContext } from "../descriptor";
import { acceptedState } from "../outcome";
import { contractsInScope, loadContracts, lookupHouse, roleKeeps, sameNumber } from "./common";

export type SupplyLookup = { rootGuid: string } | { fiasHouseGuid: string };

const STATUSES = ["Posted", "Terminated", "Draft", "Annul"] as const;
const STATES = ["NotTakeEffect", "Proceed", "Expired"] as const;

/** Writes what GIS holds onto our matching contracts; returns how many of ours were matched. */
export async function applySupplyContracts(em: EntityManager, exported: ExportedSupplyResourceContract[], ctx: StageContext): Promise<number> {
  const ours = await em.getRepository(Contract).find({ where: { organizationId: ctx.organizationId, kind: "supply" } });
  let matched = 0;
  const taken = new Set<number>();
  // Live versions first: an annulled contract with the same number does not stand for ours.
  const ordered = [...exported].sort((a, b) => Number(a.versionStatus === "Annul") - Number(b.versionStatus === "Annul") || (b.versionNumber ?? 0) - (a.versionNumber ?? 0));
  for (const x of ordered) {
    const c = ours.find((o) => o.gisRootGuid === x.rootGuid || o.gisContractGuid === x.rootGuid)
      ?? (x.versionStatus === "Annul" ? undefined
        : ours.find((o) => !o.gisRootGuid && !taken.has(o.id) && sameNumber(o.number, x.contractNumber) && (!x.signingDate || !o.signedDate || o.signedDate === x.signingDate)));
    if (!c || taken.has(c.id)) continue;
    taken.add(c.id);
    matched++;
    await em.update(Contract, c.id, {
      gisContractGuid: x.rootGuid, gisRootGuid: x.rootGuid, gisVersionGuid: x.versionGuid,
      ...(x.versionNumber !== null ? { gisVersionNumber: x.versionNumber } : {}),
      gisStatus: (STATUSES as readonly string[]).includes(x.versionStatus) ? (x.versionStatus as Contract["gisStatus"]) : null,
      gisState: (STATES as readonly string[]).includes(x.state) ? (x.state as Contract["gisState"]) : null,
      // First link to what GIS already has: the contract counts as placed.
      ...(c.gisRootGuid ? {} : { sync: acceptedState(ctx) }),
    });
    // GIS holds the contract with its objects: they are not sent again one by one.
    if (!c.gisRootGuid) await em.getRepository(ContractObject).update({ contractId: c.id }, { sync: acceptedState(ctx) });
  }
  return matched;
}

export const exportSupplyResourceContractData: MethodDescriptor<"exportSupplyResourceContractData", SupplyLookup> = {
  method: "exportSupplyResourceContractData",
  stage: "contracts",
  kind: "export",
  modes: ["pull", "sync"],
  objectType: "contract_lookup",
  batchSetting: null,
  defaultBatch: 1000,
  safeToRepeat: true,
  after: ["exportOrgRegistry"],

  async select(ds, scope, _mode, ctx) {
    if (!roleKeeps(ctx, "supply")) return [];
    // Only contracts GIS can be asked about: the import names the others' problems.
    const loaded = await loadContracts(ds, await contractsInScope(ds, scope, ["supply"]));
    return [...loaded.values()].filter((l) => l.contract.gisRootGuid || lookupHouse(l)).map((l) => l.contract.id).sort((a, b) => a - b);
  },

  async prepare(ds, contractIds) {
    const out: Prepared<SupplyLookup> = { ready: [], rejected: [] };
    for (const l of (await loadContracts(ds, contractIds)).values()) {
      const fias = lookupHouse(l);
      if (l.contract.gisRootGuid) out.ready.push({ objectId: l.contract.id, data: { rootGuid: l.contract.gisRootGuid } });
      else if (fias) out.ready.push({ objectId: l.contract.id, data: { fiasHouseGuid: fias } });
    }
    return out;
  },

  batchKey: (d) => ("rootGuid" in d ? "root" : `house:${d.fiasHouseGuid}`),

  payload(batch) {
    const first = batch[0].data;
    if ("fiasHouseGuid" in first) return { fiasHouseGuid: first.fiasHouseGuid };
    return { contractRootGuids: batch.map((b) => (b.data as { rootGuid: string }).rootGuid) };
  },

  async apply(em, answer, _matched, ctx) {
    const page = exportedSupplyResourceContracts(answer.result);
    await applySupplyContracts(em, page.contracts, ctx);
    if (!page.lastPage) {
      await em.getRepository(MessageLog).insert({
        createdAt: new Date(), level: "warning", group: "contracts", subgroup: "exportSupplyResourceContractData", author: null,
        text: `ГИС ЖКХ вернула договоры ресурсоснабжения не полностью (следующая страница: ${page.nextPage ?? "—"}); договоры, которых нет на первой странице, не сопоставлены`,
        objectType: null, objectId: null, operationId: null, runId: null, code: null,
      });
    }
  },
};
