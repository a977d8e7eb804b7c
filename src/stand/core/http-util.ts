/** Small HTTP helpers of the stand: bounded body reading and JSON answers. */
import http from "node:http";

export class BodyTooLarge extends Error {}

/** The request body, refusing more than `max` bytes. */
export function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new BodyTooLarge(`тело запроса больше ${max} байт`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value, null, 2);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body) }).end(body);
}

export function sendXml(res: http.ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { "Content-Type": "text/xml; charset=utf-8", "Content-Length": Buffer.byteLength(xml) }).end(xml);
}
