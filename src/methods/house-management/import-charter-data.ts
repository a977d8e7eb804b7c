/**
 * importCharterData (ТСЖ, ЖК, ЖСК): place the charter with the houses the partnership manages, or
 * send a changed one as an edit — one charter per request, as GIS demands. GIS answers with the
 * charter GUID, version GUID, status and state, and the version of each object.
 */
import { Contract } from "../../../entities";
import { Kid, XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { AttachmentInput, attachment, checkCount, container, flag, transportGuid } from "../../transport/messages/common";
import { writeOutcomes } from "../../stages/outcome";
import { defineMethod } from "../method";
import { exportCAChData, exportedCACh } from "./export-cach-data";
import { contractsToSend, roleKeeps } from "./contracts/common";
import { ContractDatesInput, ContractObjectChangeInput, ManagedObjectInput, dateDetails, managedObject, objectChange } from "./contracts/managed-body";
import {
  ManagedDocumentData,
  documentState,
  linkObjects,
  managedObjects,
  objectChanges,
  objectVersions,
  prepareManagedDocuments,
} from "./contracts/managed-document";

export interface CharterInput {
  /** Date the cooperative/HOA got its OGRN. */
  date: string;
  dates?: ContractDatesInput;
  protocol?: { meetingOwners?: AttachmentInput[]; votingProtocolGuids?: string[] };
  noApproveProtocol?: boolean;
  /** Charter documents, at least one. */
  attachments: AttachmentInput[];
  automaticRollOverOneYear?: boolean;
  indicationsAnyDay?: boolean;
}

export type CharterObjectInput = ManagedObjectInput & { managedByContract?: boolean };

/** One charter per request (the schema's shape). */
export type ImportCharterInput = { transportGuid: string } & (
  | { place: CharterInput & { objects: CharterObjectInput[] } }
  | { edit: CharterInput & { charterVersionGuid: string; objects?: ContractObjectChangeInput[] } }
  | { rollOver: { charterVersionGuid: string; toDate?: string } }
  | { terminate: { charterVersionGuid: string; date: string; reason: string } }
  | { annul: { charterVersionGuid: string; reason: string } }
);

function charter(c: CharterInput): Kid[] {
  checkCount("importCharterData", "AttachmentCharter", c.attachments.length, 1, Infinity);
  const p = c.protocol;
  if (p) checkCount("importCharterData", "VotingProtocolGUID", p.votingProtocolGuids?.length ?? 0, 0, 100);
  return [
    leaf("hm:Date", c.date),
    dateDetails("hm:DateDetails", c.dates, false),
    p
      ? el(
          "hm:MeetingProtocol",
          null,
          (p.meetingOwners ?? []).map((a) => attachment("hm:ProtocolMeetingOwners", a)),
          (p.votingProtocolGuids ?? []).map((g) => leaf("hm:VotingProtocolGUID", g)),
        )
      : null,
    flag("hm:NoCharterApproveProtocol", c.noApproveProtocol),
    c.attachments.map((a) => attachment("hm:AttachmentCharter", a)),
    c.automaticRollOverOneYear === undefined ? null : leaf("hm:AutomaticRollOverOneYear", c.automaticRollOverOneYear),
    c.indicationsAnyDay === undefined ? null : leaf("hm:IndicationsAnyDay", c.indicationsAnyDay),
  ];
}

function body(i: ImportCharterInput, version: string): XNode {
  let body: XNode;
  if ("place" in i) {
    checkCount("importCharterData", "ContractObject", i.place.objects.length, 1, Infinity);
    body = el(
      "hm:PlacingCharter",
      null,
      charter(i.place),
      i.place.objects.map((o) => managedObject(o, true, flag("hm:IsManagedByContract", o.managedByContract))),
    );
  } else if ("edit" in i) {
    body = el(
      "hm:EditCharter",
      null,
      charter(i.edit),
      (i.edit.objects ?? []).map((o) => objectChange(o, true)),
      leaf("hm:CharterVersionGUID", i.edit.charterVersionGuid),
    );
  } else if ("rollOver" in i) {
    body = el(
      "hm:RollOverCharter",
      null,
      leaf("hm:RollOver", "true"),
      leaf("hm:CharterVersionGUID", i.rollOver.charterVersionGuid),
      opt("hm:RollToDate", i.rollOver.toDate),
    );
  } else if ("terminate" in i) {
    body = el(
      "hm:TerminateCharter",
      null,
      leaf("hm:Terminate", i.terminate.date),
      leaf("hm:Reason", i.terminate.reason),
      leaf("hm:CharterVersionGUID", i.terminate.charterVersionGuid),
    );
  } else {
    body = el("hm:AnnulmentCharter", null, leaf("hm:ReasonOfAnnulment", i.annul.reason), leaf("hm:CharterVersionGUID", i.annul.charterVersionGuid));
  }
  return container("hm:importCharterRequest", version, transportGuid(i.transportGuid), body);
}

export const importCharterData = defineMethod<ImportCharterInput, ManagedDocumentData>({
  name: "importCharterData",
  service: "house-management",
  element: "importCharterRequest",
  versions: { "16.3.0.0": "11.9.0.1", "14.4.0.1": "11.9.0.1" },
  // One charter per request (the schema's shape): no repeated element to batch.
  body,

  descriptor: {
    stage: "contracts",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "contract",
    files: true,
    batchSetting: null,
    defaultBatch: 1,
    safeToRepeat: false,
    // As importContractData: services placed, what GIS has linked and its version known first.
    after: ["exportOrgRegistry", "importMunicipalServices", "importAdditionalServices", "exportCAChData", "exportStatusCAChData"],

    async select(ds, scope, mode, ctx) {
      return roleKeeps(ctx, "charter") ? contractsToSend(ds, scope, mode, ["charter"], ctx.stand) : [];
    },

    prepare: prepareManagedDocuments,

    payload(batch) {
      const b = batch[0];
      const d = b.data;
      if (d.end?.kind === "annul") return { transportGuid: b.transportGuid, annul: { charterVersionGuid: d.versionGuid!, reason: d.end.reason } };
      if (d.end?.kind === "terminate")
        return { transportGuid: b.transportGuid, terminate: { charterVersionGuid: d.versionGuid!, date: d.end.date, reason: d.end.reason as string } };
      const head = { date: d.signedDate, attachments: d.attachments, ...(d.dates ? { dates: d.dates } : {}) };
      return d.versionGuid
        ? { transportGuid: b.transportGuid, edit: { ...head, charterVersionGuid: d.versionGuid, objects: objectChanges(d, b.transportGuid) } }
        : { transportGuid: b.transportGuid, place: { ...head, objects: managedObjects(d, b.transportGuid) } };
    },

    async apply(em, answer, matched, ctx) {
      await writeOutcomes(em, Contract, matched, ctx, (r) =>
        documentState({
          guid: r.values.CharterGUID ?? r.guid,
          version: r.values.CharterVersionGUID,
          status: r.values.CharterStatus,
          state: r.values.State,
          versionNumber: r.values.VersionNumber,
        }),
      );
      for (const m of matched.filter((x) => x.result.errors.length === 0)) await linkObjects(em, m.objectId, objectVersions(answer, m.transportGuid), ctx);
    },

    reconcile: {
      method: exportCAChData.name,
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
      // GIS's answer names the charter by CharterGUID (the stable one), as an ordinary answer does.
      result: (guid) => ({ guid, values: { CharterGUID: guid } }),
    },
  },
});
