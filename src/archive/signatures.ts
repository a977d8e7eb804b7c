/**
 * GIS signs its answers. The archive keeps them byte for byte, so their signatures can be checked
 * again at any time (`gis-sync archive verify --signatures`): what an operator shows when GIS and
 * we disagree about what it answered.
 */
import { DataSource, In, MoreThan } from "typeorm";
import { ArchiveEntry } from "../../entities/archive-entry";
import { verifyXades } from "../signing/verify";

export interface SignatureCheck {
  entryId: number;
  operationId: string;
  kind: string;
  valid: boolean;
  signingTime: string | null;
  /** Certificate subject, when the signature carried one. */
  signer: string | null;
  errors: string[];
}

export interface SignatureReport {
  checked: number;
  valid: number;
  invalid: SignatureCheck[];
  /** Answers without a signature (Acks, faults and test stands that do not sign). */
  unsigned: number;
}

export const ANSWER_KINDS = ["ack", "state", "result", "fault"] as const;

/** GIS's signature on one answer, as kept on its archive entry when it arrives. */
export function checkAnswerSignature(body: string): { state: "valid" | "invalid" | "unsigned" | "unsupported"; note: string | null } {
  if (!/<(\w+:)?Signature[\s>]/.test(body)) return { state: "unsigned", note: null };
  const v = verifyXades(body);
  if (v.valid) return { state: "valid", note: v.certificate?.subjectName?.slice(0, 500) ?? null };
  const note = (v.errors.length ? v.errors : ["подпись не сходится"]).join("; ").slice(0, 500);
  return { state: /не поддерживается/.test(note) ? "unsupported" : "invalid", note };
}

/** Checks every signed answer in the archive (or of some operations), a page at a time to bound memory. */
export async function verifyArchivedSignatures(ds: DataSource, operationIds?: string[], pageSize = 200): Promise<SignatureReport> {
  const report: SignatureReport = { checked: 0, valid: 0, invalid: [], unsigned: 0 };
  const repo = ds.getRepository(ArchiveEntry);
  let after = 0;
  for (;;) {
    const page = await repo.find({
      where: { id: MoreThan(after), kind: In([...ANSWER_KINDS]), ...(operationIds ? { operationId: In(operationIds) } : {}) },
      order: { id: "ASC" },
      take: pageSize,
    });
    if (page.length === 0) break;
    for (const e of page) {
      after = e.id;
      if (!/<(\w+:)?Signature[\s>]/.test(e.body)) {
        report.unsigned++;
        continue;
      }
      report.checked++;
      const v = verifyXades(e.body);
      if (v.valid) report.valid++;
      else {
        report.invalid.push({
          entryId: e.id,
          operationId: e.operationId,
          kind: e.kind,
          valid: false,
          signingTime: v.signingTime,
          signer: v.certificate?.subjectName ?? null,
          errors: v.errors.length ? v.errors : ["подпись не сходится"],
        });
      }
    }
  }
  return report;
}
