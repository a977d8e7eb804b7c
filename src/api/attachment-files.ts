/**
 * Files uploaded through the API: the name from the X-File-Name header checked, the bytes written
 * under GIS_SYNC_HOME/attachments with a generated name (the user's name never becomes a path), and
 * the Attachment row the pipeline later uploads to GIS's file store.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DataSource } from "typeorm";
import { Attachment } from "../../entities/attachment";
import { loadConfig } from "../config";
import { attachmentsDir } from "../exchange/attachments";
import { streebog256 } from "../signing/streebog";
import { badRequest } from "./http";

export const MAX_ATTACHMENT_BYTES = 10 << 20;
export const FILE_NAME_HEADER = "X-File-Name";

/** The file name from the percent-encoded header; every complaint names the header. */
export function fileNameOf(header: string | string[] | undefined, what: string): string {
  const bad = (why: string) => badRequest(`${what}, поле ${FILE_NAME_HEADER}: ${why}`);
  const encoded = Array.isArray(header) ? header[0] : header;
  if (!encoded?.trim()) throw bad("обязательное поле (имя файла, закодированное encodeURIComponent)");
  let name: string;
  try {
    name = decodeURIComponent(encoded).trim();
  } catch {
    throw bad("неверная кодировка (ожидается имя, закодированное encodeURIComponent)");
  }
  if (!name) throw bad("пустое имя файла");
  if (name.length > 255) throw bad("не длиннее 255 символов");
  if (/[\u0000-\u001f\u007f/\\]/.test(name))
    throw bad(`имя файла не может содержать «/», «\\» и управляющие символы; получено «${name.replace(/[\u0000-\u001f\u007f]/g, "?")}»`);
  if (name === "." || name === "..") throw bad(`недопустимое имя «${name}»`);
  return name;
}

/** Where a new file of an owner goes, relative to the attachments folder: owner/id/uuid.ext. */
function storagePathFor(ownerType: string, ownerId: number, fileName: string): string {
  const ext = path.extname(fileName).toLowerCase();
  return [ownerType, String(ownerId), `${crypto.randomUUID()}${/^\.[a-z0-9]{1,10}$/.test(ext) ? ext : ""}`].join("/");
}

export function attachmentFile(a: Pick<Attachment, "storagePath">, home = loadConfig().home): string {
  const dir = path.resolve(attachmentsDir(home));
  const file = path.resolve(dir, a.storagePath);
  if (!file.startsWith(dir + path.sep)) throw new Error(`Attachment path ${a.storagePath} leaves the attachments folder`);
  return file;
}

/** Writes the bytes and the row; a row that cannot be written takes its file with it. */
export async function storeAttachment(ds: DataSource, ownerType: string, ownerId: number, fileName: string, bytes: Buffer): Promise<Attachment> {
  const storagePath = storagePathFor(ownerType, ownerId, fileName);
  const file = attachmentFile({ storagePath });
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, bytes, { flag: "wx" });
  try {
    const row = ds.getRepository(Attachment).create({
      ownerType,
      ownerId,
      fileName,
      storagePath,
      name: null,
      description: null,
      documentType: null,
      sizeBytes: bytes.length,
      hash: streebog256(bytes).toString("hex"),
      uploadedAt: null,
    });
    return await ds.getRepository(Attachment).save(row);
  } catch (e) {
    await fs.promises.rm(file, { force: true });
    throw e;
  }
}

export async function removeAttachmentFile(a: Attachment): Promise<void> {
  await fs.promises.rm(attachmentFile(a), { force: true });
}

/** What the API shows of an attachment (not where it lies on disk); its file-store GUID is the request stand's. */
export const attachmentView = (a: Attachment & { gisAttachmentGuid: string | null }) => ({
  id: a.id,
  fileName: a.fileName,
  sizeBytes: a.sizeBytes === null ? null : Number(a.sizeBytes),
  hash: a.hash,
  gisAttachmentGuid: a.gisAttachmentGuid,
  uploadedAt: a.uploadedAt,
});
