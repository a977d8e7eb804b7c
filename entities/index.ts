/** The whole model, in the order the exchange pipeline walks it. */
import { Organization } from "./organization";
import { Service } from "./service";
import { NsiItem } from "./nsi-item";
import { Contract } from "./contract";
import { ContractObject } from "./contract-object";
import { ContractObjectService } from "./contract-object-service";
import { ContractSubject } from "./contract-subject";
import { Attachment } from "./attachment";
import { House } from "./house";
import { Entrance } from "./entrance";
import { Premise } from "./premise";
import { Room } from "./room";
import { Account } from "./account";
import { AccountAccommodation } from "./account-accommodation";
import { Meter } from "./meter";
import { MeterAccount } from "./meter-account";
import { MeterReading } from "./meter-reading";
import { PaymentDocument } from "./payment-document";
import { PaymentDocumentLine } from "./payment-document-line";
import { Payment } from "./payment";
import { Acknowledgment } from "./acknowledgment";
import { GisOperation } from "./gis-operation";
import { GisOperationItem } from "./gis-operation-item";
import { ArchiveEntry } from "./archive-entry";
import { ArchiveAnchor } from "./archive-anchor";
import { MessageLog } from "./message-log";
import { Setting } from "./setting";
import { Schedule } from "./schedule";
import { User } from "./user";
import { FieldHistory } from "./field-history";
import { FieldPolicy } from "./field-policy";
import { ImportRun } from "./import-run";
import { ImportIssue } from "./import-issue";
import { AuditLog } from "./audit-log";
import { PipelineRun } from "./pipeline-run";
import { GisUnusedObject } from "./gis-unused-object";
import { OrganizationSigner } from "./organization-signer";
import { PipelineLane } from "./pipeline-lane";
import { ReminderSubscription } from "./reminder-subscription";
import { ReminderSent } from "./reminder-sent";
import { GisIdentity } from "./gis-identity";

export {
  Organization,
  Service,
  NsiItem,
  Contract,
  ContractObject,
  ContractObjectService,
  ContractSubject,
  Attachment,
  House,
  Entrance,
  Premise,
  Room,
  Account,
  AccountAccommodation,
  Meter,
  MeterAccount,
  MeterReading,
  PaymentDocument,
  PaymentDocumentLine,
  Payment,
  Acknowledgment,
  GisOperation,
  GisOperationItem,
  ArchiveEntry,
  ArchiveAnchor,
  MessageLog,
  Setting,
  Schedule,
  User,
  FieldHistory,
  FieldPolicy,
  ImportRun,
  ImportIssue,
  AuditLog,
  PipelineRun,
  GisUnusedObject,
  OrganizationSigner,
  PipelineLane,
  ReminderSubscription,
  ReminderSent,
  GisIdentity,
};
export * from "./sync-state";
export { SIGNER_KINDS } from "./organization-signer";
export type { SignerKind } from "./organization-signer";

export const ALL_ENTITIES = [
  Organization,
  Service,
  NsiItem,
  Contract,
  ContractObject,
  ContractObjectService,
  ContractSubject,
  Attachment,
  House,
  Entrance,
  Premise,
  Room,
  Account,
  AccountAccommodation,
  Meter,
  MeterAccount,
  MeterReading,
  PaymentDocument,
  PaymentDocumentLine,
  Payment,
  Acknowledgment,
  GisOperation,
  GisOperationItem,
  ArchiveEntry,
  ArchiveAnchor,
  MessageLog,
  Setting,
  Schedule,
  User,
  FieldHistory,
  FieldPolicy,
  ImportRun,
  ImportIssue,
  AuditLog,
  PipelineRun,
  GisUnusedObject,
  OrganizationSigner,
  PipelineLane,
  ReminderSubscription,
  ReminderSent,
  GisIdentity,
];
