/**
 * HTTP(S) to GIS. Three ways in, as integrators run it:
 *  - proxy: plain HTTP to a local stunnel / GOST TLS proxy (Node has no GOST TLS), with the header
 *    X-Client-Cert-Fingerprint naming our certificate;
 *  - basic: HTTP Basic auth, as the SIT01/SIT02 test stands require;
 *  - direct: HTTPS with a client certificate from a PKCS#12 file (RSA test setups; not GOST).
 * Keep-alive agents with a bounded number of sockets per service, connect and response timeouts,
 * a response size limit. Failures say whether the request may have reached GIS, because an import
 * that may have arrived is reconciled, never blindly resent.
 */
import http from "node:http";
import https from "node:https";
import forge from "node-forge";

export type TransportMode = "proxy" | "basic" | "direct" | "plain";

export interface HttpOptions {
  baseUrl: string;
  mode: TransportMode;
  /** proxy mode: SHA-1 thumbprint of our certificate (hex). */
  certFingerprint?: string;
  /** basic mode. The password comes from a secret source and is never logged. */
  user?: string;
  password?: string;
  /** direct mode: PKCS#12 content and its password. */
  pkcs12?: Buffer;
  pkcs12Password?: string;
  /** Extra trusted CA (PEM) for a stand with a private certificate authority. */
  ca?: string;
  connectTimeoutMs?: number;
  /** Waiting for the answer; GIS needs 120–180 s for some calls. */
  responseTimeoutMs?: number;
  maxSockets?: number;
  maxResponseBytes?: number;
}

export interface HttpAnswer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export class TransportError extends Error {
  constructor(
    message: string,
    /** ECONNREFUSED, ECONNRESET, ETIMEDOUT, ERESPONSETOOLARGE… */
    readonly code: string,
    /** False only when nothing of the request can have reached the server. */
    readonly requestMayHaveArrived: boolean,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

/** PKCS#12 → PEM key and certificate for node's TLS (node-forge reads the container). */
export function readPkcs12(p12: Buffer, password: string): { key: string; cert: string } {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString("binary")));
  const p = forge.pkcs12.pkcs12FromAsn1(asn1, password);
  const keyBag =
    (p.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? [])[0] ??
    (p.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? [])[0];
  const certBag = (p.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])[0];
  if (!keyBag?.key || !certBag?.cert) throw new Error("PKCS#12: нет ключа или сертификата");
  return { key: forge.pki.privateKeyToPem(keyBag.key), cert: forge.pki.certificateToPem(certBag.cert) };
}

