/**
 * A file uploaded from the browser: the raw request body (application/octet-stream) streamed to a
 * temporary file, never held in memory, refused with 413 from the declared length or as soon as
 * the stream passes the limit. Its original name comes in the X-File-Name header (URL-encoded).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { IncomingMessage } from "node:http";
import { ApiError, badRequest } from "./http";
import { LIMIT_SETTINGS } from "../util/input-bounds";

export interface Upload {
  /** The temporary folder the file is in (removed by `discard`). */
  dir: string;
  file: string;
  /** The name the user's file had, without any path. */
  name: string;
  bytes: number;
  discard(): void;
}

export const FILE_NAME_HEADER = { "x-file-name": { type: "string", description: "Имя файла (URL-кодированное)", required: true } } as const;

/** The user's file name, reduced to a safe base name with one of the extensions allowed. */
export function uploadName(req: IncomingMessage, extensions: readonly string[]): string {
  let raw = String(req.headers["x-file-name"] ?? "");
  try {
    raw = decodeURIComponent(raw);
  } catch {
    throw badRequest("Заголовок X-File-Name: неверное URL-кодирование имени файла");
  }
  const name = path
    .basename(raw.replace(/\\/g, "/"))
    .replace(/[\u0000-\u001f<>:"|?*]/g, "_")
    .slice(0, 200);
  if (!name || name.startsWith(".")) throw badRequest("Заголовок X-File-Name: укажите имя файла");
  const ext = path.extname(name).toLowerCase();
  if (!extensions.includes(ext)) throw badRequest(`Файл «${name}»: допустимы ${extensions.join(", ")}`);
  return name;
}

export async function receiveUpload(req: IncomingMessage, name: string, maxBytes: number): Promise<Upload> {
  const type = String(req.headers["content-type"] ?? "");
  if (!type.startsWith("application/octet-stream"))
    throw new ApiError(415, "unsupported_media_type", "Файл передаётся телом запроса с Content-Type: application/octet-stream");
  const tooLarge = () =>
    new ApiError(413, "too_large", `Файл «${name}» больше ${Math.round(maxBytes / (1 << 20))} МБ (настройка ${LIMIT_SETTINGS.uploadBytes})`);
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) throw tooLarge();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-upload-"));
  const discard = () => fs.rmSync(dir, { recursive: true, force: true });
  const file = path.join(dir, name);
  let bytes = 0;
  try {
    await pipeline(
      req,
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done(bytes > maxBytes ? tooLarge() : null, chunk);
        },
      }),
      fs.createWriteStream(file),
    );
  } catch (e) {
    discard();
    if (e instanceof ApiError) {
      req.resume(); // drain, so the client hears the 413 instead of a reset
      throw e;
    }
    throw badRequest(`Файл «${name}» не получен полностью: ${(e as Error).message}`);
  }
  if (bytes === 0) {
    discard();
    throw badRequest(`Файл «${name}» пуст`);
  }
  return { dir, file, name, bytes, discard };
}

/** Streams a file as the answer (a download), with its name for the browser's «Сохранить». */
export async function sendDownload(res: import("node:http").ServerResponse, file: string, name: string, type: string): Promise<void> {
  const size = fs.statSync(file).size;
  res.writeHead(200, {
    "Content-Type": type,
    "Content-Length": size,
    "Content-Disposition": `attachment; filename="${encodeURIComponent(name).replace(/'/g, "%27")}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    "Cache-Control": "no-store",
  });
  await pipeline(fs.createReadStream(file), res);
}
