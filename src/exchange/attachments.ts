/**
 * Files GIS wants before the message that cites them (a contract's scan, a termination document):
 * each is uploaded once to GIS's file store, its hash computed, and the attachment GUID the store
 * answers with is kept on the row — the import message then carries GUID + hash. A file that
 * cannot be read or is refused stays without a GUID, and the object's pre-flight check names it.
 */
import fs from "node:fs";
import path from "node:path";
import { DataSource, In, IsNull } from "typeorm";
import { Attachment } from "../../entities/attachment";
import { MessageLog } from "../../entities/message-log";
import { streebog256 } from "../signing/streebog";
import { GisHttpClient } from "../transport/http";
import { findAt } from "../storage/identity/store";
import { updateAt } from "../storage/identity/update";

/** GIS file store contexts by what the file belongs to. */
const CONTEXT: Record<string, string> = { contract: "homemanagement", contract_termination: "homemanagement", contract_object: "homemanagement" };

export interface UploadReport {
  uploaded: number;
  failed: Array<{ attachmentId: number; fileName: string; reason: string }>;
}

/** Where attachment files live: GIS_SYNC_HOME/attachments (storagePath is relative to it). */
export function attachmentsDir(home: string): string {
  return path.join(home, "attachments");
}

export async function uploadPendingAttachments(
  ds: DataSource,
  client: GisHttpClient,
  o: { home: string; stand: string; orgPPAGUID: string; ownerType: string; ownerIds: number[]; runId?: string | null },
): Promise<UploadReport> {
  const report: UploadReport = { uploaded: 0, failed: [] };
  const owners = o.ownerType === "contract" ? ["contract", "contract_termination"] : [o.ownerType];
  for (let i = 0; i < o.ownerIds.length; i += 500) {
    // Each stand has its own file store: a file uploaded to SIT01 is still to upload for production.
    const pending = (await findAt(ds, "attachment", "ownerId", o.ownerIds.slice(i, i + 500), o.stand, { ownerType: In(owners) })).filter(
      (a) => !a.gisAttachmentGuid,
    );
    for (const a of pending) {
      try {
        const file = path.resolve(attachmentsDir(o.home), a.storagePath);
        if (!file.startsWith(path.resolve(attachmentsDir(o.home)) + path.sep)) throw new Error("путь файла выходит за папку вложений");
        const bytes = await fs.promises.readFile(file);
        const guid = await client.uploadFile(CONTEXT[a.ownerType] ?? "homemanagement", a.fileName, bytes, o.orgPPAGUID);
        await updateAt(ds, o.stand, Attachment, a.id, {
          gisAttachmentGuid: guid,
          uploadedAt: new Date(),
          sizeBytes: bytes.length,
          hash: a.hash ?? streebog256(bytes).toString("hex"),
        });
        report.uploaded++;
      } catch (e) {
        const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "файл не найден" : (e as Error).message;
        report.failed.push({ attachmentId: a.id, fileName: a.fileName, reason });
        await ds.getRepository(MessageLog).insert({
          createdAt: new Date(),
          level: "error",
          group: "contracts",
          subgroup: "file-store",
          author: "gis-sync",
          text: `Вложение «${a.fileName}» не загружено в файловое хранилище ГИС ЖКХ: ${reason}`,
          objectType: a.ownerType,
          objectId: a.ownerId,
          operationId: null,
          runId: o.runId ?? null,
          code: "FILE_UPLOAD",
        });
      }
    }
  }
  return report;
}
