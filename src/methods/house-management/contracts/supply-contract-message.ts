/**
 * A supply resource contract (ДРСО) of the model as importSupplyResourceContractData sends it, with
 * the pre-flight checks GIS's rules call for: number and dates, the second party, at least one
 * subject (municipal service + resource) and one object (a house by FIAS GUID, or a premise/room in
 * it) with the subjects it is supplied with. Subjects and objects get TransportGUIDs derived from the
 * contract's own, so a resend builds the same request.
 */
import type { AtStand } from "../../../storage/identity/store";
import { NsiRef } from "../../../transport/messages/common";
import type { SupplyPartyInput, SupplyResourceContractImportInput, SupplyResourceContractInput } from "../import-supply-resource-contract-data";
import { Rejection } from "../../../stages/descriptor";
import { NSI, NsiIndex } from "../../../stages/nsi";
import { houseLabel } from "../../../stages/preflight";
import { nestedGuid } from "../../../stages/transport-guids";
import { CONTRACT_PRE, ContractChecks, LoadedContract, before, contractLabel, lookupHouse, termDay } from "./common";
import { commonMunicipalService, municipalResource } from "./service-refs";

interface SubjectPart {
  key: string;
  serviceType: NsiRef;
  municipalResource: NsiRef;
  start: string;
  end: string | null;
}

interface ObjectPart {
  key: string;
  objectId: number;
  houseType: "MKD" | "ZHD";
  fiasHouseGuid: string;
  apartmentNumber?: string;
  roomNumber?: string;
  pairs: Array<{ subjectKey: string; start: string; end: string | null }>;
}

export interface SupplyContractData {
  number: string;
  signedDate: string;
  /** FIAS GUID of the first object's house: the batch key and the reconcile export's filter. */
  houseFias: string;
  /** The version GIS holds now, when the contract is placed already (a change, or a termination). */
  versionGuid: string | null;
  /** The contract's root GUID once placed: changes name it when the last version is not known. */
  rootGuid: string | null;
  objectIds: number[];
  change:
    | { kind: "contract"; head: Omit<SupplyResourceContractInput, "subjects" | "objects">; subjects: SubjectPart[]; objects: ObjectPart[] }
    | { kind: "terminate"; date: string; reason: NsiRef }
    | { kind: "annul"; reason: string };
}

function party(l: LoadedContract, orgs: Map<number, AtStand<"organization">>, zhd: boolean): SupplyPartyInput | null {
  const c = l.contract;
  const owner = (x: { regOrg: string } | { noData: true }): SupplyPartyInput => (zhd ? { livingHouseOwner: x } : { apartmentBuildingOwner: x });
  if (c.secondPartyKind === "owners" || c.secondPartyKind === "person") return owner({ noData: true });
  const org = c.secondPartyOrganizationId !== null ? orgs.get(c.secondPartyOrganizationId) : undefined;
  if (!org?.gisOrgRootEntityGuid) return null;
  return org.role === "UO" || org.isManagingCompany ? { managingOrganization: org.gisOrgRootEntityGuid } : owner({ regOrg: org.gisOrgRootEntityGuid });
}

