/**
 * What the contract descriptors share: which kinds of contract an organization's role keeps in GIS,
 * which contracts a scope covers, the Russian rejection texts, and loading a contract with its
 * objects, services, houses and attachments in one go. A contract's GIS identity (and its objects')
 * is the run's stand's: contracts are loaded and selected for `ctx.stand`.
 */
import { DataSource } from "typeorm";
import { Attachment, Contract, ContractObject, ContractObjectService, ContractSubject, House, Premise, Room, Service } from "../../../../entities";
import { ContractKind } from "../../../../entities/contract";
import { AttachmentInput } from "../../../transport/messages/common";
import { Mode, Rejection, Scope, StageContext } from "../../../stages/descriptor";
import { byId, findIn, groupBy } from "../../../stages/load";
import { Label, formatProblem } from "../../../stages/preflight";
import { ids, whereNeedsSending, whereObjects } from "../../../stages/select";
import { AtStand, findAt, identityExpr, loadAt } from "../../../storage/identity/store";

/**
 * Contract kinds by role (the manual: УО keeps management contracts, ТСЖ/ЖК/ЖСК their charter,
 * РСО supply contracts; an РЦ or the IS operator sees every kind).
 */
const KINDS_OF_ROLE: Record<string, ContractKind[]> = {
  UO: ["management"],
  TSZH: ["charter"],
  TSG: ["charter"],
  ZHK: ["charter"],
  ZHSK: ["charter"],
  RSO: ["supply"],
  RC: ["management", "charter", "supply"],
  IS_OPERATOR: ["management", "charter", "supply"],
};

export function roleKeeps(ctx: StageContext, kind: ContractKind): boolean {
  return (KINDS_OF_ROLE[ctx.role] ?? []).includes(kind);
}

/** The management contracts and charters the role keeps (exportCAChData, exportStatusCAChData). */
export function managedKinds(ctx: StageContext): ContractKind[] {
  return (["management", "charter"] as const).filter((k) => roleKeeps(ctx, k));
}

/**
 * Rejection codes of the contracts stage beyond the shared PRE_ codes (same prefix, ≤ 20 characters):
 * PRE_CONTRACT_DATE — a date is missing or the dates contradict each other;
 * PRE_NO_OBJECTS — the contract has no house/premise; PRE_PARTY — the second party is missing;
 * PRE_NO_ATTACHMENT — the document's file is not in the GIS file store; PRE_NO_VERSION — GIS holds
 * the document but its last version GUID is not known yet (found by reconciling).
 */
export const CONTRACT_PRE = {
  noNumber: "PRE_NO_NUMBER",
  date: "PRE_CONTRACT_DATE",
  noObjects: "PRE_NO_OBJECTS",
  noFias: "PRE_NO_FIAS",
  noService: "PRE_NO_SERVICE",
  nsi: "PRE_NSI",
  party: "PRE_PARTY",
  orgGuid: "PRE_ORG_GUID",
  attachment: "PRE_NO_ATTACHMENT",
  parentGuid: "PRE_NO_PARENT_GUID",
  version: "PRE_NO_VERSION",
} as const;
type ContractPreCode = (typeof CONTRACT_PRE)[keyof typeof CONTRACT_PRE];

/** Problems of one object; its first one is what the user sees (GIS also answers one error per item). */
export class ContractChecks {
  private readonly found: Rejection[] = [];
  constructor(
    private readonly objectId: number,
    private readonly labels: Label[],
  ) {}

  fail(failed: boolean, code: ContractPreCode, field: string, problem: string): boolean {
    if (failed) this.found.push({ objectId: this.objectId, code, field, text: formatProblem(problem, this.labels) });
    return failed;
  }

  get ok(): boolean {
    return this.found.length === 0;
  }

  get first(): Rejection {
    return this.found[0];
  }
}

/** How messages name a contract: "Договор ресурсоснабжения: 1-РСО/2017 от 2017-02-28". */
export function contractLabel(c: Contract): Label {
  const what = c.kind === "supply" ? "Договор ресурсоснабжения" : c.kind === "charter" ? "Устав" : "Договор управления";
  const name = c.kind === "charter" ? `от ${c.signedDate ?? "—"}` : `${c.number ?? "без номера"}${c.signedDate ? ` от ${c.signedDate}` : ""}`;
  return [what, name];
}

/** Contracts of `kinds` of the organization in the scope (a contract, some houses, single contracts). */
export async function contractsInScope(ds: DataSource, scope: Scope, kinds: ContractKind[]): Promise<number[]> {
  if (kinds.length === 0) return [];
  const qb = ds
    .getRepository(Contract)
    .createQueryBuilder("c")
    .where("c.organizationId = :org", { org: scope.organizationId })
    .andWhere("c.kind IN (:...kinds)", { kinds });
  if (scope.contractId !== undefined) qb.andWhere("c.id = :cid", { cid: scope.contractId });
  if (scope.houseIds) {
    const objects = await findIn(ds, ContractObject, "houseId", scope.houseIds);
    const inHouses = [...new Set(objects.map((o) => o.contractId))];
    qb.andWhere("c.id IN (:...inHouses)", { inHouses: inHouses.length ? inHouses : [-1] });
  }
  return ids(whereObjects(qb, "c", scope), "c");
}

