/**
 * One descriptor per GIS method: everything the pipeline needs to know to turn model objects into
 * requests of that method and GIS answers back into the model. The queue/worker code is generic;
 * a new GIS method is one new descriptor file under src/stages/<stage>/.
 *
 * Data flows one way: select (ids) → prepare (load + pre-flight checks) → payload (one batch) →
 * [exchange: validate, sign, archive, send, poll] → apply (results by TransportGUID onto the model).
 */
import { DataSource, EntityManager } from "typeorm";
import { GisResponse, ItemResult } from "../transport/results/results";

/** The pipeline's order (the organization registry and common NSI refresh belong to services). */
export const STAGES = ["services", "contracts", "fund", "accounts", "meters", "readings", "bills", "payments", "kvitirovanie"] as const;
export type StageName = (typeof STAGES)[number];

/** The manual's three modes: sync = pull, match, then push what is missing; push = send changes; pull = request from GIS. */
export type Mode = "sync" | "push" | "pull";

/** What a run covers: everything of one organization, or some of its houses, one contract, or single objects. */
export interface Scope {
  organizationId: number;
  houseIds?: number[];
  contractId?: number;
  /** Single objects: of `objectType` when set, else of the descriptor's objectType. */
  objectIds?: number[];
  /**
   * The kind of `objectIds` (gis_operation_item.objectType: house, premise, entrance, account,
   * meter, payment_document…). A descriptor of another kind selects what belongs to those objects
   * (for an account: its meters, readings, documents, payments), never an object of its own kind
   * that happens to have the same id.
   */
  objectType?: string;
  /** Close in GIS the accounts / archive the meters GIS has and we no longer do (asked for, never by default). */
  unused?: boolean;
  /**
   * An operator's action on the single objects of `objectIds` (a card's or a list's context menu).
   * A run with an action runs only the descriptors that list it in `actions`; without one, only
   * descriptors that are not `actionOnly`.
   */
  action?: ObjectAction;
  /**
   * «Проверить платежи»: the period asked for (YYYY-MM-DD, both days included) instead of the
   * default (the previous month's first day to today), and the kvitirovanie statuses (0..5) asked for.
   */
  period?: { from: string; to: string };
  ackStatuses?: number[];
  /** One month of payment documents (the kvitirovanie period dialog, «Загрузить недостающие квитанции»). */
  month?: { year: number; month: number };
}

/**
 * Object actions of the manual's context menus, each one GIS operation on chosen objects:
 * annul (premises, entrances, payments), close / reopen (accounts), archive / forceArchive /
 * replace (meters), expose / withdraw (payment documents), acknowledge / cancelAcknowledgment
 * (kvitirovanie), delete / recover (private NSI elements).
 */
export const OBJECT_ACTIONS = [
  "annul",
  "close",
  "reopen",
  "archive",
  "forceArchive",
  "replace",
  "expose",
  "withdraw",
  "acknowledge",
  "cancelAcknowledgment",
  "delete",
  "recover",
] as const;
export type ObjectAction = (typeof OBJECT_ACTIONS)[number];

/** An object that failed a pre-flight check: it is not sent; it gets this error (in Russian, naming the object and the field). */
export interface Rejection {
  objectId: number;
  code: string;
  field: string;
  text: string;
}

export interface Prepared<T> {
  ready: Array<{ objectId: number; data: T }>;
  rejected: Rejection[];
}

/** What a descriptor needs besides the database: who we are and the settings in force. */
export interface StageContext {
  organizationId: number;
  /** Our organization's role in GIS: UO (управляющая), RSO (ресурсоснабжающая), TSG, RC… */
  role: string;
  /** The stand the run sends to: every identity and sync state read or written is this stand's (src/storage/identity/). */
  stand: string;
  /** The organization's orgPPAGUID on that stand. */
  orgPPAGUID: string;
  now: Date;
  setting(key: string): string | number | boolean | null;
}

