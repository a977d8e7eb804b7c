/**
 * The stand's HTTP face: the GIS service paths (SOAP: Ack at once, processing in the background,
 * getState), the file store upload, and the admin endpoints (inspection, faults, organizations,
 * latency). One instance per running stand; src/stand/index.ts starts it.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Signer } from "../../signing/signer";
import { resolveSchemaDir, schemaInForce } from "../../transport/schema/validate";
import { SERVICES, ServiceName } from "../../transport/services";
import { MemoryStore } from "../store";
import { ackAnswer, faultAnswer } from "./answers";
import { CODES, Rejection, TEXTS } from "./codes";
import { FaultConfig, FaultKind, FaultPlan } from "./faults";
import { FILE_STORE_PREFIX, fileStoreAnswer } from "./file-store";
import { BodyTooLarge, readBody, sendJson, sendXml } from "./http-util";
import { Intake, intake, operationOf } from "./intake";
import { Journal } from "./journal";
import { Latency, MessageBook } from "./messages";
import { OrganizationInput, makeOrganization } from "./organizations";

export interface StandSettings {
  store: MemoryStore;
  signer: Signer;
  latency: Latency;
  verify: boolean;
  strict: boolean;
  validate: boolean;
  /** Requests are validated against this package: an official folder, or wsdl/ with formatPackage's versions. */
  schemaDir?: string;
  formatPackage?: string;
  faults: FaultConfig;
  maxRequestBytes: number;
  log: (level: "info" | "warn" | "error", message: string, meta?: Record<string, unknown>) => void;
}

export interface Inspection {
  tables: Record<string, number>;
  organizations: number;
  duplicates: Array<{ kind: string; key: string; at: string }>;
  received: Record<string, number>;
  rejected: { byCode: Record<string, number>; log: Journal["rejected"] };
  inFlight: number;
  messages: number;
  faults: { config: FaultConfig; counts: FaultPlan["counts"] };
  /** Mean milliseconds per request: the intake checks (parse, schema, signature) and the handler. */
  timings: { intakeMs: Record<string, number>; handlerMs: Record<string, number> };
  settings: { verify: boolean; strict: boolean; validate: boolean; latency: Latency; schema: StandSchema | null };
}

/** What the stand validates requests against. */
export interface StandSchema {
  dir: string;
  package: string | null;
  official: boolean;
  /** The base:version table in use; null: an official folder with none beside it (versions are not checked). */
  versionTable: string | null;
}

const ADMIN = "/stand/admin/";
const mean = (m: Map<string, { count: number; ms: number }>) => Object.fromEntries([...m].map(([k, v]) => [k, Math.round((v.ms / v.count) * 1000) / 1000]));

export class Stand {
  readonly book: MessageBook;
  readonly journal = new Journal();
  faults: FaultPlan;
  readonly schema: StandSchema | null;
  private readonly byPath = new Map<string, ServiceName>();

  constructor(readonly s: StandSettings) {
    this.faults = new FaultPlan(s.faults);
    // Resolved once, so a wrong --schema-dir stops the start instead of refusing every request.
    const sc = s.validate ? schemaInForce({ schemaDir: s.schemaDir, formatPackage: s.formatPackage }) : null;
    this.schema = sc && { dir: sc.dir, package: sc.package, official: sc.official, versionTable: sc.versions?.file ?? null };
    this.book = new MessageBook({
      store: s.store,
      signer: s.signer,
      latency: s.latency,
      onInternalError: (operation, e) => s.log("error", `стенд: обработчик ${operation} упал`, { error: (e as Error)?.stack ?? String(e) }),
    });
    for (const [name, svc] of Object.entries(SERVICES)) this.byPath.set(svc.path, name as ServiceName);
  }

  setFaults(c: FaultConfig): void {
    this.faults = new FaultPlan(c, this.faults.counts);
  }