/** Checks one contract and builds what its request item needs; a rejection names the contract and the field. */
export function supplyContractData(
  l: LoadedContract,
  nsi: NsiIndex,
  orgs: Map<number, AtStand<"organization">>,
): { data: SupplyContractData } | { rejected: Rejection } {
  const c = l.contract;
  const fias = lookupHouse(l);
  const firstHouse = l.objects[0]?.house ?? null;
  const checks = new ContractChecks(c.id, [contractLabel(c), houseLabel(firstHouse)]);
  const fail = checks.fail.bind(checks);
  const done = () => (checks.ok ? null : { rejected: checks.first });

  fail(!c.number, CONTRACT_PRE.noNumber, "number", "Не указан номер договора");
  fail(!c.signedDate, CONTRACT_PRE.date, "signedDate", "Не указана дата заключения договора");
  fail(!c.effectiveDate, CONTRACT_PRE.date, "effectiveDate", "Не указана дата вступления договора в силу");
  fail(before(c.effectiveDate, c.signedDate), CONTRACT_PRE.date, "effectiveDate", "Дата вступления в силу раньше даты заключения договора");
  fail(
    !!c.plannedEndDate && !before(c.effectiveDate, c.plannedEndDate),
    CONTRACT_PRE.date,
    "plannedEndDate",
    "Дата окончания договора не позже даты вступления в силу",
  );
  if (
    fail(
      l.objects.length === 0,
      CONTRACT_PRE.noObjects,
      "objects",
      "В договоре нет ни одного объекта жилищного фонда (ГИС ЖКХ принимает договор ресурсоснабжения только с объектами)",
    )
  )
    return done()!;
  for (const o of l.objects) {
    // The label names the first object's house; another object's house is named in the text.
    const other = o !== l.objects[0] ? ` (${o.house?.address ?? ""})` : "";
    fail(!o.house?.fiasHouseGuid, CONTRACT_PRE.noFias, "objects.house.fiasHouseGuid", `Не указан ФИАС ГУИД дома объекта договора${other}`);
    fail(
      o.premise !== null && !o.premise.number,
      CONTRACT_PRE.noNumber,
      "objects.premise.number",
      `Не указан номер помещения объекта договора (${o.house?.address ?? ""})`,
    );
  }

  const placedAs = (change: SupplyContractData["change"]): { data: SupplyContractData } => ({
    data: {
      number: c.number!,
      signedDate: c.signedDate!,
      houseFias: fias!,
      versionGuid: c.gisVersionGuid,
      rootGuid: c.gisRootGuid,
      objectIds: l.objects.map((o) => o.object.id),
      change,
    },
  });
  const placed = !!(c.gisVersionGuid ?? c.gisRootGuid);
  if (c.annulmentReason && placed) {
    // Placed by mistake: annulled in GIS with the reason (no dictionary for it).
    return done() ?? placedAs({ kind: "annul", reason: c.annulmentReason.slice(0, 1000) });
  }
  if (c.terminationDate && placed) {
    // Placed and now terminated: GIS wants the date and a reason from НСИ 54.
    const reason = nsi.byValue(NSI.contractTerminationReason, c.terminationReason) ?? nsi.byCode(NSI.contractTerminationReason, c.terminationReason);
    fail(!reason, CONTRACT_PRE.nsi, "terminationReason", `Не найдена причина расторжения «${c.terminationReason ?? ""}» в справочнике ГИС (НСИ 54)`);
    return done() ?? placedAs({ kind: "terminate", date: c.terminationDate, reason: reason! });
  }

  // Subjects: the contract's own, or every municipal service its objects get.
  const subjects: SubjectPart[] = [];
  const subjectOf = new Map<number, SubjectPart>();
  const addSubject = (
    serviceId: number,
    serviceName: string,
    service: Parameters<typeof commonMunicipalService>[1],
    start: string | null,
    end: string | null,
    own?: { municipalResourceGuid: string | null; municipalResourceCode: string | null },
  ) => {
    const type = commonMunicipalService(nsi, service);
    const resource = municipalResource(nsi, service, own);
    fail(!type, CONTRACT_PRE.nsi, "subjects.service", `Услуга «${serviceName}» не сопоставлена с коммунальной услугой справочника ГИС (НСИ 3)`);
    fail(!resource, CONTRACT_PRE.nsi, "subjects.municipalResource", `Не найден коммунальный ресурс услуги «${serviceName}» в справочнике ГИС (НСИ 2)`);
    if (!type || !resource) return;
    const part: SubjectPart = { key: String(serviceId), serviceType: type, municipalResource: resource, start: start ?? c.effectiveDate ?? "", end };
    subjects.push(part);
    subjectOf.set(serviceId, part);
  };
  if (l.subjects.length > 0) {
    for (const s of l.subjects) addSubject(s.service.id, s.service.name, s.service, s.subject.startDate, s.subject.endDate, s.subject);
  } else {
    const byService = new Map<
      number,
      { name: string; service: Parameters<typeof commonMunicipalService>[1]; start: string; end: string | null; open: boolean }
    >();
    for (const o of l.objects) {
      for (const { link, service } of o.services.filter((x) => x.service.kind === "municipal")) {
        const seen = byService.get(service.id);
        if (!seen) byService.set(service.id, { name: service.name, service, start: link.startDate, end: link.endDate, open: link.endDate === null });
        else {
          if (link.startDate < seen.start) seen.start = link.startDate;
          if (link.endDate === null) seen.open = true;
          else if (!seen.end || link.endDate > seen.end) seen.end = link.endDate;
        }
      }
    }
    for (const [id, s] of [...byService].sort((a, b) => a[0] - b[0])) addSubject(id, s.name, s.service, s.start, s.open ? null : s.end);
  }
  fail(subjects.length === 0 && checks.ok, CONTRACT_PRE.noService, "subjects", "В договоре нет ни одного предмета — коммунальной услуги с ресурсом");
  fail(subjects.length > 100, CONTRACT_PRE.noService, "subjects", "В договоре больше 100 предметов (ГИС ЖКХ принимает не более 100)");

  const indefinite = !c.plannedEndDate;
  const objects: ObjectPart[] = [];
  for (const o of l.objects) {
    const municipal = o.services.filter((x) => x.service.kind === "municipal");
    const where = o.premise ? `помещение ${o.premise.number ?? ""}, ${o.house?.address ?? ""}` : (o.house?.address ?? "");
    fail(municipal.length === 0, CONTRACT_PRE.noService, "objects.services", `У объекта договора не указано ни одной коммунальной услуги (${where})`);
    const missing = municipal.find((x) => !subjectOf.has(x.service.id));
    fail(
      !!missing && l.subjects.length > 0,
      CONTRACT_PRE.noService,
      "objects.services",
      `Услуга «${missing?.service.name ?? ""}» объекта не входит в предметы договора (${where})`,
    );
    if (!o.house?.fiasHouseGuid) continue;
    objects.push({
      key: String(o.object.id),
      objectId: o.object.id,
      houseType: o.house.houseType === "ZHD" ? "ZHD" : "MKD",
      fiasHouseGuid: o.house.fiasHouseGuid,
      ...(o.premise?.number ? { apartmentNumber: o.premise.number } : {}),
      ...(o.room?.number ? { roomNumber: o.room.number } : {}),
      pairs: municipal
        .filter((x) => subjectOf.has(x.service.id))
        .map((x) => ({
          subjectKey: String(x.service.id),
          start: x.link.startDate,
          end: indefinite ? null : (x.link.endDate ?? c.plannedEndDate),
        })),
    });
  }

  const p = party(l, orgs, firstHouse?.houseType === "ZHD");
  if (!c.secondPartyKind) fail(true, CONTRACT_PRE.party, "secondPartyKind", "Не указана вторая сторона договора");
  else {
    const org = c.secondPartyOrganizationId !== null ? orgs.get(c.secondPartyOrganizationId) : undefined;
    fail(
      !p,
      CONTRACT_PRE.orgGuid,
      "secondPartyOrganizationId",
      `Отсутствует ГУИД второй стороны договора в реестре организаций ГИС (${org?.shortName ?? org?.fullName ?? "организация не указана"})`,
    );
  }
  fail(
    !c.isPublic && l.attachments.length === 0,
    CONTRACT_PRE.attachment,
    "attachments",
    l.notUploaded > 0
      ? "Файл договора не загружен в файловое хранилище ГИС ЖКХ"
      : "Не приложен файл договора (ГИС ЖКХ требует его для договора, не являющегося публичным)",
  );
  const rejected = done();
  if (rejected) return rejected;

  const reading =
    c.readingsFromDay !== null && c.readingsToDay !== null
      ? {
          start: Math.min(Math.max(c.readingsFromDay, 1), 30),
          ...(c.readingsFromNextMonth ? { startNextMonth: true } : {}),
          end: termDay(c.readingsToDay)!,
          ...(c.readingsToNextMonth ? { endNextMonth: true } : {}),
        }
      : undefined;
  const term = (day: number | null, nextMonth: boolean) => (termDay(day) === null ? undefined : { day: termDay(day)!, nextMonth });
  const direct = c.secondPartyKind === "owners" || c.secondPartyKind === "person";
  const head: Omit<SupplyResourceContractInput, "subjects" | "objects"> = {
    document: c.isPublic
      ? {
          kind: "public",
          number: c.number!,
          signingDate: c.signedDate!,
          effectiveDate: c.effectiveDate!,
          ...(l.attachments.length ? { attachments: l.attachments } : {}),
        }
      : { kind: "contract", number: c.number!, signingDate: c.signedDate!, effectiveDate: c.effectiveDate!, attachments: l.attachments },
    term: indefinite ? { indefinite: true } : { completionDate: c.plannedEndDate! },
    ...(reading ? { readingsPeriod: reading, meteringDeviceInformation: true } : {}),
    party: p!,
    isPlannedVolume: false,
    // The РСО itself places charges for owners it supplies directly.
    ...(direct ? { countingResource: "R" as const } : {}),
    specifyingQualityIndicators: "D",
    ...(term(c.paymentDocumentDay, c.paymentDocumentNextMonth) ? { billingDate: term(c.paymentDocumentDay, c.paymentDocumentNextMonth) } : {}),
    ...(term(c.paymentDay, c.paymentNextMonth) ? { paymentDate: term(c.paymentDay, c.paymentNextMonth) } : {}),
    ...(term(c.paymentInfoDay, true) ? { providingInformationDate: term(c.paymentInfoDay, true) } : {}),
  };
  return {
    data: {
      number: c.number!,
      signedDate: c.signedDate!,
      houseFias: fias!,
      versionGuid: c.gisVersionGuid,
      rootGuid: c.gisRootGuid,
      objectIds: l.objects.map((o) => o.object.id),
      change: { kind: "contract", head, subjects: subjects.map((s) => (indefinite ? { ...s, end: null } : s)), objects },
    },
  };
}

