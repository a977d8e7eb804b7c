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
import { Contract, ContractObject, House, MessageLog } from "../../../entities";
import { XNode, el, opt } from "../../transport/envelope/xml";
import { NsiRef, checkCount, container, list, nsiRef } from "../../transport/messages/common";
import { gisDate } from "../../transport/results/results";
import { child, children, descendant } from "../../transport/results/safe-xml";
import { Prepared, StageContext } from "../../stages/descriptor";
import { findIn } from "../../stages/load";
import { acceptedState } from "../../stages/outcome";
import { findAt } from "../../storage/identity/store";
import { updateAt, updateManyAt } from "../../storage/identity/update";
import { defineMethod } from "../method";
import { contractsInScope, loadContracts, lookupHouse, roleKeeps, sameNumber } from "./contracts/common";
import { NsiValue, nsi, req, rows, t } from "./contracts/read";

export type ExportSupplyResourceContractInput =
  | { contractRootGuids: string[] }
  | { contractGuids: string[] }
  | {
      /** Paging: the ExportContractRootGUID of the previous page's answer. */
      exportContractRootGuid?: string;
      contractNumber?: string;
      signingDateStart?: string;
      signingDateEnd?: string;
      fiasHouseGuid?: string;
      /** 0..100 service/resource pairs. */
      subjects?: Array<{ serviceType: NsiRef; municipalResource: NsiRef }>;
    };

function body(i: ExportSupplyResourceContractInput, version: string): XNode {
  const op = "exportSupplyResourceContractData";
  return container(
    "hm:exportSupplyResourceContractRequest",
    version,
    "contractRootGuids" in i
      ? list(op, "hm:ContractRootGUID", i.contractRootGuids, 1, 1000)
      : "contractGuids" in i
        ? list(op, "hm:ContractGUID", i.contractGuids, 1, 1000)
        : (checkCount(op, "ContractSubject", i.subjects?.length ?? 0, 0, 100),
          [
            opt("hm:ExportContractRootGUID", i.exportContractRootGuid),
            opt("hm:ContractNumber", i.contractNumber),
            opt("hm:SigningDateStart", i.signingDateStart),
            opt("hm:SigningDateEnd", i.signingDateEnd),
            opt("hm:FIASHouseGuid", i.fiasHouseGuid),
            (i.subjects ?? []).map((s) =>
              el("hm:ContractSubject", null, nsiRef("hm:ServiceType", s.serviceType), nsiRef("hm:MunicipalResource", s.municipalResource)),
            ),
          ]),
  );
}

export interface ExportedSupplyResourceContract {
  rootGuid: string;
  versionGuid: string;
  versionNumber: number | null;
  /** NotTakeEffect | Proceed | Expired. */
  state: string;
  /** Posted | Terminated | Draft | Annul. */
  versionStatus: string;
  contractNumber: string | null;
  signingDate: string | null;
  effectiveDate: string | null;
  isContract: boolean;
  subjects: Array<{
    transportGuid: string | null;
    serviceType: NsiValue | null;
    municipalResource: NsiValue | null;
    startSupplyDate: string;
    endSupplyDate: string | null;
  }>;
  countingResource: "R" | "P" | null;
  terminated: string | null;
}

export interface SupplyResourceContractPage {
  contracts: ExportedSupplyResourceContract[];
  /** True on the last page; otherwise ask again with exportContractRootGuid = nextPage. */
  lastPage: boolean;
  nextPage: string | null;
}

/** One page of exportSupplyResourceContractResult; GIS special dates (1900-01-01, 5000-01-01) are null. */
export function exportedSupplyResourceContracts(result: Element): SupplyResourceContractPage {
  const out: SupplyResourceContractPage = { contracts: [], lastPage: true, nextPage: null };
  for (const r of rows(result, "exportSupplyResourceContractResult")) {
    for (const c of children(r, "Contract")) {
      const doc = child(c, "IsContract") ?? child(c, "IsNotContract");
      const term = child(c, "TerminateContract");
      const cr = t(c, "CountingResource");
      const number = t(c, "VersionNumber");
      out.contracts.push({
        rootGuid: req(c, "ContractRootGUID", "Contract").toLowerCase(),
        versionGuid: req(c, "ContractGUID", "Contract").toLowerCase(),
        versionNumber: number === null ? null : Number(number),
        state: req(c, "ContractState", "Contract"),
        versionStatus: req(c, "VersionStatus", "Contract"),
        contractNumber: t(doc, "ContractNumber"),
        signingDate: t(doc, "SigningDate"),
        effectiveDate: t(doc, "EffectiveDate"),
        isContract: child(c, "IsContract") !== null,
        subjects: children(c, "ContractSubject").map((s) => ({
          transportGuid: t(s, "TransportGUID"),
          serviceType: nsi(child(s, "ServiceType")),
          municipalResource: nsi(child(s, "MunicipalResource")),
          startSupplyDate: req(s, "StartSupplyDate", "ContractSubject"),
          endSupplyDate: gisDate(t(s, "EndSupplyDate")),
        })),
        countingResource: cr === "R" || cr === "P" ? cr : null,
        terminated: term ? gisDate(t(term, "Terminate")) : null,
      });
    }
    const next = t(r, "ExportContractRootGUID");
    if (next) {
      out.nextPage = next.toLowerCase();
      out.lastPage = false;
    } else if (t(r, "IsLastPage") === "true" || t(r, "IsLastPage") === "1") out.lastPage = true;
  }
  if (!out.nextPage && rows(result, "exportSupplyResourceContractResult").length > 0 && !descendant(result, "IsLastPage")) out.lastPage = true;
  return out;
}

