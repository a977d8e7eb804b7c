/**
 * Management contracts (УО) and charters (ТСЖ, ЖК, ЖСК) as importContractData / importCharterData
 * send them, with GIS's demands checked first: number and dates, the second party, the basis
 * (НСИ 58), the document's file in the GIS file store, and every object a house by FIAS GUID with
 * the services provided there (the organization's НСИ 51 / НСИ 1 elements).
 */
import { DataSource, EntityManager } from "typeorm";
import { Contract, ContractObject, House, NsiItem } from "../../../../entities";
import { NsiRef } from "../../../transport/messages/common";
import { ContractDatesInput, ContractPartyInput, ContractServiceInput, ManagedObjectInput, MonthDay } from "./managed-body";
import { child, children, text } from "../../../transport/results/safe-xml";
import { lower } from "../../../stages/answer";
import { Rejection, StageContext } from "../../../stages/descriptor";
import { byId } from "../../../stages/load";
import { AtStand, loadAt } from "../../../storage/identity/store";
import { updateManyAt } from "../../../storage/identity/update";
import { acceptedState } from "../../../stages/outcome";
import { NSI, NsiIndex } from "../../../stages/nsi";
import { houseLabel } from "../../../stages/preflight";
import { nestedGuid } from "../../../stages/transport-guids";
import { StateAnswer } from "../../../stages/types";
import { CONTRACT_PRE, ContractChecks, LoadedContract, before, contractLabel, loadContracts, lookupHouse } from "./common";
import { NSI_REGISTRIES, managedService } from "./service-refs";

export interface ManagedObjectPart {
  key: string;
  fiasHouseGuid: string;
  startDate: string;
  endDate?: string;
  /** ContractObjectVersionGUID once GIS holds the object. */
  versionGuid: string | null;
  houseServices: ContractServiceInput[];
  addServices: ContractServiceInput[];
}

export interface ManagedDocumentData {
  number: string | null;
  signedDate: string;
  houseFias: string;
  /** Our organization's registry GUID (UOGUID of the reconcile export). */
  uoGuid: string | null;
  versionGuid: string | null;
  party: ContractPartyInput | null;
  contractBase: NsiRef | null;
  dates?: ContractDatesInput;
  attachments: LoadedContract["attachments"];
  effectiveDate: string | null;
  planDateCompletion: string | null;
  objects: ManagedObjectPart[];
  /** A placed document ended: terminated (date, reason, its document) or annulled (a reason). */
  end?: { kind: "terminate"; date: string; reason: NsiRef | string; attachments: LoadedContract["attachments"] } | { kind: "annul"; reason: string };
}

async function contractBases(ds: DataSource): Promise<NsiItem[]> {
  return ds.getRepository(NsiItem).find({ where: { registryNumber: NSI.contractBasis, isActual: true }, order: { code: "ASC" } });
}

/** НСИ 58: by the owners' meeting for contracts with owners, else the first element. */
function basisFor(bases: NsiItem[], owners: boolean): NsiRef | null {
  const pick = (owners ? bases.find((b) => /собрани/i.test(`${b.name ?? ""} ${b.fields ?? ""}`)) : undefined) ?? bases[0];
  return pick ? { code: pick.code, guid: pick.guid } : null;
}

type Orgs = Map<number, AtStand<"organization">>;

function partyOf(l: LoadedContract, orgs: Orgs): ContractPartyInput | "no-guid" | null {
  const c = l.contract;
  if (c.secondPartyKind === "owners" || c.secondPartyKind === "person") return { owners: true };
  if (!c.secondPartyKind) return null;
  const org = c.secondPartyOrganizationId !== null ? orgs.get(c.secondPartyOrganizationId) : undefined;
  const g = org?.gisOrgRootEntityGuid;
  if (!g) return "no-guid";
  return c.secondPartyKind === "municipality" ? { municipalHousing: g } : c.secondPartyKind === "developer" ? { buildingOwner: g } : { cooperative: g };
}

const day = (d: number, max: number): MonthDay => (d >= max + 1 || d >= 31 ? "last" : d);

