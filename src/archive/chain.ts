/**
 * The archive's hash chain. Each entry's hash covers the previous entry's hash and everything
 * the entry says (operation, order, kind, GUID, HTTP status, time, body), so changing, removing
 * or reordering any stored message breaks every hash after it. The chain is global (ordered by
 * id), not per operation: deleting a whole operation is detected too.
 */
import crypto from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export interface Hashable {
  operationId: string;
  seq: number;
  kind: string;
  messageGuid: string | null;
  httpStatus: number | null;
  createdAt: Date;
  body: string;
  /** GIS's signature check on arrival; covered from the first entry that has one, so older chains verify as before. */
  signatureState?: string | null;
  signatureNote?: string | null;
}

export function entryHash(prevHash: string, e: Hashable): string {
  return crypto
    .createHash("sha256")
    .update(`${prevHash}\n${e.operationId}\n${e.seq}\n${e.kind}\n${e.messageGuid ?? ""}\n${e.httpStatus ?? ""}\n${e.createdAt.getTime()}\n`)
    .update(e.body, "utf8")
    .update(e.signatureState ? `\nsignature: ${e.signatureState}\n${e.signatureNote ?? ""}` : "", "utf8")
    .digest("hex");
}