/** Contracts an import sends to `stand` in `mode`: never accepted or changed (push), or unknown to that stand (sync). */
export async function contractsToSend(ds: DataSource, scope: Scope, mode: Mode, kinds: ContractKind[], stand: string): Promise<number[]> {
  const inScope = await contractsInScope(ds, scope, kinds);
  if (inScope.length === 0) return [];
  const qb = ds.getRepository(Contract).createQueryBuilder("c").where("c.id IN (:...inScope)", { inScope });
  // A contract terminated or annulled before the stand ever had it is not worth placing.
  qb.andWhere(`NOT ((c.terminationDate IS NOT NULL OR c.annulmentReason IS NOT NULL) AND ${identityExpr(qb, "c", "gisContractGuid", stand)} IS NULL)`);
  return ids(whereNeedsSending(qb, "c", mode, "gisContractGuid", stand, scope), "c");
}

/** A contract object with what GIS needs of it. */
export interface LoadedObject {
  object: AtStand<"contract_object">;
  house: House | null;
  premise: Premise | null;
  room: Room | null;
  services: Array<{ link: ContractObjectService; service: Service }>;
}

export interface LoadedContract {
  contract: AtStand<"contract">;
  objects: LoadedObject[];
  subjects: Array<{ subject: ContractSubject; service: Service }>;
  /** Files of the document already in the GIS file store. */
  attachments: AttachmentInput[];
  /** Files attached but not uploaded to GIS yet. */
  notUploaded: number;
  /** The document a termination rests on (attachments of owner type "contract_termination"), uploaded ones. */
  terminationAttachments: AttachmentInput[];
}

const asInput = (f: Attachment): AttachmentInput => ({
  name: (f.name ?? f.fileName).slice(0, 1024),
  description: (f.description ?? f.name ?? f.fileName).slice(0, 500),
  guid: f.gisAttachmentGuid!,
  ...(f.hash ? { hash: f.hash } : {}),
});

/** Contracts with everything their messages need, by id; their and their objects' identity as `stand` knows it. */
export async function loadContracts(ds: DataSource, contractIds: number[], stand: string): Promise<Map<number, LoadedContract>> {
  const contracts = await loadAt(ds, "contract", contractIds, stand);
  const objects = await findAt(ds, "contract_object", "contractId", contractIds, stand);
  const links = await findIn(
    ds,
    ContractObjectService,
    "contractObjectId",
    objects.map((o) => o.id),
  );
  const subjects = await findIn(ds, ContractSubject, "contractId", contractIds);
  const services = await loadAt(ds, "service", [...links.map((l) => l.serviceId), ...subjects.map((s) => s.serviceId)], stand);
  const premises = await byId(
    ds,
    Premise,
    objects.map((o) => o.premiseId),
  );
  const rooms = await byId(
    ds,
    Room,
    objects.map((o) => o.roomId),
  );
  const houses = await byId(
    ds,
    House,
    objects.map((o) => o.houseId),
  );
  const files = await findAt(ds, "attachment", "ownerId", contractIds, stand, { ownerType: "contract" });
  const terminations = groupBy(await findAt(ds, "attachment", "ownerId", contractIds, stand, { ownerType: "contract_termination" }), (f) => f.ownerId);
  const linksOf = groupBy(links, (l) => l.contractObjectId);
  const objectsOf = groupBy(
    objects.sort((a, b) => a.id - b.id),
    (o) => o.contractId,
  );
  const subjectsOf = groupBy(
    subjects.sort((a, b) => a.id - b.id),
    (s) => s.contractId,
  );
  const filesOf = groupBy(
    files.sort((a, b) => a.id - b.id),
    (f) => f.ownerId,
  );
  const out = new Map<number, LoadedContract>();
  for (const c of contracts.values()) {
    const own = filesOf.get(c.id) ?? [];
    out.set(c.id, {
      contract: c,
      objects: (objectsOf.get(c.id) ?? []).map((o) => ({
        object: o,
        house: houses.get(o.houseId) ?? null,
        premise: o.premiseId !== null ? (premises.get(o.premiseId) ?? null) : null,
        room: o.roomId !== null ? (rooms.get(o.roomId) ?? null) : null,
        services: (linksOf.get(o.id) ?? []).filter((l) => services.has(l.serviceId)).map((l) => ({ link: l, service: services.get(l.serviceId)! })),
      })),
      subjects: (subjectsOf.get(c.id) ?? []).filter((s) => services.has(s.serviceId)).map((s) => ({ subject: s, service: services.get(s.serviceId)! })),
      attachments: own.filter((f) => f.gisAttachmentGuid).map(asInput),
      notUploaded: own.filter((f) => !f.gisAttachmentGuid).length,
      terminationAttachments: (terminations.get(c.id) ?? []).filter((f) => f.gisAttachmentGuid).map(asInput),
    });
  }
  return out;
}

/** The house a contract is looked up by in GIS (its first object's house with a FIAS GUID). */
export function lookupHouse(l: LoadedContract): string | null {
  return l.objects.map((o) => o.house?.fiasHouseGuid).find((g): g is string => !!g) ?? null;
}

/** A day of the month for GIS terms: 1..30, the 31st is "the last day" (-1). */
export const termDay = (d: number | null): number | null => (d === null || d < 1 ? null : d >= 31 ? -1 : d);

/** ISO dates compare as strings. */
export const before = (a: string | null, b: string | null): boolean => !!a && !!b && a < b;

/** Contract numbers compare without case and spaces. */
export const sameNumber = (a: string | null, b: string | null): boolean =>
  !!a && !!b && a.replace(/\s+/g, "").toLowerCase() === b.replace(/\s+/g, "").toLowerCase();