/** Readings window and payment terms: GIS wants all three or none. */
function datesOf(l: LoadedContract): ContractDatesInput | undefined {
  const c = l.contract;
  if (c.readingsFromDay === null || c.readingsToDay === null || c.paymentDocumentDay === null || c.paymentDay === null) return undefined;
  return {
    metering: {
      start: day(c.readingsFromDay, 31),
      startNextMonth: c.readingsFromNextMonth,
      end: day(c.readingsToDay, 31),
      endNextMonth: c.readingsToNextMonth,
    },
    paymentDocument: { day: day(c.paymentDocumentDay, 30), nextMonth: c.paymentDocumentNextMonth },
    payment: { day: day(c.paymentDay, 30), nextMonth: c.paymentNextMonth },
  };
}

/** Checks a management contract or charter and builds what its request needs. */
function managedDocumentData(
  l: LoadedContract,
  nsi: NsiIndex,
  orgs: Orgs,
  bases: NsiItem[],
  uoGuid: string | null,
): { data: ManagedDocumentData } | { rejected: Rejection } {
  const c = l.contract;
  const charter = c.kind === "charter";
  const checks = new ContractChecks(c.id, [contractLabel(c), houseLabel(l.objects[0]?.house ?? null)]);
  const fail = checks.fail.bind(checks);
  const end = c.plannedEndDate;

  // GIS holds the document but its last version is not known (found by reconciling a lost answer):
  // an edit must name that version, and placing it again would make a second one — ask GIS first.
  if (c.gisContractGuid && !c.gisVersionGuid) {
    fail(
      true,
      CONTRACT_PRE.version,
      "gisVersionGuid",
      "Не известна текущая версия документа в ГИС ЖКХ: получите данные из ГИС ЖКХ (синхронизация) перед изменением",
    );
    return { rejected: checks.first };
  }
  if (c.gisVersionGuid && (c.annulmentReason || c.terminationDate)) {
    const ended = (end: NonNullable<ManagedDocumentData["end"]>) => ({
      data: {
        number: c.number,
        signedDate: c.signedDate ?? "",
        houseFias: lookupHouse(l) ?? "",
        uoGuid,
        versionGuid: c.gisVersionGuid,
        party: null,
        contractBase: null,
        attachments: [],
        effectiveDate: c.effectiveDate,
        planDateCompletion: c.plannedEndDate,
        objects: [],
        end,
      },
    });
    if (c.annulmentReason) return ended({ kind: "annul", reason: c.annulmentReason.slice(0, 1000) });
    if (charter) {
      fail(!c.terminationReason, CONTRACT_PRE.nsi, "terminationReason", "Не указана причина прекращения управления по уставу");
      return checks.ok
        ? ended({ kind: "terminate", date: c.terminationDate!, reason: c.terminationReason!.slice(0, 255), attachments: [] })
        : { rejected: checks.first };
    }
    const reason = nsi.byValue(NSI.contractTerminationReason, c.terminationReason) ?? nsi.byCode(NSI.contractTerminationReason, c.terminationReason);
    fail(!reason, CONTRACT_PRE.nsi, "terminationReason", `Не найдена причина расторжения «${c.terminationReason ?? ""}» в справочнике ГИС (НСИ 54)`);
    fail(
      l.terminationAttachments.length === 0,
      CONTRACT_PRE.attachment,
      "terminationAttachments",
      "Не приложен документ — основание расторжения договора (ГИС ЖКХ требует его)",
    );
    return checks.ok
      ? ended({ kind: "terminate", date: c.terminationDate!, reason: reason!, attachments: l.terminationAttachments })
      : { rejected: checks.first };
  }

  if (charter) {
    fail(!c.signedDate, CONTRACT_PRE.date, "signedDate", "Не указана дата регистрации товарищества (кооператива)");
  } else {
    fail(!c.number, CONTRACT_PRE.noNumber, "number", "Не указан номер договора");
    fail(!c.signedDate, CONTRACT_PRE.date, "signedDate", "Не указана дата заключения договора");
    fail(!c.effectiveDate, CONTRACT_PRE.date, "effectiveDate", "Не указана дата вступления договора в силу");
    fail(!end, CONTRACT_PRE.date, "plannedEndDate", "Не указана планируемая дата окончания договора");
    fail(before(c.effectiveDate, c.signedDate), CONTRACT_PRE.date, "effectiveDate", "Дата вступления в силу раньше даты заключения договора");
    fail(!!end && !before(c.effectiveDate, end), CONTRACT_PRE.date, "plannedEndDate", "Планируемая дата окончания договора не позже даты вступления в силу");
  }
  const party = charter ? null : partyOf(l, orgs);
  if (!charter) {
    fail(party === null, CONTRACT_PRE.party, "secondPartyKind", "Не указана вторая сторона договора");
    const org = c.secondPartyOrganizationId !== null ? orgs.get(c.secondPartyOrganizationId) : undefined;
    fail(
      party === "no-guid",
      CONTRACT_PRE.orgGuid,
      "secondPartyOrganizationId",
      `Отсутствует ГУИД второй стороны договора в реестре организаций ГИС (${org?.shortName ?? org?.fullName ?? "организация не указана"})`,
    );
  }
  const basis = charter ? null : basisFor(bases, c.secondPartyKind === "owners");
  if (!charter) fail(!basis, CONTRACT_PRE.nsi, "contractBase", "Не найдено основание заключения договора в справочнике ГИС (НСИ 58)");
  fail(
    l.attachments.length === 0,
    CONTRACT_PRE.attachment,
    "attachments",
    l.notUploaded > 0
      ? "Файл документа не загружен в файловое хранилище ГИС ЖКХ"
      : `Не приложен файл ${charter ? "устава" : "договора управления"} (ГИС ЖКХ требует его)`,
  );
  fail(l.objects.length === 0, CONTRACT_PRE.noObjects, "objects", "Не указан ни один объект жилищного фонда (дом), которым управляет организация");

  const objects: ManagedObjectPart[] = [];
  for (const o of l.objects) {
    const where = o !== l.objects[0] ? ` (${o.house?.address ?? ""})` : "";
    fail(!o.house?.fiasHouseGuid, CONTRACT_PRE.noFias, "objects.house.fiasHouseGuid", `Не указан ФИАС ГУИД дома объекта${where}`);
    const start = o.object.startDate ?? c.effectiveDate ?? c.signedDate;
    fail(!start, CONTRACT_PRE.date, "objects.startDate", `Не указана дата начала управления домом${where}`);
    // Objects list municipal (КУ) and additional services; housing services (НСИ 50) are not named there.
    const listed = o.services.filter((x) => x.service.kind === "municipal" || x.service.kind === "additional");
    fail(listed.length === 0, CONTRACT_PRE.noService, "objects.services", `У объекта не указано ни одной коммунальной или дополнительной услуги${where}`);
    const houseServices: ContractServiceInput[] = [];
    const addServices: ContractServiceInput[] = [];
    for (const { link, service } of listed) {
      const ref = managedService(nsi, service);
      fail(!ref, CONTRACT_PRE.nsi, "objects.services.service", `Услуга «${service.name}» не размещена в справочнике услуг организации (НСИ 51, НСИ 1)${where}`);
      const until = link.endDate ?? o.object.endDate ?? end;
      fail(!until, CONTRACT_PRE.date, "objects.services.endDate", `Не указана дата окончания оказания услуги «${service.name}»${where}`);
      if (ref && until) (ref.additional ? addServices : houseServices).push({ service: ref.ref, startDate: link.startDate, endDate: until });
    }
    if (o.house?.fiasHouseGuid && start) {
      objects.push({
        key: String(o.object.id),
        fiasHouseGuid: o.house.fiasHouseGuid,
        startDate: start,
        ...(o.object.endDate ? { endDate: o.object.endDate } : {}),
        versionGuid: o.object.gisObjectGuid,
        houseServices,
        addServices,
      });
    }
  }
  if (!checks.ok) return { rejected: checks.first };
  return {
    data: {
      number: c.number,
      signedDate: c.signedDate!,
      houseFias: lookupHouse(l)!,
      uoGuid,
      versionGuid: c.gisVersionGuid,
      party: party as ContractPartyInput | null,
      contractBase: basis,
      dates: datesOf(l),
      attachments: l.attachments,
      effectiveDate: c.effectiveDate,
      planDateCompletion: end,
      objects,
    },
  };
}

