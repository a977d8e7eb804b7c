/**
 * Which entity field each gis_identity column holds, per kind (the object's table). The code reads
 * and writes identity under the entity's own names (account.gisAccountGuid, house.gisUniqueNumber…)
 * on objects loaded for a stand (./store.ts); this map is the only place that knows the columns.
 */
import type {
  Account,
  Acknowledgment,
  Attachment,
  Contract,
  ContractObject,
  Entrance,
  GisUnusedObject,
  House,
  Meter,
  MeterReading,
  Organization,
} from "../../../entities";
import type { Payment, PaymentDocument, Premise, Room, Service } from "../../../entities";
import type { ContractGisState, ContractGisStatus } from "../../../entities/contract";
import type { AcknowledgmentState } from "../../../entities/acknowledgment";
import type { GisIdentity } from "../../../entities/gis-identity";

export type IdentityColumn = Exclude<keyof GisIdentity, "objectType" | "objectId" | "stand" | SyncColumn>;
export const SYNC_COLUMNS = ["status", "errorCode", "errorText", "transportGuid", "lastOperationId", "syncedAt"] as const;
export type SyncColumn = (typeof SYNC_COLUMNS)[number];

type Guid = string | null;

/** The identity fields of each kind, as the code names them. */
export interface Identities {
  house: { gisHouseGuid: Guid; gisUniqueNumber: string | null };
  entrance: { gisGuid: Guid };
  premise: { gisGuid: Guid; gisUniqueNumber: string | null };
  room: { gisGuid: Guid; gisUniqueNumber: string | null };
  account: {
    gisAccountGuid: Guid;
    /** ЕЛС — единый лицевой счёт. */
    unifiedNumber: string | null;
    /** ИЖКУ — идентификатор жилищно-коммунальной услуги (GIS ServiceID). */
    utilityServiceId: string | null;
    /** GIS holds the account closed (our close was accepted): opening it again places it anew («Открыть новые»). */
    gisClosed: boolean;
  };
  /** gisArchived: GIS holds the meter archived (its export says so, or our archive was accepted there). */
  meter: { gisRootGuid: Guid; gisVersionGuid: Guid; gisNumber: string | null; gisArchived: boolean };
  meter_reading: { gisGuid: Guid };
  /** gisPaymentDocumentId: ИПД. */
  payment_document: { gisGuid: Guid; gisPaymentDocumentId: string | null };
  /** NotificationsOfOrderExecutionGUID; gisPaymentDocumentId: the ИПД of the bill GIS says it pays. */
  payment: { gisGuid: Guid; gisPaymentDocumentId: string | null };
  /** state: where the acknowledgment stands with that stand (pending until acknowledged there). */
  acknowledgment: { gisAckStatus: number | null; state: AcknowledgmentState };
  contract: {
    gisContractGuid: Guid;
    gisVersionGuid: Guid;
    gisRootGuid: Guid;
    gisVersionNumber: number | null;
    gisStatus: ContractGisStatus | null;
    gisState: ContractGisState | null;
  };
  contract_object: { gisObjectGuid: Guid };
  organization: {
    gisOrgRootEntityGuid: Guid;
    gisOrgVersionGuid: Guid;
    /** orgPPAGUID of the registered organization: goes into every RequestHeader. */
    gisOrgPpaGuid: Guid;
    /** Its data-provider GUID in our information system (exportDataProvider); null: no active rights. */
    gisDataProviderGuid: Guid;
  };
  /** The element of the organization's own dictionary (НСИ 1 / НСИ 51) the stand created for the service. */
  service: { gisElementGuid: Guid; gisElementCode: string | null };
  gis_unused_object: Record<never, never>;
  /** A file's GUID in the stand's file store (each stand has its own). */
  attachment: { gisAttachmentGuid: Guid };
}

export type Kind = keyof Identities;

