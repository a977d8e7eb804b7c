/**
 * exportSupplyResourceContractData (РСО): what GIS holds of our supply contracts. Contracts GIS
 * knows are asked for by root GUID (up to 1000 per request); the others by the house of their
 * first object, and matched by number and signing date — the sync mode's "pull, match" before
 * the import places only what is missing. Root GUID, version GUID and number, status and state
 * are written back; a first link also marks the contract and its objects placed.
 *
 * Paging: GIS answers 1000 contracts a page, and the pipeline has no page-after-page step. A GUID
 * list never exceeds a page; a house is asked about as a whole only while it holds fewer of our
 * unlinked contracts than half a page (direct contracts with the owners of a big house are asked
 * about one by one, by number). Should GIS still announce a next page, the journal gets a warning.
 *
 * The request's "objects" are our contracts, under their own objectType ("contract_lookup", not a
 * table): an export's items must not mark the contracts themselves as accepted by GIS.
 */
import { DataSource, EntityManager } from "typeorm";
import { OperationInputs } from "../../transport/messages";
import { Contract, ContractObject, House, MessageLog } from "../../../entities";
import { ExportedSupplyResourceContract, exportedSupplyResourceContracts } from "../../transport/results/exports";
import { MethodDescriptor, Prepared, StageContext } from "../descriptor";
import { findIn } from "../load";
import { acceptedState } from "../outcome";
import { contractsInScope, loadContracts, lookupHouse, roleKeeps, sameNumber } from "./common";

export type SupplyLookup = { rootGuid: string } | { fiasHouseGuid: string; contractNumber?: string };

/** Our unlinked contracts in one house above which they are asked about one by one. */
const CROWDED_HOUSE = 500;

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

/** Our supply contracts GIS has not been matched with, per house FIAS GUID (independent of the batch at hand, so a resend asks alike). */
async function unlinkedPerHouse(ds: DataSource, organizationId: number, houseIds: number[]): Promise<Map<string, number>> {
  const objects = await findIn(ds, ContractObject, "houseId", houseIds);
  const contracts = await findIn(ds, Contract, "id", objects.map((o) => o.contractId), { organizationId, kind: "supply" });
  const unlinked = new Set(contracts.filter((c) => !c.gisRootGuid).map((c) => c.id));
  const houses = await findIn(ds, House, "id", houseIds);
  const out = new Map<string, number>();
  for (const h of houses) {
    if (!h.fiasHouseGuid) continue;
    const n = new Set(objects.filter((o) => o.houseId === h.id && unlinked.has(o.contractId)).map((o) => o.contractId)).size;
    out.set(h.fiasHouseGuid, n);
  }
  return out;
}

export const exportSupplyResourceContractData: MethodDescriptor<OperationInputs["exportSupplyResourceContractData"], SupplyLookup> = {
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

  async prepare(ds, contractIds, ctx) {
    const out: Prepared<SupplyLookup> = { ready: [], rejected: [] };
    const loaded = [...(await loadContracts(ds, contractIds)).values()];
    const perHouse = await unlinkedPerHouse(ds, ctx.organizationId, loaded.flatMap((l) => l.objects.map((o) => o.object.houseId)));
    for (const l of loaded) {
      const fias = lookupHouse(l);
      if (l.contract.gisRootGuid) out.ready.push({ objectId: l.contract.id, data: { rootGuid: l.contract.gisRootGuid } });
      else if (fias && l.contract.number && (perHouse.get(fias) ?? 0) >= CROWDED_HOUSE) out.ready.push({ objectId: l.contract.id, data: { fiasHouseGuid: fias, contractNumber: l.contract.number } });
      else if (fias) out.ready.push({ objectId: l.contract.id, data: { fiasHouseGuid: fias } });
    }
    return out;
  },

  batchKey: (d) => ("rootGuid" in d ? "root" : `house:${d.fiasHouseGuid}${d.contractNumber !== undefined ? `|${d.contractNumber}` : ""}`),

  payload(batch) {
    // A resend rebuilds from the model: a contract linked meanwhile asks by GUID now, so a house filter wins.
    const byHouse = batch.map((b) => b.data).find((d): d is Extract<SupplyLookup, { fiasHouseGuid: string }> => "fiasHouseGuid" in d);
    if (byHouse) return { fiasHouseGuid: byHouse.fiasHouseGuid, ...(byHouse.contractNumber !== undefined ? { contractNumber: byHouse.contractNumber } : {}) };
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