/** `prepare` of management contracts and charters: checked and built, or refused naming the field. */
export async function prepareManagedDocuments(
  ds: DataSource,
  contractIds: number[],
  ctx: StageContext,
): Promise<{ ready: Array<{ objectId: number; data: ManagedDocumentData }>; rejected: Rejection[] }> {
  const loaded = await loadContracts(ds, contractIds, ctx.stand);
  const orgs = await loadAt(ds, "organization", [ctx.organizationId, ...[...loaded.values()].map((l) => l.contract.secondPartyOrganizationId)], ctx.stand);
  const nsi = await NsiIndex.load(ds, [...NSI_REGISTRIES, NSI.contractTerminationReason], ctx.organizationId, ctx.stand);
  const bases = await contractBases(ds);
  const uoGuid = orgs.get(ctx.organizationId)?.gisOrgRootEntityGuid ?? null;
  const ready: Array<{ objectId: number; data: ManagedDocumentData }> = [];
  const rejected: Rejection[] = [];
  for (const l of loaded.values()) {
    const r = managedDocumentData(l, nsi, orgs, bases, uoGuid);
    if ("data" in r) ready.push({ objectId: l.contract.id, data: r.data });
    else rejected.push(r.rejected);
  }
  return { ready, rejected };
}

/** Objects of a new document, or the changes of an edit (new ones added, placed ones edited). */
export function managedObjects(d: ManagedDocumentData, transportGuid: string): ManagedObjectInput[] {
  return d.objects.map((o) => ({
    transportGuid: nestedGuid(transportGuid, `object/${o.key}`),
    fiasHouseGuid: o.fiasHouseGuid,
    startDate: o.startDate,
    ...(o.endDate ? { endDate: o.endDate } : {}),
    houseServices: o.houseServices,
    addServices: o.addServices,
  }));
}

