/**
 * The built-in GIS ЖКХ stand (emulator), startable in-process (tests, demo) or by `gis-sync stand`:
 * the same SOAP paths as GIS, Ack at once and getState 1 → 2 → 3, checks like GIS (schema,
 * signature, certificate of the organization, MessageGUID reuse, orgPPAGUID), faults on demand,
 * inspection, and a data file so the state survives a restart.
 */
import http from "node:http";
import { AddressInfo } from "node:net";
import { log } from "../log";
import { generateTestKey } from "../signing/keygen";
import { Signer } from "../signing/signer";
import { SoftwareSigner } from "../signing/software-signer";
import { MemoryStore } from "./store";
import { StandOrganization } from "./types";
import { FaultConfig } from "./core/faults";
import { Latency } from "./core/messages";
import { loadDataFile, saveDataFile } from "./core/persistence";
import { Inspection, Stand } from "./core/stand";

export type { FaultConfig, FaultKind } from "./core/faults";
export type { Inspection } from "./core/stand";
export type { Latency } from "./core/messages";
export { parseFaultSpec } from "./core/faults";
export { makeOrganization, demoOrganization, readOrganizationsFile, certificateFingerprint } from "./core/organizations";
export type { OrganizationInput } from "./core/organizations";

export interface StandOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** Organizations to register (added to those of the data file). */
  organizations?: StandOrganization[];
  /** Load the state from this file at start, save it periodically and on close. */
  dataFile?: string;
  saveEveryMs?: number;
  latency?: Partial<Latency>;
  /** Verify XAdES signatures of requests (default true; off for pure client benchmarks). */
  verify?: boolean;
  /** The signing certificate must be one of the organization's (default true). */
  strict?: boolean;
  /** Validate requests against the schema (default true). */
  validate?: boolean;
  /** The package requests are validated against: an official folder, else wsdl/ with formatPackage's base:version table. */
  schemaDir?: string;
  formatPackage?: string;
  /** What signs the stand's answers; else keyFile/certFile; else a fresh test key. */
  signer?: Signer;
  keyFile?: string;
  certFile?: string;
  faults?: FaultConfig;
  maxRequestBytes?: number;
  /** Log lines; the application logger by default. */
  log?: (level: "info" | "warn" | "error", message: string, meta?: Record<string, unknown>) => void;
}

export interface RunningStand {
  url: string;
  store: MemoryStore;
  /** The stand's own certificate (PEM is not kept; DER of what signs its answers). */
  certificate: Buffer;
  stats(): Inspection;
  setFaults(c: FaultConfig): void;
  /** Waits until every accepted message is processed. */
  idle(): Promise<void>;
  /** Saves the data file now (no-op without one). */
  save(): void;
  /** Stops listening, drops held connections, finishes processing, saves. */
  close(): Promise<void>;
}

async function standSigner(o: StandOptions): Promise<Signer> {
  if (o.signer) return o.signer;
  if (o.keyFile && o.certFile) return SoftwareSigner.fromFiles(o.keyFile, o.certFile);
  if (o.keyFile || o.certFile) throw new Error("стенд: ключ и сертификат задаются вместе (--key и --cert)");
  const k = await generateTestKey({ commonName: "Стенд ГИС ЖКХ gis-sync", organization: "gis-sync", days: 3650 });
  return SoftwareSigner.fromPem(k.keyPem, k.certPem);
}

export async function startStand(o: StandOptions = {}): Promise<RunningStand> {
  const say = o.log ?? ((level, message, meta) => log.log(level, message, meta));
  const loaded = o.dataFile ? loadDataFile(o.dataFile) : null;
  const store = loaded?.store ?? new MemoryStore();
  for (const org of o.organizations ?? []) store.addOrganization(org);
  const signer = await standSigner(o);
  const stand = new Stand({
    store,
    signer,
    latency: { receivedMs: o.latency?.receivedMs ?? 0, processingMs: o.latency?.processingMs ?? 0 },
    verify: o.verify ?? true,
    strict: o.strict ?? true,
    validate: o.validate ?? true,
    schemaDir: o.schemaDir,
    formatPackage: o.formatPackage,
    faults: o.faults ?? {},
    maxRequestBytes: o.maxRequestBytes ?? 64 * 1024 * 1024,
    log: say,
  });
  if (loaded) stand.book.restore(loaded.messages);

  const server = http.createServer({ keepAlive: true }, stand.handle);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, o.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;

  const save = () => {
    if (!o.dataFile) return;
    try {
      saveDataFile(o.dataFile, store, stand.book.save());
    } catch (e) {
      say("error", `стенд: не удалось сохранить ${o.dataFile}: ${(e as Error).message}`);
    }
  };
  const saver = o.dataFile ? setInterval(save, o.saveEveryMs ?? 30_000) : null;
  saver?.unref();

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${addr.port}`,
    store,
    certificate: signer.certificate,
    stats: () => stand.inspect(),
    setFaults: (c) => stand.setFaults(c),
    idle: () => stand.book.drain(),
    save,
    close: () =>
      (closing ??= (async () => {
        if (saver) clearInterval(saver);
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
        await stand.book.drain(true);
        await closed;
        save();
      })()),
  };
}