/** One result item of GIS matched to the object that carried it (by TransportGUID). */
export interface MatchedResult {
  objectId: number;
  transportGuid: string;
  result: ItemResult;
}

/** Reconciling an import whose outcome is unknown: which export finds the objects, and how to recognize them. */
export interface ReconcileSpec<T> {
  /** The export method (WSDL operation name) that finds the objects. */
  method: string;
  /** The export request for these objects (one request). */
  payload(objects: Array<{ objectId: number; data: T }>, ctx: StageContext): unknown;
  /** GUIDs (for bills: ИПД) of the objects GIS already has, by objectId; objects absent from the map are sent again. */
  found(answer: Extract<GisResponse, { kind: "state" }>, objects: Array<{ objectId: number; data: T }>, ctx: StageContext): Map<number, string>;
  /**
   * A found GUID as the result item `apply` reads (objects GIS already had are applied like placed
   * ones, so they get their GUIDs). Default: `{ guid }`.
   */
  result?(guid: string): Partial<ItemResult>;
}

export interface MethodDescriptor<I = unknown, T = unknown> {
  /** WSDL operation name (a method module's `name`). */
  method: string;
  stage: StageName;
  kind: "import" | "export";
  /** Modes that run this method (an export runs in pull and sync; an import in push and sync). */
  modes: Mode[];
  /** gis_operation_item.objectType and the entity the objects are. */
  objectType: string;
  /** Setting key of the batch limit (e.g. batch.accounts); the schema's maxOccurs clamps it. */
  batchSetting: string | null;
  defaultBatch: number;
  /**
   * Exports are. An import is when GIS takes it twice without harm (readings: the same value for the
   * same meter and date): after a lost answer it is sent again. Other imports are reconciled by an
   * export, never blindly resent.
   */
  safeToRepeat: boolean;
  /**
   * Objects whose keys differ never share a request (added for request-level fields: the
   * FIASHouseGuid reconcile exports by, the Month/Year of payment documents, Expose vs Withdraw).
   * Absent: any objects may share a request.
   */
  batchKey?(data: T): string;
  /**
   * The objects cite files (attachments with ownerType = objectType): the pipeline uploads the ones
   * not yet in GIS's file store before `prepare`, which then finds their GUIDs.
   */
  files?: boolean;
  /** Object actions this method performs on `scope.objectIds` (see Scope.action). */
  actions?: ObjectAction[];
  /** Runs only for an object action, never in an ordinary run of its stage. */
  actionOnly?: boolean;
  /**
   * Methods whose operations must be done before this one starts: the planner orders a stage's
   * methods by these dependencies (the order of a list is not a dependency). Methods of earlier
   * stages are done by then anyway.
   */
  after?: string[];
  /** Ids of the objects in scope that need this method now. */
  select(ds: DataSource, scope: Scope, mode: Mode, ctx: StageContext): Promise<number[]>;
  /** Loads the objects and checks what GIS will demand; rejected objects are not sent. */
  prepare(ds: DataSource, ids: number[], ctx: StageContext): Promise<Prepared<T>>;
  /** The request payload for one batch; each object carries its TransportGUID. */
  payload(batch: Array<{ objectId: number; transportGuid: string; data: T }>, ctx: StageContext): I;
  /** Writes GIS's answer back onto the model, in the caller's transaction. */
  apply(em: EntityManager, answer: Extract<GisResponse, { kind: "state" }>, matched: MatchedResult[], ctx: StageContext): Promise<void>;
  reconcile?: ReconcileSpec<T>;
  /**
   * A paged export (one request per page): the objects — pages — its answer says are still to be
   * asked. The pipeline carries each in a new operation of the same run and step, so the step ends
   * when the last page is applied. Objects the run carried already are not asked again.
   */
  nextPages?(answer: Extract<GisResponse, { kind: "state" }>, objectIds: number[], ctx: StageContext): number[];
}