export class GisHttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly opts: Required<Pick<HttpOptions, "connectTimeoutMs" | "responseTimeoutMs" | "maxResponseBytes">> & HttpOptions;

  constructor(opts: HttpOptions) {
    this.opts = { connectTimeoutMs: 15_000, responseTimeoutMs: 180_000, maxResponseBytes: 50 * 1024 * 1024, ...opts };
    this.base = new URL(opts.baseUrl);
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 5, maxFreeSockets: opts.maxSockets ?? 5 };
    if (this.base.protocol === "https:") {
      const tls = opts.mode === "direct" && opts.pkcs12 ? readPkcs12(opts.pkcs12, opts.pkcs12Password ?? "") : {};
      this.agent = new https.Agent({ ...agentOpts, ...tls, ...(opts.ca ? { ca: opts.ca } : {}) });
    } else {
      if (opts.mode === "direct") throw new Error("direct mode needs an https:// address");
      this.agent = new http.Agent(agentOpts);
    }
    if (opts.mode === "proxy" && !opts.certFingerprint) throw new Error("proxy mode needs the certificate fingerprint");
    if (opts.mode === "basic" && (!opts.user || opts.password === undefined)) throw new Error("basic mode needs a user and a password");
  }

  /** POSTs a SOAP 1.1 message to `servicePath` (e.g. /ext-bus-home-management-service/services/HomeManagementAsync). */
  post(servicePath: string, soapAction: string, body: string): Promise<HttpAnswer> {
    return this.send("POST", servicePath, Buffer.from(body, "utf8"), { "Content-Type": "text/xml; charset=utf-8", SOAPAction: `"${soapAction}"` });
  }

  /**
   * Uploads a file to GIS's file store (REST, not SOAP): PUT /ext-bus-file-store-service/rest/<context>
   * with the file as the body; GIS answers with the attachment's id in X-Upload-UploadID.
   */
  async uploadFile(context: string, fileName: string, bytes: Buffer, orgPPAGUID: string): Promise<string> {
    const answer = await this.send("PUT", `/ext-bus-file-store-service/rest/${encodeURIComponent(context)}`, bytes, {
      "Content-Type": "application/octet-stream",
      "X-Upload-Filename": encodeURIComponent(fileName),
      "X-Upload-OrgPPAGUID": orgPPAGUID,
    });
    const id = answer.headers["x-upload-uploadid"];
    if (answer.status !== 200 || typeof id !== "string" || !/^[0-9a-f-]{36}$/i.test(id)) {
      const code = answer.headers["x-upload-error"];
      throw new TransportError(
        `файловое хранилище ГИС ЖКХ не приняло «${fileName}»: HTTP ${answer.status}${code ? ` ${String(code)}` : ""} ${answer.body.slice(0, 200)}`.trim(),
        "EUPLOAD",
        true,
      );
    }
    return id.toLowerCase();
  }

  private send(method: string, path: string, payload: Buffer, extra: http.OutgoingHttpHeaders): Promise<HttpAnswer> {
    const url = new URL(path.replace(/^\/?/, "/"), this.base);
    const headers: http.OutgoingHttpHeaders = { ...extra, "Content-Length": payload.length };
    if (this.opts.mode === "proxy") headers["X-Client-Cert-Fingerprint"] = this.opts.certFingerprint!;
    if (this.opts.mode === "basic") {
      headers.Authorization = `Basic ${Buffer.from(`${this.opts.user}:${this.opts.password}`).toString("base64")}`;
    }
    const lib = url.protocol === "https:" ? https : http;
    return new Promise<HttpAnswer>((resolve, reject) => {
      let connected = false;
      let settled = false;
      const fail = (code: string, message: string) => {
        if (settled) return;
        settled = true;
        req.destroy();
        // Before the socket connected nothing can have reached GIS; after, it may have.
        reject(new TransportError(`${url.host}: ${message}`, code, connected));
      };
      const req = lib.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > this.opts.maxResponseBytes) {
            res.destroy();
            fail("ERESPONSETOOLARGE", `ответ больше ${this.opts.maxResponseBytes} байт — прерван`);
            return;
          }
          chunks.push(c);
        });
        res.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers });
        });
        res.on("error", (e: NodeJS.ErrnoException) => fail(e.code ?? "ECONNRESET", e.message));
      });
      const connectTimer = setTimeout(() => {
        if (!connected) fail("ETIMEDOUT", `нет соединения за ${this.opts.connectTimeoutMs} мс`);
      }, this.opts.connectTimeoutMs);
      const timer = setTimeout(() => fail("ETIMEDOUT", `нет ответа за ${this.opts.responseTimeoutMs} мс`), this.opts.responseTimeoutMs);
      req.on("socket", (s) => {
        const onConnect = () => {
          connected = true;
          clearTimeout(connectTimer);
        };
        // A reused keep-alive socket is already connected.
        if (!s.connecting) onConnect();
        else s.once(url.protocol === "https:" ? "secureConnect" : "connect", onConnect);
      });
      req.on("error", (e: NodeJS.ErrnoException) => {
        clearTimeout(connectTimer);
        clearTimeout(timer);
        fail(e.code ?? "ECONNRESET", e.message);
      });
      req.on("close", () => {
        clearTimeout(connectTimer);
        clearTimeout(timer);
      });
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