/** The entity class of each kind. */
export interface Entities {
  house: House;
  entrance: Entrance;
  premise: Premise;
  room: Room;
  account: Account;
  meter: Meter;
  meter_reading: MeterReading;
  payment_document: PaymentDocument;
  payment: Payment;
  acknowledgment: Acknowledgment;
  contract: Contract;
  contract_object: ContractObject;
  organization: Organization;
  service: Service;
  gis_unused_object: GisUnusedObject;
  attachment: Attachment;
}

export const FIELDS: { [K in Kind]: { [F in keyof Identities[K]]: IdentityColumn } } = {
  house: { gisHouseGuid: "guid", gisUniqueNumber: "uniqueNumber" },
  entrance: { gisGuid: "guid" },
  premise: { gisGuid: "guid", gisUniqueNumber: "uniqueNumber" },
  room: { gisGuid: "guid", gisUniqueNumber: "uniqueNumber" },
  account: { gisAccountGuid: "guid", unifiedNumber: "uniqueNumber", utilityServiceId: "serviceId", gisClosed: "closed" },
  meter: { gisRootGuid: "rootGuid", gisVersionGuid: "versionGuid", gisNumber: "uniqueNumber", gisArchived: "closed" },
  meter_reading: { gisGuid: "guid" },
  payment_document: { gisGuid: "guid", gisPaymentDocumentId: "documentId" },
  payment: { gisGuid: "guid", gisPaymentDocumentId: "documentId" },
  acknowledgment: { gisAckStatus: "ackStatus", state: "gisState" },
  contract: {
    gisContractGuid: "guid",
    gisVersionGuid: "versionGuid",
    gisRootGuid: "rootGuid",
    gisVersionNumber: "versionNumber",
    gisStatus: "gisStatus",
    gisState: "gisState",
  },
  contract_object: { gisObjectGuid: "guid" },
  organization: { gisOrgRootEntityGuid: "rootGuid", gisOrgVersionGuid: "versionGuid", gisOrgPpaGuid: "guid", gisDataProviderGuid: "providerGuid" },
  service: { gisElementGuid: "guid", gisElementCode: "uniqueNumber" },
  gis_unused_object: {},
  attachment: { gisAttachmentGuid: "guid" },
};

/**
 * Fields that joined the store after 1765324800000-StandsApart, each moved by its own migration
 * (a service's placed element: 1765411200000-NsiStands; the rest: 1765497600000-StandValues): the
 * older migrations (src/storage/identity/move.ts) leave them alone.
 */
export const LATER: { [K in Kind]?: ReadonlyArray<keyof Identities[K] & string> } = {
  service: ["gisElementGuid", "gisElementCode"],
  payment: ["gisPaymentDocumentId"],
  meter: ["gisArchived"],
};

/** A kind's fields as the older migrations knew them (without LATER's). */
export function earlierFields(kind: Kind): Array<[string, IdentityColumn]> {
  const later = (LATER[kind] ?? []) as readonly string[];
  return Object.entries(FIELDS[kind] as Record<string, IdentityColumn>).filter(([field]) => !later.includes(field));
}

/** Identity fields whose "nothing on this stand" is a value, not null (no row, or an empty column). */
export const DEFAULTS: { [K in Kind]?: Partial<Identities[K]> } = { acknowledgment: { state: "pending" } };

/** Kinds with identity but no sync state of their own (files: uploaded or not, per stand). */
export const WITHOUT_SYNC: readonly Kind[] = ["attachment"];

export const isKind = (t: string): t is Kind => Object.hasOwn(FIELDS, t);

/** The store column of a kind's identity field (e.g. account, gisAccountGuid → guid). */
export function columnOf(kind: string, field: string): IdentityColumn {
  const col = isKind(kind) ? (FIELDS[kind] as Record<string, IdentityColumn>)[field] : undefined;
  if (!col) throw new Error(`${kind}.${field} is not a GIS identity field`);
  return col;
}