/** The request item: nested TransportGUIDs derive from the item's, pairs point at their subject's. */
export function supplyContractItem(d: SupplyContractData, transportGuid: string): SupplyResourceContractImportInput {
  const version = d.versionGuid ? { contractGuid: d.versionGuid } : d.rootGuid ? { contractRootGuid: d.rootGuid } : {};
  if (d.change.kind === "terminate") return { transportGuid, ...version, terminate: { date: d.change.date, reason: d.change.reason } };
  if (d.change.kind === "annul") return { transportGuid, ...version, annul: { reason: d.change.reason } };
  const subjectGuid = (key: string) => nestedGuid(transportGuid, `subject/${key}`);
  const ch = d.change;
  return {
    transportGuid,
    ...version,
    contract: {
      ...ch.head,
      subjects: ch.subjects.map((s) => ({
        transportGuid: subjectGuid(s.key),
        serviceType: s.serviceType,
        municipalResource: s.municipalResource,
        startSupplyDate: s.start,
        ...(s.end ? { endSupplyDate: s.end } : {}),
      })),
      objects: ch.objects.map((o) => ({
        transportGuid: nestedGuid(transportGuid, `object/${o.key}`),
        houseType: o.houseType,
        fiasHouseGuid: o.fiasHouseGuid,
        ...(o.apartmentNumber ? { apartmentNumber: o.apartmentNumber } : {}),
        ...(o.roomNumber ? { roomNumber: o.roomNumber } : {}),
        pairs: o.pairs.map((p) => ({ pairKey: subjectGuid(p.subjectKey), startSupplyDate: p.start, ...(p.end ? { endSupplyDate: p.end } : {}) })),
      })),
    },
  };
}
