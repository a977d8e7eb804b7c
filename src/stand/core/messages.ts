/**
 * The messages the stand accepted, like GIS keeps them: each gets GIS's MessageGUID, is processed in
 * the background (one at a time, so handlers never interleave on the state), and shows
 * RequestState 1 → 2 → 3 with the configured latency. The final getStateResult is serialized once
 * when processing ends; every distinct answer (message + state) is signed once and the signed bytes
 * are cached, because pure-JS GOST signing (~100/s) would otherwise cap getState throughput.
 */
import { Signer } from "../../signing/signer";
import { signEnvelope } from "../../signing/xades";
import { XNode, serialize } from "../../transport/envelope/xml";
import { ServiceName } from "../../transport/services";
import { HandlerSpec, StandError, StandRequest, StandStore } from "../types";
import { errorMessage, stateEnvelope, stateResult } from "./answers";
import { CODES, TEXTS } from "./codes";

export interface Latency {
  /** How long a message stays "received" (1) before processing starts. */
  receivedMs: number;
  /** The least time it stays "in processing" (2). */
  processingMs: number;
}

export interface MessageRecord {
  guid: string;
  requesterGuid: string;
  service: ServiceName;
  operation: string;
  orgPPAGUID: string | null;
  resultPrefix: string;
  resultVersion: string;
  acceptedAt: number;
  /** When processing ended (ms since epoch); null while not processed. */
  processedAt: number | null;
  /** The final getStateResult, canonical and unsigned; null while not processed. */
  finalXml: string | null;
  /** The whole-message error code of the result, if any (inspection). */
  errorCode: string | null;
}

export interface SavedMessages {
  requesterGuids: string[];
  records: MessageRecord[];
}

export interface MessageBookOptions {
  store: StandStore;
  signer: Signer;
  latency: Latency;
  /** Finished messages kept for getState; the oldest are forgotten beyond this (default 100,000). */
  maxMessages?: number;
  /** Budget for cached signed answers, bytes (default 64 MB). */
  cacheBytes?: number;
  onInternalError?: (operation: string, error: unknown) => void;
}

/** Signed answers by "guid:state", oldest evicted first when over the byte budget. */
class SignedCache {
  private readonly map = new Map<string, Promise<string>>();
  private readonly sizes = new Map<string, number>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  get(key: string, make: () => Promise<string>): Promise<string> {
    let p = this.map.get(key);
    if (p) return p;
    p = make();
    this.map.set(key, p);
    p.then(
      (s) => {
        if (this.map.get(key) !== p) return;
        this.sizes.set(key, s.length);
        this.bytes += s.length;
        for (const [k] of this.map) {
          if (this.bytes <= this.budget) break;
          if (k !== key) this.delete(k);
        }
      },
      () => this.map.delete(key),
    );
    return p;
  }

  delete(key: string): void {
    this.map.delete(key);
    this.bytes -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
  }
}

export class MessageBook {
  private readonly records = new Map<string, MessageRecord>();
  private readonly requesterGuids = new Set<string>();
  private readonly cache: SignedCache;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  /** Messages still "received" (state 1), waiting for their processing to start. */
  private readonly waiting = new Map<NodeJS.Timeout, () => void>();
  /** CPU-ish wall time spent in handlers, per operation (single-threaded, so it is the handler's time). */
  readonly handled = new Map<string, { count: number; ms: number }>();

  constructor(private readonly o: MessageBookOptions) {
    this.cache = new SignedCache(o.cacheBytes ?? 64 * 1024 * 1024);
  }

  set latency(l: Latency) {
    this.o.latency = l;
  }

  get latency(): Latency {
    return this.o.latency;
  }

  wasReceived(requesterGuid: string): boolean {
    return this.requesterGuids.has(requesterGuid.toLowerCase());
  }

  get(guid: string): MessageRecord | undefined {
    return this.records.get(guid.toLowerCase());
  }

  /** Accepted, not yet processed messages (of one organization, or all). */
  inFlight(orgPPAGUID?: string | null): number {
    let n = 0;
    for (const r of this.records.values()) if (r.finalXml === null && (orgPPAGUID === undefined || r.orgPPAGUID === orgPPAGUID)) n++;
    return n;
  }

  get size(): number {
    return this.records.size;
  }

