/**
 * importSupplyResourceContractData (РСО): place a supply resource contract with its subjects and
 * objects (in 14.x the objects travel inside the contract: GIS refuses one without them), send a
 * changed one again as a new version, terminate one. GIS answers with ContractRootGUID (stays) and
 * ContractGUID (the version); accounts and meters refer to the contract by them afterwards.
 * Contracts are batched per house so an unknown outcome is reconciled by one export of that house.
 */
import { Contract, ContractObject } from "../../../entities";
import { Kid, XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { AttachmentInput, NsiRef, attachment, checkCount, checkUnique, container, flag, nsiRef, one, transportGuid } from "../../transport/messages/common";
import { lower } from "../../stages/answer";
import { Rejection } from "../../stages/descriptor";
import { findIn } from "../../stages/load";
import { NSI, NsiIndex } from "../../stages/nsi";
import { acceptedState, writeOutcomes } from "../../stages/outcome";
import { loadAt, markAt } from "../../storage/identity/store";
import { defineMethod } from "../method";
import { exportSupplyResourceContractData, exportedSupplyResourceContracts } from "./export-supply-resource-contract-data";
import { contractsToSend, loadContracts, roleKeeps, sameNumber } from "./contracts/common";
import { NSI_REGISTRIES } from "./contracts/service-refs";
import { SupplyContractData, supplyContractData, supplyContractItem } from "./contracts/supply-contract-message";
import { HeatingSystemInput, PlannedVolumeInput, heating, objectAddressHead, plannedVolume } from "./contracts/supply-body";

/** A person party of a supply contract (DRSOIndType: names, sex, birth, SNILS or an identity document, birthplace). */
export interface SupplyPersonInput {
  surname: string;
  firstName: string;
  patronymic?: string;
  sex?: "M" | "F";
  /** xs:date */
  dateOfBirth?: string;
  /** 11 digits. */
  snils?: string;
  /** Identity document, when there is no SNILS. */
  document?: { type: NsiRef; series?: string; number: string; issueDate: string };
  placeOfBirth?: string;
}

/** The consumer side of a resource supply contract: an organization by registry root GUID, a person, or not named. */
export type SupplyConsumerInput = { regOrg: string } | { person: SupplyPersonInput } | { noData: true };

export type SupplyPartyInput =
  | { offer: true }
  /** The managing organization (orgRootEntityGUID). */
  | { managingOrganization: string }
  | { apartmentBuildingOwner: SupplyConsumerInput }
  | { livingHouseOwner: SupplyConsumerInput }
  | { representativeOwner: SupplyConsumerInput }
  | { soleOwner: SupplyConsumerInput };

export interface SupplyContractSubjectInput {
  /** Also the PairKey objects' pairs refer to. */
  transportGuid: string;
  /** NSI 3 (вид коммунальной услуги). */
  serviceType: NsiRef;
  /** NSI 239 (тарифицируемый ресурс). */
  municipalResource: NsiRef;
  startSupplyDate: string;
  endSupplyDate?: string;
  plannedVolume?: PlannedVolumeInput;
}

export interface SupplyObjectAddressInput {
  transportGuid: string;
  houseType?: "MKD" | "ZHD" | "ZHDBlockZastroyki";
  fiasHouseGuid: string;
  apartmentNumber?: string;
  roomNumber?: string;
  /** 1..100 service/resource pairs supplied to the object, by the subject's TransportGUID (or GIS pair GUID). */
  pairs: Array<{ pairKey: string; startSupplyDate: string; endSupplyDate?: string; heatingSystem?: HeatingSystemInput }>;
  noConnectionToWaterSupply?: boolean;
  plannedVolumes?: Array<PlannedVolumeInput & { pairKey: string }>;
  /** R: the resource supplier charges, P: the managing organization. */
  countingResource?: "R" | "P";
  meteringDeviceInformation?: boolean;
}

/** A payment-related term: day (1..30, -1 = last day) of the current (C) or next (N) month. */
export interface TermDayInput {
  day: number;
  nextMonth: boolean;
}

export interface SupplyResourceContractInput {
  /** A signed paper contract (number, dates, scans required), or a public one (all optional). */
  document:
    | { kind: "contract"; number: string; signingDate: string; effectiveDate: string; attachments: AttachmentInput[] }
    | { kind: "public"; number?: string; signingDate?: string; effectiveDate?: string; attachments?: AttachmentInput[] };
  term: { indefinite: true } | { completionDate?: string; automaticRollOverOneYear?: boolean };
  /** Readings window for individual meters: start day 1..30, end day 1..30 or -1 (last day). */
  readingsPeriod?: { start: number; startNextMonth?: boolean; end: number; endNextMonth?: boolean };
  indicationsAnyDay?: boolean;
  /** NSI 58. */
  contractBase?: NsiRef[];
  party: SupplyPartyInput;
  isPlannedVolume: boolean;
  plannedVolumeType?: "D" | "O";
  /** 1..100 subjects (service + resource). */
  subjects: SupplyContractSubjectInput[];
  countingResource?: "R" | "P";
  /** D: quality indicators per contract, O: per object. */
  specifyingQualityIndicators: "D" | "O";
  noConnectionToWaterSupply?: boolean;
  /** 0..15000 objects (houses, premises) the resource is supplied to. */
  objects?: SupplyObjectAddressInput[];
  billingDate?: TermDayInput;
  paymentDate?: TermDayInput;
  providingInformationDate?: TermDayInput;
  meteringDeviceInformation?: boolean;
  volumeDepends?: boolean;
  oneTimePayment?: boolean;
  accrualProcedure?: "D" | "O";
}

export type SupplyResourceContractImportInput = {
  transportGuid: string;
  /** The contract's last version GUID (changes), or its root GUID. */
  contractGuid?: string;
  contractRootGuid?: string;
} & (
  | { contract: SupplyResourceContractInput }
  /** reason: NSI 54. */
  | { terminate: { date: string; reason: NsiRef } }
  | { rollOver: { date: string } }
  | { annul: { reason: string } }
);

export interface ImportSupplyResourceContractInput {
  /** 1..1000 contracts. */
  contracts: SupplyResourceContractImportInput[];
}

function drsoPerson(p: SupplyPersonInput): Kid[] {
  return [
    leaf("hm:Surname", p.surname),
    leaf("hm:FirstName", p.firstName),
    opt("hm:Patronymic", p.patronymic),
    opt("hm:Sex", p.sex),
    opt("hm:DateOfBirth", p.dateOfBirth),
    one(
      "ДРСО: СНИЛС или документ физического лица",
      p.snils
        ? leaf("ind-base:SNILS", p.snils)
        : p.document
          ? el(
              "ind-base:ID",
              null,
              nsiRef("ind-base:Type", p.document.type),
              opt("ind-base:Series", p.document.series),
              leaf("ind-base:Number", p.document.number),
              leaf("ind-base:IssueDate", p.document.issueDate),
            )
          : null,
    ),
    opt("hm:PlaceBirth", p.placeOfBirth),
  ];
}

function consumer(name: string, c: SupplyConsumerInput): XNode {
  return el(
    name,
    null,
    "regOrg" in c
      ? el("hm:RegOrg", null, leaf("hm:orgRootEntityGUID", c.regOrg))
      : "person" in c
        ? el("hm:Ind", null, drsoPerson(c.person))
        : leaf("hm:NoData", "true"),
  );
}

function supplyParty(p: SupplyPartyInput): XNode {
  if ("offer" in p) return leaf("hm:Offer", "true");
  if ("managingOrganization" in p) return el("hm:Organization", null, leaf("org-reg-base:orgRootEntityGUID", p.managingOrganization));
  if ("apartmentBuildingOwner" in p) return consumer("hm:ApartmentBuildingOwner", p.apartmentBuildingOwner);
  if ("livingHouseOwner" in p) return consumer("hm:LivingHouseOwner", p.livingHouseOwner);
  if ("representativeOwner" in p) return consumer("hm:ApartmentBuildingRepresentativeOwner", p.representativeOwner);
  return consumer("hm:ApartmentBuildingSoleOwner", p.soleOwner);
}

function supplyObject(o: SupplyObjectAddressInput): XNode {
  checkCount("importSupplyResourceContractData", "Pair", o.pairs.length, 1, 100);
  return el(
    "hm:ObjectAddress",
    null,
    objectAddressHead(o),
    transportGuid(o.transportGuid),
    o.pairs.map((p) =>
      el(
        "hm:Pair",
        null,
        leaf("hm:PairKey", p.pairKey),
        leaf("hm:StartSupplyDate", p.startSupplyDate),
        opt("hm:EndSupplyDate", p.endSupplyDate),
        heating(p.heatingSystem),
      ),
    ),
    flag("hm:NoConnectionToWaterSupply", o.noConnectionToWaterSupply),
    (o.plannedVolumes ?? []).map((v) => plannedVolume("hm:PlannedVolume", v, v.pairKey)),
    opt("hm:CountingResource", o.countingResource),
    o.meteringDeviceInformation === undefined ? null : leaf("hm:MeteringDeviceInformation", o.meteringDeviceInformation),
  );
}

function termDay(name: string, t: TermDayInput | undefined): XNode | null {
  if (!t) return null;
  if (!Number.isInteger(t.day) || t.day < -1 || t.day > 30 || t.day === 0)
    throw new Error(`importSupplyResourceContractData: ${name.slice(3)} — день от 1 до 30 или -1`);
  return el(name, null, leaf("hm:Date", t.day), leaf("hm:DateType", t.nextMonth ? "N" : "C"));
}

function supplyResourceContract(c: SupplyResourceContractInput): XNode {
  const op = "importSupplyResourceContractData";
  const d = c.document;
  checkCount(op, "ContractSubject", c.subjects.length, 1, 100);
  checkCount(op, "ObjectAddress", c.objects?.length ?? 0, 0, 15000);
  checkCount(op, "ContractAttachment", d.attachments?.length ?? 0, d.kind === "contract" ? 1 : 0, 100);
  const rp = c.readingsPeriod;
  return el(
    "hm:SupplyResourceContract",
    null,
    el(
      d.kind === "contract" ? "hm:IsContract" : "hm:IsNotContract",
      null,
      opt("hm:ContractNumber", d.number),
      opt("hm:SigningDate", d.signingDate),
      opt("hm:EffectiveDate", d.effectiveDate),
      (d.attachments ?? []).map((a) => attachment("hm:ContractAttachment", a)),
    ),
    "indefinite" in c.term
      ? leaf("hm:IndefiniteTerm", "true")
      : [flag("hm:AutomaticRollOverOneYear", c.term.automaticRollOverOneYear), opt("hm:ComptetionDate", c.term.completionDate)],
    rp
      ? el(
          "hm:Period",
          null,
          el("hm:Start", null, leaf("hm:StartDate", rp.start), flag("hm:NextMonth", rp.startNextMonth)),
          el("hm:End", null, leaf("hm:EndDate", rp.end), flag("hm:NextMonth", rp.endNextMonth)),
        )
      : null,
    flag("hm:IndicationsAnyDay", c.indicationsAnyDay),
    (c.contractBase ?? []).map((b) => nsiRef("hm:ContractBase", b)),
    supplyParty(c.party),
    leaf("hm:IsPlannedVolume", c.isPlannedVolume),
    opt("hm:PlannedVolumeType", c.plannedVolumeType),
    c.subjects.map((s) =>
      el(
        "hm:ContractSubject",
        null,
        nsiRef("hm:ServiceType", s.serviceType),
        nsiRef("hm:MunicipalResource", s.municipalResource),
        leaf("hm:StartSupplyDate", s.startSupplyDate),
        opt("hm:EndSupplyDate", s.endSupplyDate),
        s.plannedVolume ? plannedVolume("hm:PlannedVolume", s.plannedVolume) : null,
        transportGuid(s.transportGuid),
      ),
    ),
    opt("hm:CountingResource", c.countingResource),
    leaf("hm:SpecifyingQualityIndicators", c.specifyingQualityIndicators),
    flag("hm:NoConnectionToWaterSupply", c.noConnectionToWaterSupply),
    (c.objects ?? []).map(supplyObject),
    termDay("hm:BillingDate", c.billingDate),
    termDay("hm:PaymentDate", c.paymentDate),
    termDay("hm:ProvidingInformationDate", c.providingInformationDate),
    c.meteringDeviceInformation === undefined ? null : leaf("hm:MeteringDeviceInformation", c.meteringDeviceInformation),
    c.volumeDepends === undefined ? null : leaf("hm:VolumeDepends", c.volumeDepends),
    c.oneTimePayment === undefined ? null : leaf("hm:OneTimePayment", c.oneTimePayment),
    opt("hm:AccrualProcedure", c.accrualProcedure),
  );
}

function body(i: ImportSupplyResourceContractInput, version: string): XNode {
  checkCount("importSupplyResourceContractData", "Contract", i.contracts.length, 1, 1000);
  checkUnique(
    "importSupplyResourceContractData",
    "ContractGUID",
    i.contracts.map((c) => c.contractGuid),
  );
  checkUnique(
    "importSupplyResourceContractData",
    "ContractRootGUID",
    i.contracts.map((c) => c.contractRootGuid),
  );
  return container(
    "hm:importSupplyResourceContractRequest",
    version,
    i.contracts.map((c) => {
      if (c.contractGuid && c.contractRootGuid) throw new Error("importSupplyResourceContractData: укажите contractGuid либо contractRootGuid");
      return el(
        "hm:Contract",
        null,
        transportGuid(c.transportGuid),
        c.contractGuid ? leaf("hm:ContractGUID", c.contractGuid) : opt("hm:ContractRootGUID", c.contractRootGuid),
        "contract" in c
          ? supplyResourceContract(c.contract)
          : "terminate" in c
            ? el("hm:TerminateContract", null, leaf("hm:Terminate", c.terminate.date), nsiRef("hm:ReasonRef", c.terminate.reason))
            : "rollOver" in c
              ? el("hm:RollOverContract", null, leaf("hm:RollOverDate", c.rollOver.date))
              : el("hm:AnnulmentContract", null, leaf("hm:ReasonOfAnnulment", c.annul.reason)),
      );
    }),
  );
}

export const importSupplyResourceContractData = defineMethod<ImportSupplyResourceContractInput, SupplyContractData>({
  name: "importSupplyResourceContractData",
  service: "house-management",
  element: "importSupplyResourceContractRequest",
  versions: { "16.3.0.0": "11.3.0.5", "14.4.0.1": "11.3.0.5" },
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
    // Services placed first; the export links the contracts GIS already has, so only the missing ones are placed.
    after: ["exportOrgRegistry", "importMunicipalServices", "exportSupplyResourceContractData"],

    async select(ds, scope, mode, ctx) {
      return roleKeeps(ctx, "supply") ? contractsToSend(ds, scope, mode, ["supply"], ctx.stand) : [];
    },

    async prepare(ds, contractIds, ctx) {
      const loaded = await loadContracts(ds, contractIds, ctx.stand);
      const orgs = await loadAt(
        ds,
        "organization",
        [...loaded.values()].map((l) => l.contract.secondPartyOrganizationId),
        ctx.stand,
      );
      const nsi = await NsiIndex.load(ds, [...NSI_REGISTRIES, NSI.contractTerminationReason], ctx.organizationId, ctx.stand);
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
      const contracts = await loadAt(
        em,
        "contract",
        matched.map((m) => m.objectId),
        ctx.stand,
      );
      const today = ctx.now.toISOString().slice(0, 10);
      await writeOutcomes(em, Contract, matched, ctx, (r, m) => {
        const c = contracts.get(m.objectId);
        // Placed on this stand before the answer: the change was an annulment or a termination.
        const placed = !!(c?.gisVersionGuid ?? c?.gisRootGuid);
        const annulled = !!c?.annulmentReason && placed;
        const terminated = !annulled && !!c?.terminationDate && placed;
        const root = lower(r.values.ContractRootGUID ?? null);
        const version = lower(r.values.ContractGUID ?? r.guid);
        return {
          ...(root ? { gisContractGuid: root, gisRootGuid: root } : {}),
          // A contract found by reconciling comes with its root GUID only: the version we held is
          // no longer the last one, so it is cleared (changes then name the root; the export refreshes it).
          ...(version ? { gisVersionGuid: version } : root ? { gisVersionGuid: null } : {}),
          // What GIS gives the accepted version; the export refreshes status and state.
          gisStatus: annulled ? ("Annul" as const) : terminated ? ("Terminated" as const) : ("Posted" as const),
          gisState:
            annulled || terminated ? ("Expired" as const) : c?.effectiveDate && c.effectiveDate > today ? ("NotTakeEffect" as const) : ("Proceed" as const),
        };
      });
      // The objects travelled inside the contract: they are placed with it.
      const accepted = matched.filter((m) => m.result.errors.length === 0).map((m) => m.objectId);
      const objects = await findIn(em, ContractObject, "contractId", accepted);
      await markAt(
        em,
        ctx.stand,
        "contract_object",
        objects.map((o) => o.id),
        acceptedState(ctx),
      );
    },

    reconcile: {
      method: exportSupplyResourceContractData.name,
      payload: (objects) => ({ fiasHouseGuid: objects[0].data.houseFias }),
      found(answer, objects) {
        const exported = exportedSupplyResourceContracts(answer.result).contracts.filter((x) => x.versionStatus !== "Annul");
        const found = new Map<number, string>();
        for (const o of objects) {
          const d = o.data;
          const hit = exported.find((x) =>
            d.rootGuid ? x.rootGuid === d.rootGuid : sameNumber(x.contractNumber, d.number) && (!x.signingDate || x.signingDate === d.signedDate),
          );
          // A placement went through when GIS holds the contract; a change when GIS holds a version
          // other than the one it was made from (made from an unknown version: sent again).
          if (hit && (d.versionGuid ? hit.versionGuid !== d.versionGuid : !d.rootGuid)) found.set(o.objectId, hit.rootGuid);
        }
        return found;
      },
      // The export names the contract by its root GUID: it lands where an ordinary answer's
      // ContractRootGUID does (gisContractGuid, gisRootGuid), never in the version column.
      result: (root) => ({ guid: null, values: { ContractRootGUID: root } }),
    },
  },
});
