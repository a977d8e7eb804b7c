/**
 * The signing certificate's expiry in the operators' journal (message_log), not only in the log
 * file: at 30, 7 and 1 day(s) before and once expired — one entry per level per certificate, checked
 * against what the journal already holds so several workers do not repeat it.
 */
import { DataSource } from "typeorm";
import { MessageLog } from "../../entities/message-log";
import { checkCertificateExpiry, readCertificate } from "../signing/certificate";

const checked = new Map<string, string>();

export async function journalCertificateExpiry(ds: DataSource, certificateDer: Buffer, now = new Date()): Promise<void> {
  const cert = readCertificate(certificateDer);
  const r = checkCertificateExpiry(cert, now);
  const key = cert.serialDecimal;
  if (checked.get(key) === r.level) return;
  checked.set(key, r.level);
  if (r.level === "ok" || !r.message) return;
  const subgroup = `${r.level}:${key}`.slice(0, 100);
  if (await ds.getRepository(MessageLog).existsBy({ group: "signer", subgroup })) return;
  await ds.getRepository(MessageLog).insert({
    createdAt: now,
    level: r.level === "expired" ? "error" : "warning",
    group: "signer",
    subgroup,
    author: "gis-sync",
    text: r.message,
    objectType: null,
    objectId: null,
    operationId: null,
    runId: null,
    code: null,
  });
}