  /** Records the message and schedules its processing. */
  accept(req: StandRequest, spec: HandlerSpec): MessageRecord {
    const rec: MessageRecord = {
      guid: req.messageGuid,
      requesterGuid: req.requesterMessageGuid.toLowerCase(),
      service: req.service,
      operation: req.operation,
      orgPPAGUID: req.org?.orgPPAGUID ?? null,
      resultPrefix: spec.resultPrefix,
      resultVersion: spec.resultVersion,
      acceptedAt: req.received.getTime(),
      processedAt: null,
      finalXml: null,
      errorCode: null,
    };
    this.records.set(rec.guid, rec);
    this.requesterGuids.add(rec.requesterGuid);
    this.pending++;
    const start = () => {
      this.queue = this.queue.then(() => this.process(rec, req, spec)).finally(() => this.pending--);
    };
    if (this.o.latency.receivedMs > 0) {
      const t = setTimeout(() => {
        this.waiting.delete(t);
        start();
      }, this.o.latency.receivedMs);
      this.waiting.set(t, start);
    } else start();
    this.forgetOld();
    return rec;
  }

  private async process(rec: MessageRecord, req: StandRequest, spec: HandlerSpec): Promise<void> {
    const t0 = performance.now();
    const result = (payload: XNode[]) => serialize(stateResult(rec.resultPrefix, rec.resultVersion, 3, rec.guid, payload));
    try {
      rec.finalXml = result(await spec.handle(req, this.o.store));
    } catch (e) {
      if (e instanceof StandError) rec.finalXml = result([errorMessage(e.code, e.description)]);
      else {
        this.o.onInternalError?.(rec.operation, e);
        rec.finalXml = result([errorMessage(CODES.internal, TEXTS.internal)]);
      }
      rec.errorCode = e instanceof StandError ? e.code : CODES.internal;
    }
    rec.processedAt = Date.now();
    const ms = performance.now() - t0;
    const h = this.handled.get(rec.operation) ?? { count: 0, ms: 0 };
    h.count++;
    h.ms += ms;
    this.handled.set(rec.operation, h);
    this.cache.delete(`${rec.guid}:1`);
    this.cache.delete(`${rec.guid}:2`);
  }

  /** The RequestState a getState sees now. */
  stateOf(rec: MessageRecord, now = Date.now()): 1 | 2 | 3 {
    const { receivedMs, processingMs } = this.o.latency;
    if (rec.finalXml === null) return now < rec.acceptedAt + receivedMs ? 1 : 2;
    return now < rec.acceptedAt + receivedMs + processingMs ? (now < rec.acceptedAt + receivedMs ? 1 : 2) : 3;
  }

  /** The signed getState answer for the message as it stands now. */
  answer(rec: MessageRecord, now = Date.now()): Promise<string> {
    const state = this.stateOf(rec, now);
    return this.cache.get(`${rec.guid}:${state}`, () => {
      const xml = state === 3 ? rec.finalXml! : serialize(stateResult(rec.resultPrefix, rec.resultVersion, state, rec.guid, []));
      return signEnvelope(stateEnvelope(xml, rec.guid), this.o.signer);
    });
  }

  /** Resolves when every accepted message has been processed; `now` skips the remaining "received" wait (close). */
  async drain(now = false): Promise<void> {
    if (now) {
      for (const [t, start] of this.waiting) {
        clearTimeout(t);
        start();
      }
      this.waiting.clear();
    }
    while (this.pending > 0) {
      if (this.waiting.size > 0) await new Promise((r) => setTimeout(r, 5));
      else await this.queue;
    }
  }

  private forgetOld(): void {
    const max = this.o.maxMessages ?? 100_000;
    if (this.records.size <= max) return;
    for (const [guid, r] of this.records) {
      if (this.records.size <= max) break;
      if (r.finalXml === null) continue;
      this.records.delete(guid);
      this.cache.delete(`${guid}:3`);
    }
  }

  save(): SavedMessages {
    return { requesterGuids: [...this.requesterGuids], records: [...this.records.values()].filter((r) => r.finalXml !== null) };
  }

  restore(saved: SavedMessages): void {
    for (const g of saved.requesterGuids) this.requesterGuids.add(g);
    for (const r of saved.records) this.records.set(r.guid, r);
  }
}
