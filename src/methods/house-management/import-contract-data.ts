/**
 * importContractData (УО): place a management contract with the houses it covers and the services
 * provided there, or send a changed one as an edit of the version GIS holds. GIS answers with the
 * contract GUID, version GUID, status and state (a new contract waits for approval in GIS), and the
 * version of each object. A placed contract with a termination date is terminated (reason from
 * НСИ 54, the termination document), one with an annulment reason annulled; houses can be placed only under an approved, running contract.
 * Contracts are batched per house so an unknown outcome is reconciled by one exportCAChData.
 */
import { Contract } from "../../../entities";
import { Kid, XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { AttachmentInput, NsiRef, attachment, checkCount, checkUnique, container, nsiRef, transportGuid } from "../../transport/messages/common";
import { writeOutcomes } from "../../stages/outcome";
import { defineMethod } from "../method";
import { exportCAChData, exportedCACh } from "./export-cach-data";
import { contractsToSend, roleKeeps, sameNumber } from "./contracts/common";
import {
  ContractDatesInput,
  ContractObjectChangeInput,
  ContractPartyInput,
  ManagedObjectInput,
  dateDetails,
  managedObject,
  objectChange,
} from "./contracts/managed-body";
import {
  ManagedDocumentData,
  documentState,
  linkObjects,
  managedObjects,
  objectChanges,
  objectVersions,
  prepareManagedDocuments,
} from "./contracts/managed-document";

export interface ManagementContractInput {
  docNum: string;
  signingDate: string;
  effectiveDate: string;
  planDateCompletion: string;
  party: ContractPartyInput;
  protocol?: { meetingOwners?: AttachmentInput[]; votingProtocolGuids?: string[] };
  /** NSI 58 (основание заключения договора). */
  contractBase: NsiRef;
  /** Required by the schema in full (all three terms) when given. */
  dates?: ContractDatesInput;
  /** The contract and its annexes, at least one. */
  attachments: AttachmentInput[];
  registryDecisionId?: string;
  automaticRollOverOneYear?: boolean;
}

export type ContractInput = { transportGuid: string } & (
  | { place: ManagementContractInput & { objects: ManagedObjectInput[] } }
  | { edit: ManagementContractInput & { contractVersionGuid: string; objects?: ContractObjectChangeInput[]; indicationsAnyDay?: boolean } }
  | { approve: { contractVersionGuid: string } }
  | { rollOver: { contractVersionGuid: string; toDate?: string } }
  /** reason: NSI 54 (причина расторжения договора). */
  | { terminate: { contractVersionGuid: string; date: string; reason: NsiRef; attachments: AttachmentInput[] } }
  | { annul: { contractVersionGuid: string; reason: string } }
);

export interface ImportContractInput {
  /** 1..100 contracts. */
  contracts: ContractInput[];
}

const PARTY_ELEMENT = {
  cooperative: "hm:Cooperative",
  municipalHousing: "hm:MunicipalHousing",
  buildingOwner: "hm:BuildingOwner",
  competentAuthority: "hm:CompetentAuthority",
} as const;

function contractParty(p: ContractPartyInput): XNode {
  if ("owners" in p) return leaf("hm:Owners", "true");
  const [key, guid] = Object.entries(p)[0] as [keyof typeof PARTY_ELEMENT, string];
  return el(PARTY_ELEMENT[key], null, leaf("org-reg-base:orgRootEntityGUID", guid));
}

function managementContract(c: ManagementContractInput): Kid[] {
  checkCount("importContractData", "ContractAttachment", c.attachments.length, 1, Infinity);
  const p = c.protocol;
  return [
    leaf("hm:DocNum", c.docNum),
    leaf("hm:SigningDate", c.signingDate),
    leaf("hm:EffectiveDate", c.effectiveDate),
    leaf("hm:PlanDateComptetion", c.planDateCompletion),
    contractParty(c.party),
    p
      ? el(
          "hm:Protocol",
          null,
          p.meetingOwners?.length
            ? el(
                "hm:ProtocolAdd",
                null,
                p.meetingOwners.map((a) => attachment("hm:ProtocolMeetingOwners", a)),
              )
            : null,
          (p.votingProtocolGuids ?? []).map((g) => leaf("hm:VotingProtocolGUID", g)),
        )
      : null,
    nsiRef("hm:ContractBase", c.contractBase),
    dateDetails("hm:DateDetails", c.dates, true),
    c.attachments.map((a) => attachment("hm:ContractAttachment", a)),
    opt("hm:RegistryDecisionID", c.registryDecisionId),
    c.automaticRollOverOneYear === undefined ? null : leaf("hm:AutomaticRollOverOneYear", c.automaticRollOverOneYear),
  ];
}

function contract(c: ContractInput): XNode {
  let body: XNode;
  if ("place" in c) {
    checkCount("importContractData", "ContractObject", c.place.objects.length, 1, Infinity);
    body = el(
      "hm:PlacingContract",
      null,
      managementContract(c.place),
      c.place.objects.map((o) => managedObject(o, false)),
    );
  } else if ("edit" in c) {
    body = el(
      "hm:EditContract",
      null,
      managementContract(c.edit),
      (c.edit.objects ?? []).map((o) => objectChange(o, false)),
      leaf("hm:ContractVersionGUID", c.edit.contractVersionGuid),
      c.edit.indicationsAnyDay === undefined ? null : leaf("hm:IndicationsAnyDay", c.edit.indicationsAnyDay),
    );
  } else if ("approve" in c) {
    body = el("hm:ApprovalContract", null, leaf("hm:Approval", "true"), leaf("hm:ContractVersionGUID", c.approve.contractVersionGuid));
  } else if ("rollOver" in c) {
    body = el(
      "hm:RollOverContract",
      null,
      leaf("hm:RollOver", "true"),
      leaf("hm:ContractVersionGUID", c.rollOver.contractVersionGuid),
      opt("hm:RollToDate", c.rollOver.toDate),
    );
  } else if ("terminate" in c) {
    const t = c.terminate;
    checkCount("importContractData", "TerminateAttachment", t.attachments.length, 1, Infinity);
    body = el(
      "hm:TerminateContract",
      null,
      leaf("hm:Terminate", t.date),
      nsiRef("hm:ReasonRef", t.reason),
      t.attachments.map((a) => attachment("hm:TerminateAttachment", a)),
      leaf("hm:ContractVersionGUID", t.contractVersionGuid),
    );
  } else {
    body = el("hm:AnnulmentContract", null, leaf("hm:ReasonOfAnnulment", c.annul.reason), leaf("hm:ContractVersionGUID", c.annul.contractVersionGuid));
  }
  return el("hm:Contract", null, transportGuid(c.transportGuid), body);
}

function body(i: ImportContractInput, version: string): XNode {
  checkCount("importContractData", "Contract", i.contracts.length, 1, 100);
  const versionOf = (c: ContractInput): string | undefined => {
    const v =
      "place" in c ? undefined : "edit" in c ? c.edit : "approve" in c ? c.approve : "rollOver" in c ? c.rollOver : "terminate" in c ? c.terminate : c.annul;
    return v?.contractVersionGuid;
  };
  checkUnique("importContractData", "ContractVersionGUID", i.contracts.map(versionOf));
  return container("hm:importContractRequest", version, i.contracts.map(contract));
}

export const importContractData = defineMethod<ImportContractInput, ManagedDocumentData>({
  name: "importContractData",
  service: "house-management",
  element: "importContractRequest",
  versions: { "16.3.0.0": "11.9.0.1", "14.4.0.1": "11.9.0.1" },
  body,

  descriptor: {
    stage: "contracts",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "contract",
    files: true,
    batchSetting: null,
    defaultBatch: 100,
    safeToRepeat: false,
    // The services named in the objects are placed first; the exports link what GIS already has
    // (a placed document is edited, not placed again) and give the version GUID an edit must name.
    after: ["exportOrgRegistry", "importMunicipalServices", "importAdditionalServices", "exportCAChData", "exportStatusCAChData"],

    async select(ds, scope, mode, ctx) {
      return roleKeeps(ctx, "management") ? contractsToSend(ds, scope, mode, ["management"], ctx.stand) : [];
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
            return {
              transportGuid: b.transportGuid,
              terminate: { contractVersionGuid: d.versionGuid!, date: end.date, reason: end.reason as NsiRef, attachments: end.attachments },
            };
          }
          const head = {
            docNum: d.number!,
            signingDate: d.signedDate,
            effectiveDate: d.effectiveDate!,
            planDateCompletion: d.planDateCompletion!,
            party: d.party!,
            contractBase: d.contractBase!,
            attachments: d.attachments,
            ...(d.dates ? { dates: d.dates } : {}),
          };
          return d.versionGuid
            ? { transportGuid: b.transportGuid, edit: { ...head, contractVersionGuid: d.versionGuid, objects: objectChanges(d, b.transportGuid) } }
            : { transportGuid: b.transportGuid, place: { ...head, objects: managedObjects(d, b.transportGuid) } };
        }),
      };
    },

    async apply(em, answer, matched, ctx) {
      await writeOutcomes(em, Contract, matched, ctx, (r) =>
        documentState({
          guid: r.values.ContractGUID ?? r.guid,
          version: r.values.ContractVersionGUID,
          status: r.values.ContractStatus,
          state: r.values.State,
          versionNumber: r.values.VersionNumber,
        }),
      );
      for (const m of matched.filter((x) => x.result.errors.length === 0)) await linkObjects(em, m.objectId, objectVersions(answer, m.transportGuid), ctx);
    },

    reconcile: {
      method: exportCAChData.name,
      payload: (objects) => ({
        criteria: objects
          .filter((o) => o.data.uoGuid)
          .map((o) => ({ uoGuid: o.data.uoGuid!, fiasHouseGuid: o.data.houseFias }))
          .slice(0, 100),
      }),
      found(answer, objects) {
        const exported = exportedCACh(answer.result).filter((x) => x.kind === "contract" && x.status !== "Annul");
        const found = new Map<number, string>();
        for (const o of objects) {
          const hit = exported.find((x) => sameNumber(x.docNum, o.data.number) && (!x.signingDate || x.signingDate === o.data.signedDate));
          if (hit && (!o.data.versionGuid || hit.versionGuid !== o.data.versionGuid)) found.set(o.objectId, hit.guid);
        }
        return found;
      },
      // GIS's answer names the contract by ContractGUID (the stable one), as an ordinary answer does.
      result: (guid) => ({ guid, values: { ContractGUID: guid } }),
    },
  },
});
