/**
 * What every exchange step gets: the database, the HTTP client, the signer, the error policy, the
 * poll schedule and the header; what an operation sends (its recipe, rebuilt from the model on every
 * send); and the small helpers all steps share.
 */
import { DataSource } from "typeorm";
import { ArchiveEntry } from "../../entities/archive-entry";
import { GisOperation } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { OrganizationSigning } from "../signing/organization-signers";
import { Signer } from "../signing/signer";
import { BuiltRequest, HeaderInput } from "../transport/envelope/envelope";
import { GisHttpClient } from "../transport/http";
import { GisResponse } from "../transport/results/results";
import { ServiceName } from "../transport/services";
import { PollSchedule } from "./backoff";
import { ErrorPolicy } from "./error-policy";
import { transition } from "./operation-store";

export interface ExchangeContext {
  ds: DataSource;
  client: GisHttpClient;
  signer: Signer;
  /**
   * Who signs the organization's next request (its own key, or the installation as operator), asked
   * on every send; without it `signer` signs as the organization. May refuse (SigningRefused).
   * `headerOnly`: the request carries ISRequestHeader (no organization named in it); `stand`: the
   * operation's (the rights an operator signature needs are that stand's; a send always gives it).
   */
  signing?: (headerOnly: boolean, stand?: string) => Promise<OrganizationSigning>;
  /** At most this many of the organization's operations wait on GIS at once (0 or absent: no cap). */
  maxInFlightPerOrganization?: number;
  policy: ErrorPolicy;
  schedule: PollSchedule;
  header: HeaderInput;
  schemaDir?: string;
  now?: () => Date;
}

/** What the operation sends: rebuilt from the model on every (re)send, with the items' TransportGUIDs. */
export interface RequestRecipe {
  service: ServiceName;
  methodKind: "import" | "export";
  /** An import GIS may take twice without harm: after an unknown outcome it is sent again, not reconciled. */
  safeToRepeat?: boolean;
  fixedVersion?: string;
  /** Builds the request for the items still pending (a resend after reconciling carries only those). */
  build(items: GisOperationItem[], header: HeaderInput): BuiltRequest | Promise<BuiltRequest>;
  /** How an import whose outcome is unknown finds out what GIS already has. Without it, such an import fails (never blindly resent). */
  reconcile?: ReconcileRecipe;
}

export type StateAnswer = Extract<GisResponse, { kind: "state" }>;

export interface ReconcileRecipe {
  /** WSDL method of the export (recorded on the child operation). */
  method: string;
  /** The export, built for the parent's pending items. */
  recipe: RequestRecipe;
  /** The GUIDs GIS holds for the items it already has, by objectId (absent = send again). */
  found(answer: StateAnswer, items: GisOperationItem[]): Map<number, string | null> | Promise<Map<number, string | null>>;
}

export const now = (ctx: ExchangeContext) => (ctx.now ? ctx.now() : new Date());

export async function fail(ctx: ExchangeContext, op: GisOperation, code: string, text: string): Promise<void> {
  // From any state that is not final — reconciling too (its export child failed).
  await transition(ctx.ds, op.id, ["created", "validated", "signed", "sent", "processing", "reconciling"], "failed", {
    errorCode: code.slice(0, 20),
    errorText: text,
  });
}

export async function reload(ds: DataSource, id: string): Promise<GisOperation> {
  return ds.getRepository(GisOperation).findOneByOrFail({ id });
}

/** Archive entries of an operation in order (for the exchange viewer and tests). */
export function operationArchive(ds: DataSource, opId: string): Promise<ArchiveEntry[]> {
  return ds.getRepository(ArchiveEntry).find({ where: { operationId: opId }, order: { seq: "ASC" } });
}
