/**
 * Whether GIS may hold a message of an operation: a signed request archived with no answer of any
 * kind for its MessageGUID (a timeout, a reset, a kill between sending and archiving the answer).
 * An import that is safe to repeat is resent after such failures; when its attempts run out, its
 * outcome is unknown rather than "not taken".
 */
import { DataSource, In } from "typeorm";
import { ArchiveEntry } from "../../entities/archive-entry";
import { ANSWER_KINDS } from "../archive/signatures";

export async function hasUnansweredSend(ds: DataSource, operationId: string): Promise<boolean> {
  const rows = await ds
    .getRepository(ArchiveEntry)
    .find({ select: { messageGuid: true, kind: true }, where: { operationId, kind: In(["signed_request", ...ANSWER_KINDS]) } });
  const answered = new Set(rows.filter((r) => r.kind !== "signed_request").map((r) => r.messageGuid));
  return rows.some((r) => r.kind === "signed_request" && r.messageGuid && !answered.has(r.messageGuid));
}