export type SupplyLookup = { rootGuid: string } | { fiasHouseGuid: string; contractNumber?: string };

/** Our unlinked contracts in one house above which they are asked about one by one. */
const CROWDED_HOUSE = 500;

const STATUSES = ["Posted", "Terminated", "Draft", "Annul"] as const;
const STATES = ["NotTakeEffect", "Proceed", "Expired"] as const;

/** Writes what GIS holds onto our matching contracts, on the run's stand; returns how many of ours were matched. */
export async function applySupplyContracts(em: EntityManager, exported: ExportedSupplyResourceContract[], ctx: StageContext): Promise<number> {
  const ours = await findAt(em, "contract", "organizationId", [ctx.organizationId], ctx.stand, { kind: "supply" });
  const contracts: Array<{ id: number; patch: Record<string, unknown> }> = [];
  const firstLinked: number[] = [];
  let matched = 0;
  const taken = new Set<number>();
  // Live versions first: an annulled contract with the same number does not stand for ours.
  const ordered = [...exported].sort(
    (a, b) => Number(a.versionStatus === "Annul") - Number(b.versionStatus === "Annul") || (b.versionNumber ?? 0) - (a.versionNumber ?? 0),
  );
  for (const x of ordered) {
    const c =
      ours.find((o) => o.gisRootGuid === x.rootGuid || o.gisContractGuid === x.rootGuid) ??
      (x.versionStatus === "Annul"
        ? undefined
        : ours.find(
            (o) =>
              !o.gisRootGuid &&
              !taken.has(o.id) &&
              sameNumber(o.number, x.contractNumber) &&
              (!x.signingDate || !o.signedDate || o.signedDate === x.signingDate),
          ));
    if (!c || taken.has(c.id)) continue;
    taken.add(c.id);
    matched++;
    contracts.push({
      id: c.id,
      patch: {
        gisContractGuid: x.rootGuid,
        gisRootGuid: x.rootGuid,
        gisVersionGuid: x.versionGuid,
        ...(x.versionNumber !== null ? { gisVersionNumber: x.versionNumber } : {}),
        gisStatus: (STATUSES as readonly string[]).includes(x.versionStatus) ? (x.versionStatus as Contract["gisStatus"]) : null,
        gisState: (STATES as readonly string[]).includes(x.state) ? (x.state as Contract["gisState"]) : null,
        // First link to what GIS already has: the contract counts as placed.
        ...(c.gisRootGuid ? {} : { sync: acceptedState(ctx) }),
      },
    });
    if (!c.gisRootGuid) firstLinked.push(c.id);
  }
  await updateManyAt(em, ctx.stand, Contract, contracts);
  // GIS holds the contract with its objects: they are not sent again one by one.
  const objects = await findIn(em, ContractObject, "contractId", firstLinked);
  await updateAt(
    em,
    ctx.stand,
    ContractObject,
    objects.map((o) => o.id),
    { sync: acceptedState(ctx) },
  );
  return matched;
}

/** Our supply contracts the stand has not been matched with, per house FIAS GUID (independent of the batch at hand, so a resend asks alike). */
async function unlinkedPerHouse(ds: DataSource, organizationId: number, houseIds: number[], stand: string): Promise<Map<string, number>> {
  const objects = await findIn(ds, ContractObject, "houseId", houseIds);
  const contracts = await findAt(
    ds,
    "contract",
    "id",
    objects.map((o) => o.contractId),
    stand,
    { organizationId, kind: "supply" },
  );
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

export const exportSupplyResourceContractData = defineMethod<ExportSupplyResourceContractInput, SupplyLookup, SupplyResourceContractPage>({
  name: "exportSupplyResourceContractData",
  service: "house-management",
  element: "exportSupplyResourceContractRequest",
  // Not fixed: 13.1.1.1, the newest of the documented 11.11.0.2 and 13.1.1.1, in both packages.
  versions: { "16.3.0.0": "13.1.1.1", "14.4.0.1": "13.1.1.1" },
  body,
  read: exportedSupplyResourceContracts,

  descriptor: {
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
      const loaded = await loadContracts(ds, await contractsInScope(ds, scope, ["supply"]), ctx.stand);
      return [...loaded.values()]
        .filter((l) => l.contract.gisRootGuid || lookupHouse(l))
        .map((l) => l.contract.id)
        .sort((a, b) => a - b);
    },

    async prepare(ds, contractIds, ctx) {
      const out: Prepared<SupplyLookup> = { ready: [], rejected: [] };
      const loaded = [...(await loadContracts(ds, contractIds, ctx.stand)).values()];
      const perHouse = await unlinkedPerHouse(
        ds,
        ctx.organizationId,
        loaded.flatMap((l) => l.objects.map((o) => o.object.houseId)),
        ctx.stand,
      );
      for (const l of loaded) {
        const fias = lookupHouse(l);
        if (l.contract.gisRootGuid) out.ready.push({ objectId: l.contract.id, data: { rootGuid: l.contract.gisRootGuid } });
        else if (fias && l.contract.number && (perHouse.get(fias) ?? 0) >= CROWDED_HOUSE)
          out.ready.push({ objectId: l.contract.id, data: { fiasHouseGuid: fias, contractNumber: l.contract.number } });
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
          createdAt: new Date(),
          level: "warning",
          group: "contracts",
          subgroup: "exportSupplyResourceContractData",
          author: null,
          text: `ГИС ЖКХ вернула договоры ресурсоснабжения не полностью (следующая страница: ${page.nextPage ?? "—"}); договоры, которых нет на первой странице, не сопоставлены`,
          objectType: null,
          objectId: null,
          operationId: null,
          runId: null,
          code: null,
        });
      }
    },
  },
});
