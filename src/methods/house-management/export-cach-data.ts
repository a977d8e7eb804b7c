/**
 * exportCAChData (УО, ТСЖ): our management contracts and charters as GIS holds them. Placed ones
 * are asked for by GUID; the others by our organization (UOGUID) and the house of their first
 * object, and matched by number and signing date (charters by house) — the sync mode's pull
 * before the imports place only what is missing. GUIDs, status and object versions are written back.
 * Objects are our contracts under their own objectType, so an export never marks them accepted.
 */
import { DataSource, EntityManager, In } from "typeorm";
import { Contract, ContractObject } from "../../../entities";
import { XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { checkCount, container, flag } from "../../transport/messages/common";
import { gisDate } from "../../transport/results/results";
import { child, children } from "../../transport/results/safe-xml";
import { Prepared, StageContext } from "../../stages/descriptor";
import { findIn } from "../../stages/load";
import { acceptedState } from "../../stages/outcome";
import { findAt, identitiesAt } from "../../storage/identity/store";
import { updateAt } from "../../storage/identity/update";
import { defineMethod } from "../method";
import { contractsInScope, loadContracts, lookupHouse, managedKinds, sameNumber } from "./contracts/common";
import { documentState, linkObjects } from "./contracts/managed-document";
import { CAChKeyInput, cachKey } from "./contracts/managed-body";
import { NsiValue, nsi, req, rows, t } from "./contracts/read";

/** What one contract is looked up by: its GUID once placed, else our organization and its first house. */
export type CAChCriterion = CAChKeyInput | { uoGuid: string; fiasHouseGuid: string };

export interface ExportCAChInput {
  /** 0..100 criteria: by GUID, or the managing organization + house (+ signing date). */
  criteria: Array<CAChKeyInput | { uoGuid: string; fiasHouseGuid: string; signingDate?: string; lastVersionOnly?: boolean }>;
}

function body(i: ExportCAChInput, version: string): XNode {
  checkCount("exportCAChData", "Criteria", i.criteria.length, 0, 100);
  return container(
    "hm:exportCAChAsyncRequest",
    version,
    i.criteria.map((c) =>
      el(
        "hm:Criteria",
        null,
        "uoGuid" in c
          ? [
              leaf("hm:UOGUID", c.uoGuid),
              leaf("hm:FIASHouseGuid", c.fiasHouseGuid),
              opt("hm:SigningDate", c.signingDate),
              flag("hm:LastVersionOnly", c.lastVersionOnly),
            ]
          : cachKey(c),
      ),
    ),
  );
}

/** A management contract or charter as exportCAChData gives it. */
export interface ExportedCACh {
  kind: "contract" | "charter";
  /** ContractGUID / CharterGUID (root, stable across versions). */
  guid: string;
  versionGuid: string;
  /** ContractStatus / CharterStatus (Project, ApprovalProcess, Approved, Terminated, Annul…). */
  status: string;
  docNum: string | null;
  signingDate: string | null;
  effectiveDate: string | null;
  planDateCompletion: string | null;
  terminated: string | null;
  objects: Array<{
    fiasHouseGuid: string;
    versionGuid: string;
    startDate: string;
    endDate: string | null;
    status: string | null;
    houseServices: NsiValue[];
    addServices: NsiValue[];
  }>;
}

/** The documents of an exportCAChResult list; GIS special dates (1900-01-01, 5000-01-01) are null. */
export function exportedCACh(result: Element): ExportedCACh[] {
  return rows(result, "exportCAChResult").flatMap((r) => {
    const c = child(r, "Contract");
    const ch = child(r, "Charter");
    const e = c ?? ch;
    if (!e) return [];
    const kind = c ? "contract" : "charter";
    const term = child(e, "Terminate");
    return [
      {
        kind,
        guid: req(e, c ? "ContractGUID" : "CharterGUID", "exportCAChResult").toLowerCase(),
        versionGuid: req(e, c ? "ContractVersionGUID" : "CharterVersionGUID", "exportCAChResult").toLowerCase(),
        status: req(e, c ? "ContractStatus" : "CharterStatus", "exportCAChResult"),
        docNum: t(e, "DocNum"),
        signingDate: t(e, "SigningDate") ?? t(e, "Date"),
        effectiveDate: t(e, "EffectiveDate"),
        planDateCompletion: t(e, "PlanDateComptetion"),
        terminated: term ? gisDate(t(term, "Terminate")) : null,
        objects: children(e, "ContractObject").map((o) => ({
          fiasHouseGuid: req(o, "FIASHouseGuid", "ContractObject").toLowerCase(),
          versionGuid: req(o, "ContractObjectVersionGUID", "ContractObject").toLowerCase(),
          startDate: req(o, "StartDate", "ContractObject"),
          endDate: gisDate(t(o, "EndDate")),
          status: t(o, "StatusObject"),
          houseServices: children(o, "HouseService")
            .map((s) => nsi(child(s, "ServiceType")))
            .filter((x): x is NsiValue => x !== null),
          addServices: children(o, "AddService")
            .map((s) => nsi(child(s, "ServiceType")))
            .filter((x): x is NsiValue => x !== null),
        })),
      },
    ];
  });
}

/** Our organization's registry GUID (UOGUID) as the stand knows it. */
async function uoGuidAt(db: DataSource, ctx: StageContext): Promise<string | null> {
  return (await identitiesAt(db, "organization", [ctx.organizationId], ctx.stand)).get(ctx.organizationId)?.gisOrgRootEntityGuid ?? null;
}

/** Writes what GIS holds onto our matching documents, on the run's stand. */
async function applyExported(em: EntityManager, rows: ExportedCACh[], ctx: StageContext): Promise<void> {
  const ours = await findAt(em, "contract", "organizationId", [ctx.organizationId], ctx.stand, { kind: In(["management", "charter"]) });
  const taken = new Set<number>();
  const live = [...rows].sort((a, b) => Number(a.status === "Annul") - Number(b.status === "Annul"));
  for (const x of live) {
    const kind = x.kind === "charter" ? "charter" : "management";
    const c =
      ours.find((o) => o.gisContractGuid === x.guid) ??
      (x.status === "Annul"
        ? undefined
        : ours.find(
            (o) =>
              o.kind === kind &&
              !o.gisContractGuid &&
              !taken.has(o.id) &&
              (kind === "charter"
                ? !x.signingDate || o.signedDate === x.signingDate
                : sameNumber(o.number, x.docNum) && (!x.signingDate || o.signedDate === x.signingDate)),
          ));
    if (!c || taken.has(c.id)) continue;
    taken.add(c.id);
    await updateAt(em, ctx.stand, Contract, c.id, {
      ...documentState({ guid: x.guid, version: x.versionGuid, status: x.status }),
      ...(c.gisContractGuid ? {} : { sync: acceptedState(ctx) }),
    });
    await linkObjects(em, c.id, new Map(x.objects.map((o) => [o.fiasHouseGuid, o.versionGuid])), ctx);
    if (!c.gisContractGuid) {
      const objects = await findIn(em, ContractObject, "contractId", [c.id]);
      await updateAt(
        em,
        ctx.stand,
        ContractObject,
        objects.map((o) => o.id),
        { sync: acceptedState(ctx) },
      );
    }
  }
}

export const exportCAChData = defineMethod<ExportCAChInput, CAChCriterion, ExportedCACh[]>({
  name: "exportCAChData",
  service: "house-management",
  element: "exportCAChAsyncRequest",
  // Not fixed: 13.1.2.1 is documented in both packages (16.3.0.0 adds 13.1.7.1).
  versions: { "16.3.0.0": "13.1.2.1", "14.4.0.1": "13.1.2.1" },
  body,
  read: exportedCACh,

  descriptor: {
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
      const uoGuid = await uoGuidAt(ds, ctx);
      const loaded = await loadContracts(ds, await contractsInScope(ds, scope, kinds), ctx.stand);
      return [...loaded.values()]
        .filter((l) => l.contract.gisContractGuid || (uoGuid && lookupHouse(l)))
        .map((l) => l.contract.id)
        .sort((a, b) => a - b);
    },

    async prepare(ds, contractIds, ctx) {
      const uoGuid = await uoGuidAt(ds, ctx);
      const out: Prepared<CAChCriterion> = { ready: [], rejected: [] };
      for (const l of (await loadContracts(ds, contractIds, ctx.stand)).values()) {
        const c = l.contract;
        const fias = lookupHouse(l);
        if (c.gisContractGuid)
          out.ready.push({ objectId: c.id, data: c.kind === "charter" ? { charterGuid: c.gisContractGuid } : { contractGuid: c.gisContractGuid } });
        else if (fias && uoGuid) out.ready.push({ objectId: c.id, data: { uoGuid, fiasHouseGuid: fias } });
      }
      return out;
    },

    payload: (batch) => ({ criteria: batch.map((b) => b.data) }),

    async apply(em, answer, _matched, ctx) {
      await applyExported(em, exportedCACh(answer.result), ctx);
    },
  },
});