  inspect(): Inspection {
    const st = this.s.store;
    return {
      tables: Object.fromEntries(st.tableNames().map((t) => [t, st.table(t).size])),
      organizations: st.organizations().length,
      duplicates: st.duplicates,
      received: Object.fromEntries(this.journal.received),
      rejected: { byCode: Object.fromEntries(this.journal.rejectedByCode), log: this.journal.rejected },
      inFlight: this.book.inFlight(),
      messages: this.book.size,
      faults: { config: this.faults.config, counts: this.faults.counts },
      timings: { intakeMs: mean(this.journal.intakeMs), handlerMs: mean(this.book.handled) },
      settings: { verify: this.s.verify, strict: this.s.strict, validate: this.s.validate, latency: this.book.latency, schema: this.schema },
    };
  }

  /** The request listener of the HTTP server. */
  handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    this.dispatch(req, res).catch((e) => {
      this.s.log("error", "стенд: непредвиденная ошибка", { error: (e as Error)?.stack ?? String(e) });
      if (!res.headersSent) sendXml(res, 500, faultAnswer(CODES.internal, TEXTS.internal, false));
    });
  };

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand");
    const method = req.method ?? "GET";
    let body: Buffer;
    try {
      body = await readBody(req, this.s.maxRequestBytes);
    } catch (e) {
      if (e instanceof BodyTooLarge && !res.headersSent) res.writeHead(413, { Connection: "close" }).end(e.message);
      return;
    }
    if (url.pathname.startsWith(ADMIN)) return this.admin(method, url.pathname.slice(ADMIN.length), body, res);
    if (url.pathname.startsWith(FILE_STORE_PREFIX)) return fileStoreAnswer(this.s.store, method, url.pathname, req.headers, body, res);
    const service = this.byPath.get(url.pathname);
    if (!service) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end(`Нет сервиса по адресу ${url.pathname}`);
      return;
    }
    if (method === "GET" && url.searchParams.has("wsdl")) return this.wsdl(service, res);
    if (method !== "POST") {
      res.writeHead(405, { Allow: "POST" }).end();
      return;
    }
    await this.soap(service, operationOf(req.headers.soapaction as string | undefined), body.toString("utf8"), req, res);
  }

  private async soap(service: ServiceName, operation: string, xml: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.journal.receive(operation || "?");
    const fault = this.faults.draw(operation);
    if (fault && fault !== "lostAck" && this.injectFault(fault, req, res)) return;

    const t0 = performance.now();
    let got: Intake;
    try {
      got = await intake(xml, service, operation, {
        store: this.s.store,
        wasReceived: (g) => this.book.wasReceived(g),
        validate: this.s.validate,
        verify: this.s.verify,
        strict: this.s.strict,
        schemaDir: this.s.schemaDir,
        formatPackage: this.s.formatPackage,
        maxBytes: this.s.maxRequestBytes,
      });
    } catch (e) {
      if (!(e instanceof Rejection)) throw e;
      return this.refuse(res, operation, e, orgOf(xml));
    } finally {
      this.journal.intake(operation || "?", performance.now() - t0);
    }

    if (got.kind === "getState") {
      const rec = this.book.get(got.gisMessageGuid);
      if (!rec || (got.org && rec.orgPPAGUID !== got.org.orgPPAGUID)) {
        return this.refuse(
          res,
          operation,
          new Rejection(CODES.unknownMessage, `Сообщение с MessageGUID ${got.gisMessageGuid} не найдено`),
          got.org?.orgPPAGUID ?? null,
        );
      }
      sendXml(res, 200, await this.book.answer(rec));
      return;
    }

    const org = got.req.org?.orgPPAGUID ?? null;
    const cap = this.faults.config.maxInFlightPerOrg;
    if (cap !== undefined && this.book.inFlight(org) >= cap) {
      this.faults.count("throttled");
      return this.refuse(res, operation, new Rejection(CODES.overload, TEXTS.throttled), org, false);
    }
    const rec = this.book.accept(got.req, got.spec);
    if (fault === "lostAck") {
      req.socket.destroy();
      return;
    }
    sendXml(res, 200, ackAnswer(rec.guid, rec.requesterGuid));
  }

  /** Answers with the fault; false when the request should go on (never, today). */
  private injectFault(kind: Exclude<FaultKind, "lostAck">, req: http.IncomingMessage, res: http.ServerResponse): boolean {
    switch (kind) {
      case "http500":
      case "http502":
      case "http503": {
        const status = Number(kind.slice(4));
        res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" }).end(`<html><body><h1>${status} ${http.STATUS_CODES[status]}</h1></body></html>`);
        return true;
      }
      case "timeout":
        return true; // held: the socket stays open and nothing is ever written
      case "reset":
        req.socket.destroy();
        return true;
      case "malformed":
        sendXml(
          res,
          200,
          '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><base:AckRequest xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/"><base:Ack><base:MessageGUID>',
        );
        return true;
      case "exp001000":
        sendXml(res, 500, faultAnswer(CODES.overload, TEXTS.overload, false));
        return true;
    }
  }

  private refuse(res: http.ServerResponse, operation: string, e: Rejection, org: string | null, client = true): void {
    this.journal.reject({ operation: operation || "?", code: e.code, text: e.text, orgPPAGUID: org });
    sendXml(res, e.httpStatus, faultAnswer(e.code, e.text, client));
  }

  private wsdl(service: ServiceName, res: http.ServerResponse): void {
    const folder = SERVICES[service].folder;
    const file = path.join(resolveSchemaDir(this.s.schemaDir), folder, `hcs-${folder}-service-async.wsdl`);
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    sendXml(res, 200, fs.readFileSync(file, "utf8"));
  }

  private admin(method: string, what: string, body: Buffer, res: http.ServerResponse): void {
    const json = (): unknown => {
      try {
        return JSON.parse(body.toString("utf8") || "{}");
      } catch (e) {
        throw new Rejection("ADMIN", `тело запроса — не JSON: ${(e as Error).message}`, 400);
      }
    };
    try {
      if (what === "inspect" && method === "GET") return sendJson(res, 200, this.inspect());
      if (what === "faults" && method === "GET") return sendJson(res, 200, this.faults.config);
      if (what === "faults" && method === "POST") {
        this.setFaults(json() as FaultConfig);
        return sendJson(res, 200, this.faults.config);
      }
      if (what === "latency" && method === "POST") {
        const l = json() as Partial<Latency>;
        this.book.latency = { receivedMs: Math.max(0, Number(l.receivedMs ?? 0)), processingMs: Math.max(0, Number(l.processingMs ?? 0)) };
        return sendJson(res, 200, this.book.latency);
      }
      if (what === "organizations" && method === "GET") return sendJson(res, 200, this.s.store.organizations());
      if (what === "organizations" && method === "POST") {
        const org = makeOrganization(json() as OrganizationInput);
        const known = this.s.store.organization(org.orgPPAGUID);
        if (known) org.certificateFingerprints = [...new Set([...known.certificateFingerprints, ...org.certificateFingerprints])];
        this.s.store.addOrganization(org);
        this.s.log("info", `стенд: зарегистрирована организация ${org.shortName}`, { orgPPAGUID: org.orgPPAGUID });
        return sendJson(res, known ? 200 : 201, org);
      }
      sendJson(res, 404, { error: `нет такого действия: ${method} ${ADMIN}${what}` });
    } catch (e) {
      sendJson(res, e instanceof Rejection ? e.httpStatus : 400, { error: e instanceof Rejection ? e.text : (e as Error).message });
    }
  }
}

/** The orgPPAGUID of a refused request, for the log, without trusting the request to parse. */
function orgOf(xml: string): string | null {
  const m = /<(?:[\w.-]+:)?orgPPAGUID>\s*([0-9a-fA-F-]{36})\s*</.exec(xml.slice(0, 4096));
  return m ? m[1].toLowerCase() : null;
}
