/**
 * importCharterData (ТСЖ, ЖК, ЖСК): place the charter with the houses the partnership manages, or
 * send a changed one as an edit — one charter per request, as GIS demands. GIS answers with the
 * charter GUID, version GUID, status and state, and the version of each object.
 */
import { Contract } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { exportedCACh } from "../../transport/results/exports";
import { MethodDescriptor } from "../descriptor";
import { writeOutcome } from "../outcome";
import { contractsToSend, roleKeeps } from "./common";
import { ManagedDocumentData, documentState, linkObjects, managedObjects, objectChanges, objectVersions, prepareManagedDocuments } from "./managed-document";

export const importCharterData: MethodDescriptor<OperationInputs["importCharterData"], ManagedDocumentData> = {
  method: "importCharterData",
  stage: "contracts",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "contract",
  files: true,
  batchSetting: null,
  defaultBatch: 1,
  safeToRepeat: false,
  after: ["exportOrgRegistry", "importMunicipalServices", "importAdditionalServices", "exportCAChData"],

  async select(ds, scope, mode, ctx) {
    return roleKeeps(ctx, "charter") ? contractsToSend(ds, scope, mode, ["charter"]) : [];
  },

  prepare: prepareManagedDocuments,

  payload(batch) {
    const b = batch[0];
    const d = b.data;
    if (d.end?.kind === "annul") return { transportGuid: b.transportGuid, annul: { charterVersionGuid: d.versionGuid!, reason: d.end.reason } };
    if (d.end?.kind === "terminate") return { transportGuid: b.transportGuid, terminate: { charterVersionGuid: d.versionGuid!, date: d.end.date, reason: d.end.reason as string } };
    const head = { date: d.signedDate, attachments: d.attachments, ...(d.dates ? { dates: d.dates } : {}) };
    return d.versionGuid
      ? { transportGuid: b.transportGuid, edit: { ...head, charterVersionGuid: d.versionGuid, objects: objectChanges(d, b.transportGuid) } }
      : { transportGuid: b.transportGuid, place: { ...head, objects: managedObjects(d, b.transportGuid) } };
  },

  async apply(em, answer, matched, ctx) {
    for (const m of matched) {
      await writeOutcome(em, Contract, m, ctx, (r) => documentState({
        guid: r.values.CharterGUID ?? r.guid, version: r.values.CharterVersionGUID, status: r.values.CharterStatus, state: r.values.State, versionNumber: r.values.VersionNumber,
      }));
      if (m.result.errors.length === 0) await linkObjects(em, m.objectId, objectVersions(answer, m.transportGuid), ctx);
    }
  },

  reconcile: {
    method: "exportCAChData",
    payload: (objects) => ({ criteria: objects.filter((o) => o.data.uoGuid).map((o) => ({ uoGuid: o.data.uoGuid!, fiasHouseGuid: o.data.houseFias })) }),
    found(answer, objects) {
      const exported = exportedCACh(answer.result).filter((x) => x.kind === "charter" && x.status !== "Annul");
      const found = new Map<number, string>();
      for (const o of objects) {
        const hit = exported.find((x) => x.objects.some((h) => h.fiasHouseGuid === o.data.houseFias.toLowerCase()));
        if (hit && (!o.data.versionGuid || hit.versionGuid !== o.data.versionGuid)) found.set(o.objectId, hit.guid);
      }
      return found;
    },
  },
};