export function objectChanges(d: ManagedDocumentData, transportGuid: string) {
  const inputs = managedObjects(d, transportGuid);
  return d.objects.map((o, i) => (o.versionGuid ? { edit: { ...inputs[i], versionGuid: o.versionGuid } } : { add: inputs[i] }));
}

/** The ContractObject versions of one result item (importContract / importCharter), by house FIAS GUID. */
export function objectVersions(answer: StateAnswer, transportGuid: string): Map<string, string> {
  const out = new Map<string, string>();
  const results = [answer.result, ...children(answer.result, "ImportResult")].flatMap((r) => children(r, "CommonResult"));
  const item = results.find((r) => lower(text(child(r, "TransportGUID"))) === transportGuid.toLowerCase());
  const body = item ? (child(item, "importContract") ?? child(item, "importCharter")) : null;
  for (const o of body ? children(body, "ContractObject") : []) {
    const fias = lower(text(child(o, "FIASHouseGuid")));
    const version = lower(text(child(o, "ContractObjectVersionGUID")));
    if (fias && version) out.set(fias, version);
  }
  return out;
}

const DOC_STATUSES = ["Project", "ApprovalProcess", "Rejected", "Approved", "Terminated", "Reviewed", "Annul"];
const DOC_STATES = ["Running", "NotRunning", "Expired"];

/** What GIS says of a management contract or charter, in the model's columns. */
export function documentState(values: {
  guid?: string | null;
  version?: string | null;
  status?: string | null;
  state?: string | null;
  versionNumber?: string | null;
}): Partial<Contract> {
  return {
    ...(values.guid ? { gisContractGuid: values.guid.toLowerCase(), gisRootGuid: values.guid.toLowerCase() } : {}),
    ...(values.version ? { gisVersionGuid: values.version.toLowerCase() } : {}),
    ...(values.status && DOC_STATUSES.includes(values.status) ? { gisStatus: values.status as Contract["gisStatus"] } : {}),
    ...(values.state && DOC_STATES.includes(values.state) ? { gisState: values.state as Contract["gisState"] } : {}),
    ...(values.versionNumber && /^\d+$/.test(values.versionNumber) ? { gisVersionNumber: Number(values.versionNumber) } : {}),
  };
}

/** Object version GUIDs onto our contract objects, by house, on the run's stand. */
export async function linkObjects(em: EntityManager, contractId: number, versions: Map<string, string>, ctx: StageContext): Promise<void> {
  if (versions.size === 0) return;
  const objects = await em.getRepository(ContractObject).find({ where: { contractId } });
  const houses = await byId(
    em,
    House,
    objects.map((o) => o.houseId),
  );
  const patches = objects.flatMap((o) => {
    const v = versions.get(houses.get(o.houseId)?.fiasHouseGuid?.toLowerCase() ?? "");
    return v ? [{ id: o.id, patch: { gisObjectGuid: v, sync: acceptedState(ctx) } }] : [];
  });
  await updateManyAt(em, ctx.stand, ContractObject, patches);
}
