/**
 * importContractData (УО): place a management contract with the houses it covers and the services
 * provided there, or send a changed one as an edit of the version GIS holds. GIS answers with the
 * contract GUID, version GUID, status and state (a new contract waits for approval in GIS), and the
 * version of each object. A placed contract with a termination date is terminated (reason from
 * НСИ 54, the termination document), one with an annulment reason annulled; houses can be placed only under an approved, running contract.
 * Contracts are batched per house so an unknown outcome is reconciled by one exportCAChData.
 */
import { Contract } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { NsiRef } from "../../transport/messages/common";
import { ContractInput } from "../../transport/messages/house-management";
import { exportedCACh } from "../../transport/results/exports";
import { MethodDescriptor } from "../descriptor";
import { writeOutcome } from "../outcome";
import { contractsToSend, roleKeeps, sameNumber } from "./common";
import { ManagedDocumentData, documentState, linkObjects, managedObjects, objectChanges, objectVersions, prepareManagedDocuments } from "./managed-document";

export const importContractData: MethodDescriptor<OperationInputs["importContractData"], ManagedDocumentData> = {
  method: "importContractData",
  stage: "contracts",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "contract",
  files: true,
  batchSetting: null,
  defaultBatch: 100,
  safeToRepeat: false,
  after: ["exportOrgRegistry", "importMunicipalServices", "importAdditionalServices", "exportCAChData"],

  async select(ds, scope, mode, ctx) {
    return roleKeeps(ctx, "management") ? contractsToSend(ds, scope, mode, ["management"]) : [];
  },

  prepare: prepareManagedDocuments,

  batchKey: (d) => d.houseFias,

  payload(batch) {
    return {
      contracts: batch.map((b): ContractInput => {
        const d = b.data;
        const end = d.end;
        if (end?.kind === "annul") return { transportGuid: b.transportGuid, annul: { contractVersionGuid: d.versionGuid!, reason: end.reason } };
        if (end?.kind === "terminate") {
          return { transportGuid: b.transportGuid, terminate: { contractVersionGuid: d.versionGuid!, date: end.date, reason: end.reason as NsiRef, attachments: end.attachments } };
        }
        const head = {
          docNum: d.number!, signingDate: d.signedDate, effectiveDate: d.effectiveDate!, planDateCompletion: d.planDateCompletion!,
          party: d.party!, contractBase: d.contractBase!, attachments: d.attachments, ...(d.dates ? { dates: d.dates } : {}),
        };
        return d.versionGuid
          ? { transportGuid: b.transportGuid, edit: { ...head, contractVersionGuid: d.versionGuid, objects: objectChanges(d, b.transportGuid) } }
          : { transportGuid: b.transportGuid, place: { ...head, objects: managedObjects(d, b.transportGuid) } };
      }),
    };
  },

  async apply(em, answer, matched, ctx) {
    for (const m of matched) {
      await writeOutcome(em, Contract, m, ctx, (r) => documentState({
        guid: r.values.ContractGUID ?? r.guid, version: r.values.ContractVersionGUID, status: r.values.ContractStatus, state: r.values.State, versionNumber: r.values.VersionNumber,
      }));
      if (m.result.errors.length === 0) await linkObjects(em, m.objectId, objectVersions(answer, m.transportGuid), ctx);
    }
  },

  reconcile: {
    method: "exportCAChData",
    payload: (objects) => ({ criteria: objects.filter((o) => o.data.uoGuid).map((o) => ({ uoGuid: o.data.uoGuid!, fiasHouseGuid: o.data.houseFias })).slice(0, 100) }),
    found(answer, objects) {
      const exported = exportedCACh(answer.result).filter((x) => x.kind === "contract" && x.status !== "Annul");
      const found = new Map<number, string>();
      for (const o of objects) {
        const hit = exported.find((x) => sameNumber(x.docNum, o.data.number) && (!x.signingDate || x.signingDate === o.data.signedDate));
        if (hit && (!o.data.versionGuid || hit.versionGuid !== o.data.versionGuid)) found.set(o.objectId, hit.guid);
      }
      return found;
    },
  },
};
