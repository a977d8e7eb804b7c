/**
 * The file store's REST upload, kept simple: PUT or POST /ext-bus-file-store-service/rest/<context>
 * with the file as the body and its name in X-Upload-Filename (percent-encoded, as GIS wants) →
 * 200 with the new upload id in X-Upload-UploadID, the answer GIS's file store gives. GET and HEAD
 * /rest/<context>/<uploadId> return the file and its length. Files live in the store table
 * "fileStore" (base64), so they survive a restart with the data file.
 */
import http from "node:http";
import { StandStore } from "../types";

export const FILE_STORE_PREFIX = "/ext-bus-file-store-service/rest/";

interface StoredFile {
  context: string;
  fileName: string;
  size: number;
  orgPPAGUID: string | null;
  uploadedAt: string;
  base64: string;
}

export function fileStoreAnswer(
  store: StandStore,
  method: string,
  path: string,
  headers: http.IncomingHttpHeaders,
  body: Buffer,
  res: http.ServerResponse,
): void {
  const [context, uploadId, extra] = path.slice(FILE_STORE_PREFIX.length).split("/");
  const files = store.table<StoredFile>("fileStore");
  const refuse = (status: number, code: string, text: string): void => {
    res.writeHead(status, { "X-Upload-Error": code, "Content-Type": "text/plain; charset=utf-8" }).end(`${code}: ${text}`);
  };
  if (!context || !/^[a-z]+$/.test(context) || extra !== undefined) return refuse(404, "FIL001001", "неизвестный контекст файлового хранилища");

  if ((method === "PUT" || method === "POST") && !uploadId) {
    const name = headers["x-upload-filename"];
    if (typeof name !== "string" || name === "") return refuse(400, "FIL001002", "не указано имя файла (X-Upload-Filename)");
    const id = store.guid();
    let fileName = name;
    try {
      fileName = decodeURIComponent(name);
    } catch {
      /* kept as sent */
    }
    const org = headers["x-upload-orgppaguid"];
    files.set(id, {
      context,
      fileName,
      size: body.length,
      orgPPAGUID: typeof org === "string" ? org.toLowerCase() : null,
      uploadedAt: new Date().toISOString(),
      base64: body.toString("base64"),
    });
    res.writeHead(200, { "X-Upload-UploadID": id, "Content-Length": 0 }).end();
    return;
  }
  if ((method === "GET" || method === "HEAD") && uploadId) {
    const f = files.get(uploadId.toLowerCase());
    if (!f || f.context !== context) return refuse(404, "FIL001003", "файл не найден");
    const bytes = Buffer.from(f.base64, "base64");
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": bytes.length, "X-Upload-Filename": encodeURIComponent(f.fileName) });
    res.end(method === "HEAD" ? undefined : bytes);
    return;
  }
  refuse(405, "FIL001004", `метод ${method} не поддерживается`);
}
