/**
 * The generator's state while it writes one bundle: the seeded PRNGs (call order is part of the
 * output, so every writer draws from them in a fixed order), the CSV writers, running counters,
 * the deliberately broken targets and the rows broken so far. Only the current house's objects
 * are held; everything else is already on disk.
 */
import path from "node:path";
import { BUNDLE_FILES } from "../bundle/format";
import { CsvWriter } from "./csv-writer";
import { BROKEN_KINDS, BrokenKind, BrokenRow, GenerateOptions } from "./model";
import { Prng } from "./prng";
import { CentreDates, centreDates, centrePeriods } from "./centre";
import { OUR_ORG, RSO_ORG, ServiceDef, UO_ORG } from "./catalog";

export interface Period {
  year: number;
  month: number;
}

export interface MeterState {
  id: string;
  resource: string;
  scale: number;
  t1: number;
  /** Night zone for two-tariff electricity meters, else -1. */
  t2: number;
  delta: number;
  perMonth: [number, number];
  /** Global index of the account whose broken-object targets apply to this meter. */
  ownerAcc: number;
  /** Accounts sharing the meter (communal flat). */
  shares: number;
  lastWrittenT1: number;
  brokenMonths: Set<number> | null;
}

export interface AccountState {
  idx: number;
  id: string;
  /** The account's organization (bundle id) and number (payment documents are numbered by it). */
  org: string;
  number: string;
  residents: number;
  area10: number;
  isOrg: boolean;
  balanceKop: number;
  meters: MeterState[];
}

export interface PremisePlan {
  kind: "residential" | "non_residential";
  number: string;
  floor: number;
  entrance: number;
  area10: number;
  roomsCount: number;
  /** Number of rooms with their own accounts (communal flat), 0 for an ordinary one. */
  communalRooms: number;
  accounts: number;
}

export class BrokenTargets {
  private readonly sets = new Map<BrokenKind, Set<number>>();

  constructor(readonly perKind: number) {}

  choose(rnd: Prng, total: number, firstHouse: number): void {
    if (this.perKind === 0) return;
    for (const kind of Object.keys(BROKEN_KINDS) as BrokenKind[]) {
      if (kind === "org_inn_check_digit") continue;
      // One target inside the first house guarantees at least one of each kind, even for tiny bundles.
      const set = new Set<number>([rnd.int(0, firstHouse - 1)]);
      for (let i = 1; i < this.perKind; i++) set.add(rnd.int(0, total - 1));
      this.sets.set(kind, set);
    }
  }

  has(kind: BrokenKind, accountIdx: number): boolean {
    return this.sets.get(kind)?.has(accountIdx) ?? false;
  }

  inRange(kind: BrokenKind, from: number, to: number): boolean {
    const set = this.sets.get(kind);
    if (!set) return false;
    for (const v of set) if (v >= from && v < to) return true;
    return false;
  }
}

export function parsePeriods(endPeriod: string, months: number): Period[] {
  const m = /^(\d{4})-(\d{2})$/.exec(endPeriod);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`endPeriod must be YYYY-MM, got "${endPeriod}"`);
  const end = Number(m[1]) * 12 + Number(m[2]) - 1;
  const out: Period[] = [];
  for (let k = end - months + 1; k <= end; k++) out.push({ year: Math.floor(k / 12), month: (k % 12) + 1 });
  return out;
}

export class GenState {
  readonly seed: number;
  readonly rnd: Prng;
  readonly periods: Period[];
  readonly writers: Record<string, CsvWriter> = {};
  readonly writerList: CsvWriter[];
  readonly broken: BrokenRow[] = [];
  readonly targets: BrokenTargets;
  readonly brokenRnd: Prng;
  houseCount = 0;
  accIdx = 0;
  readonly n = { entrance: 0, premise: 0, room: 0, meter: 0, reading: 0, doc: 0, payment: 0, org: 5 };
  readonly streetHouse = new Map<string, number>();
  readonly svcGuid: Record<string, string> = {};
  /** Accounts whose one broken meter / payment has been written already. */
  readonly meterBrokenFor = new Set<number>();
  readonly paymentBrokenFor = new Set<number>();
  /** The settlement centre's layout (GenerateOptions.centre), else null. */
  readonly centre: CentreDates | null;
  /** Dated from today (GenerateOptions.today, or the centre's): this month's readings in an open window; else null. */
  readonly dated: CentreDates | null;

  constructor(readonly opts: GenerateOptions) {
    this.seed = (opts.seed ?? 1) >>> 0;
    this.rnd = new Prng(this.seed);
    this.brokenRnd = new Prng((this.seed ^ 0x9e3779b9) >>> 0);
    this.centre = opts.centre ? centreDates(opts.centre.today) : null;
    this.dated = this.centre ?? (opts.today !== undefined ? centreDates(opts.today) : null);
    this.periods = this.dated ? centrePeriods(this.dated, opts.months ?? 12) : parsePeriods(opts.endPeriod ?? "2025-12", opts.months ?? 12);
    if (this.centre) this.n.org = 6;
    const perKind = opts.broken === false ? 0 : Math.min(50, Math.max(1, Math.round(opts.accounts * 0.001)));
    this.targets = new BrokenTargets(perKind);
    for (const spec of BUNDLE_FILES) {
      this.writers[spec.name] = new CsvWriter(
        spec.name,
        path.join(opts.outDir, `${spec.name}.csv`),
        spec.fields.map((f) => f.column),
      );
    }
    this.writerList = BUNDLE_FILES.map((s) => this.writers[s.name]);
  }

  /** Who provides a service: ours alone, or in the centre's layout electricity the supplier and the rest the managing organization. */
  providerOf(s: ServiceDef): string {
    if (!this.centre) return OUR_ORG;
    return s.key === "power" ? RSO_ORG : UO_ORG;
  }

  get brokenOn(): boolean {
    return this.targets.perKind > 0;
  }

  markBroken(kind: BrokenKind, line: number, key: string, value: string): void {
    const k = BROKEN_KINDS[kind];
    this.broken.push({ file: `${k.file}.csv`, line, key, column: k.column, value, kind, description: k.description });
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.writerList.map((w) => w.close()));
  }

  async flushAll(): Promise<void> {
    for (const w of this.writerList) await w.flush();
  }
}
