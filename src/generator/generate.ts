/**
 * Synthetic billing bundle: one CSV per BUNDLE_FILES entry, realistic Russian data, a seeded PRNG
 * so the same seed gives byte-identical files, and (optionally) a few deliberately broken objects
 * listed in broken.json.
 *
 * Memory stays bounded: the generator works one house at a time (a house's premises, accounts,
 * meters and their months), keeps only that house's state, and hands rows to WriteStreams that it
 * waits on ('drain') whenever they are full.
 */
import fs from "node:fs";
import path from "node:path";
import { BUNDLE_FILES } from "../bundle/format";
import { Prng } from "./prng";
import { breakInn, makeInn10, makeKpp, makeOgrn13, makeSnils } from "./checksums";
import { CsvWriter } from "./csv-writer";
import {
  BUSINESS_KINDS, BUSINESS_NAMES, CITIES, City, FEMALE_NAMES, femaleSurname, MALE_NAMES, METER_MODELS, PATRONYMICS,
  REGION, STREETS, SURNAMES, TIME_ZONE,
} from "./ru-data";
import { BROKEN_KINDS, BrokenKind, BrokenRow, GenerateOptions, GenerateReport, GeneratedFile } from "./model";

export * from "./model";

// ---------------------------------------------------------------------------------------------
// Formatting helpers (all integer arithmetic, so output never depends on float rounding quirks).

const p2 = (n: number) => (n < 10 ? "0" + n : String(n));
const ymd = (y: number, m: number, d: number) => `${y}-${p2(m)}-${p2(d)}`;

/** An integer count of 10^-scale units as a decimal string: fixed(12345, 3) = "12.345". */
function fixed(units: number, scale: number): string {
  const neg = units < 0;
  const a = Math.abs(units);
  const div = 10 ** scale;
  const int = Math.floor(a / div);
  const frac = String(a - int * div).padStart(scale, "0");
  return (neg ? "-" : "") + int + (scale > 0 ? "." + frac : "");
}
const rub = (kop: number) => fixed(kop, 2);

function addDays(day: string, n: number): string {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Services of our organization (a resource-supplying organization, РСО).

type SvcKey = "cold" | "hot" | "sewer" | "power" | "gas" | "heat" | "vdgo";

interface ServiceDef {
  key: SvcKey;
  id: string;
  code: string;
  name: string;
  kind: "municipal" | "housing";
  nsiRegistry: number;
  nsiCode: string;
  /** NSI 2 municipal resource code. */
  resource: string;
  okei: string;
  /** Tariff in kopecks per unit for January–June 2025; indexed by 10 % every 1 July. */
  tariffKop: number;
}

const SERVICES: readonly ServiceDef[] = [
  { key: "cold", id: "S1", code: "ХВС", name: "Холодное водоснабжение", kind: "municipal", nsiRegistry: 3, nsiCode: "1", resource: "1", okei: "113", tariffKop: 3957 },
  { key: "hot", id: "S2", code: "ГВС", name: "Горячее водоснабжение", kind: "municipal", nsiRegistry: 3, nsiCode: "2", resource: "2", okei: "113", tariffKop: 22106 },
  { key: "sewer", id: "S3", code: "ВО", name: "Водоотведение", kind: "municipal", nsiRegistry: 3, nsiCode: "3", resource: "8", okei: "113", tariffKop: 3067 },
  { key: "power", id: "S4", code: "ЭЭ", name: "Электроснабжение", kind: "municipal", nsiRegistry: 3, nsiCode: "4", resource: "3", okei: "245", tariffKop: 536 },
  { key: "gas", id: "S5", code: "ГАЗ", name: "Газоснабжение", kind: "municipal", nsiRegistry: 3, nsiCode: "5", resource: "4", okei: "113", tariffKop: 764 },
  { key: "heat", id: "S6", code: "ОТП", name: "Отопление", kind: "municipal", nsiRegistry: 3, nsiCode: "6", resource: "5", okei: "233", tariffKop: 261641 },
  { key: "vdgo", id: "S7", code: "ВДГО", name: "Техническое обслуживание внутридомового газового оборудования", kind: "housing", nsiRegistry: 50, nsiCode: "12", resource: "", okei: "796", tariffKop: 4850 },
];
const SVC = Object.fromEntries(SERVICES.map((s) => [s.key, s])) as Record<SvcKey, ServiceDef>;

function tariffKop(s: ServiceDef, year: number, month: number): number {
  const k = year - 2025 + (month >= 7 ? 1 : 0);
  return Math.round(s.tariffKop * 1.1 ** k);
}

/** Meter value scale (decimals) and monthly consumption per resident, in 10^-scale units. */
const METERING: Record<string, { scale: number; perResident: [number, number] }> = {
  "1": { scale: 3, perResident: [2200, 4200] },
  "2": { scale: 3, perResident: [1400, 2900] },
  "3": { scale: 1, perResident: [600, 1300] },
  "4": { scale: 3, perResident: [6000, 14000] },
  "5": { scale: 3, perResident: [0, 0] },
};

// ---------------------------------------------------------------------------------------------

const OUR_ORG = "O1";
const BANK_ORG = "O2";
const POST_ORG = "O3";
const UO_ORG = "O4";
const AGENT_ORG = "O5";
const OUR_BIK = "049205603";
const HEATING_MONTHS = new Set([1, 2, 3, 4, 10, 11, 12]);

interface Period {
  year: number;
  month: number;
}

interface MeterState {
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

interface AccountState {
  idx: number;
  id: string;
  residents: number;
  area10: number;
  isOrg: boolean;
  balanceKop: number;
  meters: MeterState[];
}

interface PremisePlan {
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

class BrokenTargets {
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

function parsePeriods(endPeriod: string, months: number): Period[] {
  const m = /^(\d{4})-(\d{2})$/.exec(endPeriod);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`endPeriod must be YYYY-MM, got "${endPeriod}"`);
  const end = Number(m[1]) * 12 + Number(m[2]) - 1;
  const out: Period[] = [];
  for (let k = end - months + 1; k <= end; k++) out.push({ year: Math.floor(k / 12), month: (k % 12) + 1 });
  return out;
}

export function validateOptions(opts: GenerateOptions): void {
  if (!Number.isSafeInteger(opts.accounts) || opts.accounts < 1) throw new Error("accounts must be a positive integer");
  const months = opts.months ?? 12;
  if (!Number.isInteger(months) || months < 1 || months > 240) throw new Error("months must be an integer from 1 to 240");
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff)) {
    throw new Error("seed must be an integer from 0 to 4294967295");
  }
  if ((opts.format ?? "csv") !== "csv") throw new Error(`format must be "csv"`);
}

export async function generateBundle(opts: GenerateOptions): Promise<GenerateReport> {
  validateOptions(opts);
  const started = Date.now();
  await fs.promises.mkdir(opts.outDir, { recursive: true });
  const g = new Generator(opts);
  try {
    await g.run();
  } finally {
    await g.closeAll();
  }
  const files: GeneratedFile[] = [];
  for (const w of g.writerList) {
    files.push({ name: w.name, file: path.basename(w.path), rows: w.rows, bytes: (await fs.promises.stat(w.path)).size });
  }
  const order = new Map(BUNDLE_FILES.map((s, i) => [`${s.name}.csv`, i]));
  g.broken.sort((x, y) => order.get(x.file)! - order.get(y.file)! || x.line - y.line);
  await fs.promises.writeFile(path.join(opts.outDir, "broken.json"), JSON.stringify(g.broken, null, 2) + "\n");
  const brokenByKind: Partial<Record<BrokenKind, number>> = {};
  for (const b of g.broken) brokenByKind[b.kind] = (brokenByKind[b.kind] ?? 0) + 1;
  return {
    outDir: opts.outDir,
    seed: g.seed,
    accounts: opts.accounts,
    months: g.periods.length,
    periods: { from: pk(g.periods[0]), to: pk(g.periods[g.periods.length - 1]) },
    houses: g.houseCount,
    files,
    totalRows: files.reduce((s, f) => s + f.rows, 0),
    totalBytes: files.reduce((s, f) => s + f.bytes, 0),
    broken: g.broken,
    brokenByKind,
    elapsedMs: Date.now() - started,
  };
}

const pk = (p: Period) => `${p.year}-${p2(p.month)}`;

class Generator {
  readonly seed: number;
  readonly rnd: Prng;
  readonly periods: Period[];
  readonly writers: Record<string, CsvWriter> = {};
  readonly writerList: CsvWriter[];
  readonly broken: BrokenRow[] = [];
  readonly targets: BrokenTargets;
  private readonly brokenRnd: Prng;
  houseCount = 0;

  private accIdx = 0;
  private n = { entrance: 0, premise: 0, room: 0, meter: 0, reading: 0, doc: 0, payment: 0, org: 5 };
  private streetHouse = new Map<string, number>();
  private readonly svcGuid: Record<string, string> = {};

  constructor(private readonly opts: GenerateOptions) {
    this.seed = (opts.seed ?? 1) >>> 0;
    this.rnd = new Prng(this.seed);
    this.brokenRnd = new Prng((this.seed ^ 0x9e3779b9) >>> 0);
    this.periods = parsePeriods(opts.endPeriod ?? "2025-12", opts.months ?? 12);
    const perKind = opts.broken === false ? 0 : Math.min(50, Math.max(1, Math.round(opts.accounts * 0.001)));
    this.targets = new BrokenTargets(perKind);
    for (const spec of BUNDLE_FILES) {
      this.writers[spec.name] = new CsvWriter(spec.name, path.join(opts.outDir, `${spec.name}.csv`), spec.fields.map((f) => f.column));
    }
    this.writerList = BUNDLE_FILES.map((s) => this.writers[s.name]);
  }

  private get brokenOn(): boolean {
    return this.targets.perKind > 0;
  }

  private markBroken(kind: BrokenKind, line: number, key: string, value: string): void {
    const k = BROKEN_KINDS[kind];
    this.broken.push({ file: `${k.file}.csv`, line, key, column: k.column, value, kind, description: k.description });
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.writerList.map((w) => w.close()));
  }

  private async flushAll(): Promise<void> {
    for (const w of this.writerList) await w.flush();
  }

  // -------------------------------------------------------------------------------------------

  async run(): Promise<void> {
    this.writeOrganizations();
    this.writeServices();
    const total = this.opts.accounts;
    let first = true;
    while (this.accIdx < total) {
      const remaining = total - this.accIdx;
      const zhd = !first && this.rnd.chance(0.3);
      const plan = zhd ? null : this.planMkd(remaining);
      if (first) this.targets.choose(this.brokenRnd, total, plan ? plan.accounts : 1);
      first = false;
      this.writeHouse(plan);
      this.houseCount++;
      await this.flushAll();
    }
  }

  private orgRow(rec: Record<string, string>, brokenInn = false): void {
    const w = this.writers.organizations;
    const inn = brokenInn ? breakInn(rec.inn) : rec.inn;
    const line = w.obj({ ...rec, inn });
    if (brokenInn) this.markBroken("org_inn_check_digit", line, rec.id, inn);
  }

  private writeOrganizations(): void {
    const r = this.rnd;
    const base = (id: string) => ({
      id, inn: makeInn10(r), kpp: makeKpp(r), ogrn: makeOgrn13(r),
      is_ours: "0", is_managing_company: "0", is_supplier: "0", is_payment_source: "0", is_payment_recipient: "0", is_information_provider: "0",
    });
    this.orgRow({
      ...base(OUR_ORG), full_name: "Акционерное общество «Казанские коммунальные сети»", short_name: "АО «ККС»", role: "RSO",
      is_ours: "1", is_supplier: "1", is_payment_recipient: "1", is_information_provider: "1",
      address: `420111, ${REGION}, г. Казань, ул. Пушкина, д. 5`, fias_address_guid: r.uuid(),
    });
    this.orgRow({
      ...base(BANK_ORG), full_name: "Публичное акционерное общество «Сбербанк России»", short_name: "ПАО Сбербанк",
      is_payment_source: "1", address: "117312, г. Москва, ул. Вавилова, д. 19", fias_address_guid: r.uuid(),
    });
    this.orgRow({
      ...base(POST_ORG), full_name: "Акционерное общество «Почта России»", short_name: "АО «Почта России»",
      is_payment_source: "1", address: "125252, г. Москва, Хорошёвское ш., д. 38", fias_address_guid: r.uuid(),
    });
    this.orgRow({
      ...base(UO_ORG), full_name: 'Общество с ограниченной ответственностью "Управляющая компания "Жилкомфорт"',
      short_name: 'ООО "УК "Жилкомфорт"', role: "UO", is_managing_company: "1",
      address: `420021, ${REGION}, г. Казань, ул. Татарстан, д. 20; офис 4`, fias_address_guid: r.uuid(),
    });
    // A secondary organization nobody references: its ИНН is the broken one (no cascade).
    this.orgRow({
      ...base(AGENT_ORG), full_name: "Общество с ограниченной ответственностью «Платёжный агент Идель»",
      short_name: "ООО «ПА Идель»", is_payment_source: "1", address: `420015, ${REGION}, г. Казань, ул. Карла Маркса, д. 41`,
    }, this.brokenOn);
  }

  private writeServices(): void {
    const w = this.writers.services;
    for (const s of SERVICES) {
      this.svcGuid[s.key] = this.rnd.uuid();
      w.obj({
        id: s.id, organization_id: OUR_ORG, code: s.code, name: s.name, kind: s.kind, nsi_registry: s.nsiRegistry,
        nsi_code: s.nsiCode, nsi_guid: this.svcGuid[s.key], municipal_resource_code: s.resource, okei: s.okei,
      });
    }
  }

  // -------------------------------------------------------------------------------------------

  private planMkd(remaining: number): { floors: number; entrances: number; premises: PremisePlan[]; accounts: number; built: number } {
    const r = this.rnd;
    const floors = r.pick([2, 3, 4, 5, 5, 5, 5, 9, 9, 9, 9, 10, 12, 14, 16, 17]);
    const entrances = floors <= 3 ? r.int(1, 3) : r.int(1, 6);
    const perFloor = floors <= 5 ? r.int(2, 4) : r.int(3, 6);
    const built = floors <= 5 ? r.int(1952, 1988) : r.int(1970, 2023);
    const premises: PremisePlan[] = [];
    let accounts = 0;
    const nonRes = r.chance(0.5) ? r.int(1, 3) : 0;
    for (let i = 0; i < nonRes && accounts < remaining; i++) {
      premises.push({ kind: "non_residential", number: `Н${i + 1}`, floor: 1, entrance: 0, area10: r.int(300, 2500), roomsCount: 0, communalRooms: 0, accounts: 1 });
      accounts++;
    }
    let flat = 0;
    for (let e = 0; e < entrances; e++) {
      for (let fl = 1; fl <= floors; fl++) {
        for (let k = 0; k < perFloor; k++) {
          if (accounts >= remaining) break;
          flat++;
          const roomsCount = r.pick([1, 1, 2, 2, 2, 3, 3, 4]);
          let communal = roomsCount >= 2 && r.chance(0.04) ? roomsCount : 0;
          if (communal > remaining - accounts) communal = 0;
          const area10 = roomsCount * r.int(120, 190) + r.int(50, 140);
          premises.push({ kind: "residential", number: String(flat), floor: fl, entrance: e, area10, roomsCount, communalRooms: communal, accounts: communal || 1 });
          accounts += communal || 1;
        }
      }
    }
    return { floors, entrances, premises, accounts, built };
  }

  private address(city: City): { street: string; text: string } {
    const street = this.rnd.pick(STREETS);
    const k = city.name + street;
    const num = (this.streetHouse.get(k) ?? 0) + this.rnd.int(1, 2);
    this.streetHouse.set(k, num);
    const korp = this.rnd.chance(0.1) ? `, корп. ${this.rnd.int(1, 3)}` : "";
    return { street, text: `${REGION}, ${city.name}, ${street}, д. ${num}${korp}` };
  }

  private cadastral(city: City): string {
    return `${city.cadastral}:${this.rnd.digits(6)}:${this.rnd.int(1, 9999)}`;
  }

  private person(): { last: string; first: string; middle: string } {
    const r = this.rnd;
    const male = r.chance(0.45);
    const sur = r.pick(SURNAMES);
    const pat = r.pick(PATRONYMICS);
    return male
      ? { last: sur, first: r.pick(MALE_NAMES), middle: pat[0] }
      : { last: femaleSurname(sur), first: r.pick(FEMALE_NAMES), middle: pat[1] };
  }

  private writeHouse(plan: ReturnType<Generator["planMkd"]> | null): void {
    const r = this.rnd;
    const w = this.writers;
    const houseNo = this.houseCount + 1;
    const houseId = `H${houseNo}`;
    const city = r.pick(CITIES);
    const addr = this.address(city);
    const a0 = this.accIdx;
    const a1 = a0 + (plan ? plan.accounts : 1);

    // Services delivered to this house.
    const zhd = plan === null;
    const has: Record<SvcKey, boolean> = {
      cold: zhd ? r.chance(0.75) : true,
      hot: zhd ? false : r.chance(0.75),
      sewer: false, power: true, gas: false, heat: zhd ? r.chance(0.1) : true, vdgo: false,
    };
    has.sewer = has.cold && (zhd ? r.chance(0.5) : true);
    has.gas = zhd ? r.chance(0.8) : !has.hot || r.chance(0.4);
    has.vdgo = has.gas;
    const houseServices = SERVICES.filter((s) => has[s.key]);

    // House row.
    let fias = r.uuid();
    const brokenHouse = this.targets.inRange("house_bad_fias_guid", a0, a1);
    const totalArea10 = plan ? plan.premises.reduce((s, p) => s + p.area10, 0) : r.int(600, 2200);
    const resArea10 = plan ? plan.premises.filter((p) => p.kind === "residential").reduce((s, p) => s + p.area10, 0) : totalArea10;
    const floors = plan ? plan.floors : r.int(1, 2);
    const built = plan ? plan.built : r.int(1950, 2023);
    const oktmo = r.chance(0.3) ? city.oktmo + r.digits(3) : city.oktmo;
    if (brokenHouse) fias = "not-a-guid";
    const houseLine = w.houses.obj({
      id: houseId, address: addr.text, district: r.pick(city.districts), fias_house_guid: fias, oktmo,
      house_type: zhd ? "ZHD" : "MKD", state_code: "2",
      total_area: fixed(Math.round(totalArea10 * 1.25), 1), residential_area: fixed(resArea10, 1),
      non_residential_area: fixed(totalArea10 - resArea10, 1), building_area: zhd ? "" : fixed(r.int(3000, 15000), 1),
      floors, underground_floors: zhd ? 0 : r.int(0, 1), min_floors: floors, entrances_count: plan ? plan.entrances : 0,
      built_year: built, commissioned_year: built + (r.chance(0.3) ? 1 : 0), cultural_heritage: r.chance(0.01) ? "1" : "0",
      time_zone: TIME_ZONE, cadastral_number: this.cadastral(city), closed_date: "",
    });
    if (brokenHouse) this.markBroken("house_bad_fias_guid", houseLine, houseId, fias);

    // Contract with its object and services.
    const signedYear = Math.max(built + 1, r.int(2015, 2019));
    const signed = ymd(Math.min(signedYear, this.periods[0].year - 1), r.int(1, 12), r.int(1, 28));
    const effective = addDays(signed, r.int(0, 30));
    const ownersContract = zhd || r.chance(0.7);
    w.contracts.obj({
      id: `C${houseNo}`, organization_id: OUR_ORG, kind: "supply", number: `${houseNo}-РСО/${signed.slice(0, 4)}`,
      signed_date: signed, effective_date: effective, planned_end_date: "", termination_date: "", termination_reason: "",
      second_party_kind: ownersContract ? "owners" : "organization", second_party_organization_id: ownersContract ? "" : UO_ORG,
      second_party_name: "", readings_from_day: 15, readings_from_next_month: "0", readings_to_day: 25, readings_to_next_month: "0",
      payment_document_day: 1, payment_document_next_month: "1", payment_day: 10, payment_next_month: "1", is_public: "1",
    });
    w.contract_objects.obj({ id: `CO${houseNo}`, contract_id: `C${houseNo}`, house_id: houseId, premise_id: "", room_id: "", start_date: effective, end_date: "" });
    for (const s of houseServices) w.contract_services.row([`CO${houseNo}`, s.id, effective, ""]);

    // Entrances.
    const entranceIds: string[] = [];
    if (plan) {
      for (let e = 0; e < plan.entrances; e++) {
        const id = `E${++this.n.entrance}`;
        entranceIds.push(id);
        w.entrances.obj({ id, house_id: houseId, number: String(e + 1), floors: plan.floors, built_year: built, closed_date: "" });
      }
    }

    // Units: a premise (one or several accounts) or, for a private house, the house itself.
    const lastYear = this.periods[0].year - 1;
    const opened = (y0: number) => ymd(r.int(Math.min(Math.max(y0, 2005), lastYear), lastYear), r.int(1, 12), r.int(1, 28));
    if (!plan) {
      this.writeUnit({ houseId, city, zhd: true, has, houseServices, built, premise: null, premiseId: "", opened, ownersContract, houseArea10: totalArea10 });
    } else {
      for (const p of plan.premises) {
        const premiseId = `P${++this.n.premise}`;
        const brokenArea = this.targets.inRange("premise_area_not_number", this.accIdx, this.accIdx + p.accounts);
        const area = brokenArea ? "abc" : fixed(p.area10, 1);
        const line = w.premises.obj({
          id: premiseId, house_id: houseId, entrance_id: entranceIds[p.entrance], kind: p.kind, number: p.number, floor: String(p.floor),
          total_area: area, residential_area: p.kind === "residential" ? fixed(Math.round(p.area10 * 0.62), 1) : "",
          rooms_count: p.kind === "residential" ? p.roomsCount : "", residents_count: "",
          cadastral_number: this.cadastral(city), characteristic_code: p.kind === "residential" ? (p.communalRooms ? "2" : "1") : "",
          closed_date: "",
        });
        if (brokenArea) this.markBroken("premise_area_not_number", line, premiseId, area);
        this.writeUnit({ houseId, city, zhd: false, has, houseServices, built, premise: p, premiseId, opened, ownersContract, houseArea10: totalArea10 });
      }
      // Common-house meters (ОДПУ): cold water and heat, read monthly, no accounts.
      const common: MeterState[] = [];
      const scale = 1 + Math.floor(plan.accounts / 10);
      common.push(this.writeMeter({ houseId, premiseId: "", roomId: "", resource: "1", svc: SVC.cold, type: "common_house", ownerAcc: -1, shares: 0, built, perMonth: [2500 * scale, 4200 * scale], tariffs: 1 }));
      if (has.heat) common.push(this.writeMeter({ houseId, premiseId: "", roomId: "", resource: "5", svc: SVC.heat, type: "common_house", ownerAcc: -1, shares: 0, built, perMonth: [800 * scale, 2200 * scale], tariffs: 1 }));
      for (let m = 0; m < this.periods.length; m++) this.writeReadings(common, m);
    }
  }

  private writeMeter(o: {
    houseId: string; premiseId: string; roomId: string; resource: string; svc: ServiceDef; type: string; ownerAcc: number;
    shares: number; built: number; perMonth: [number, number]; tariffs: number;
  }): MeterState {
    const r = this.rnd;
    const id = `M${++this.n.meter}`;
    const [brand, model, interval] = r.pick(METER_MODELS[o.resource]);
    const scale = METERING[o.resource].scale;
    const y0 = this.periods[0].year;
    const installed = ymd(r.int(Math.min(Math.max(o.built + 1, y0 - Math.floor(interval / 12) + 1, 2008), y0 - 1), y0 - 1), r.int(1, 12), r.int(1, 28));
    const t1 = r.int(10, 4000) * 10 ** scale + r.int(0, 10 ** scale - 1);
    const t2 = o.tariffs === 2 ? r.int(10, 2000) * 10 ** scale : -1;
    let factory = String(r.int(10000000, 999999999));
    const broken = this.targets.has("meter_empty_factory_number", o.ownerAcc) && o.ownerAcc >= 0 && !this.meterBrokenFor.has(o.ownerAcc);
    if (broken) {
      factory = "";
      this.meterBrokenFor.add(o.ownerAcc);
    }
    const line = this.writers.meters.obj({
      id, organization_id: OUR_ORG, factory_number: factory, meter_type: o.type, service_id: o.svc.id, municipal_resource_code: o.resource,
      model, brand, installed_date: installed, commissioned_date: addDays(installed, r.int(0, 14)), verification_date: installed,
      verification_interval_months: interval, factory_sealed: "1", tariff_count: o.tariffs, remote_reading: r.chance(0.1) ? "1" : "0",
      transformation_ratio: "", initial_value_t1: fixed(t1, scale), initial_value_t2: t2 >= 0 ? fixed(t2, scale) : "", initial_value_t3: "",
      house_id: o.houseId, premise_id: o.premiseId, room_id: o.roomId, state: "active", archive_reason_code: "", archived_date: "",
    });
    if (broken) this.markBroken("meter_empty_factory_number", line, id, factory);
    return { id, resource: o.resource, scale, t1, t2, delta: 0, perMonth: o.perMonth, ownerAcc: o.ownerAcc, shares: o.shares, lastWrittenT1: t1, brokenMonths: null };
  }

  private readonly meterBrokenFor = new Set<number>();

  private writeUnit(u: {
    houseId: string; city: City; zhd: boolean; has: Record<SvcKey, boolean>; houseServices: readonly ServiceDef[]; built: number;
    premise: PremisePlan | null; premiseId: string; opened: (y0: number) => string; ownersContract: boolean; houseArea10: number;
  }): void {
    const r = this.rnd;
    const w = this.writers;
    const p = u.premise;
    const nonRes = p?.kind === "non_residential";
    const rooms = p?.communalRooms ?? 0;
    const accounts: AccountState[] = [];
    const roomIds: string[] = [];
    const unitArea10 = p ? p.area10 : u.houseArea10;

    if (rooms > 0) {
      for (let k = 0; k < rooms; k++) {
        const id = `K${++this.n.room}`;
        roomIds.push(id);
        w.rooms.obj({ id, house_id: u.houseId, premise_id: u.premiseId, number: String(k + 1), floor: String(p!.floor), area: fixed(Math.round(unitArea10 * 0.6 / rooms), 1), cadastral_number: "", closed_date: "" });
      }
    }

    // Accounts of the unit.
    const nAcc = rooms || 1;
    for (let k = 0; k < nAcc; k++) {
      const idx = this.accIdx++;
      const id = `A${idx + 1}`;
      const residents = nonRes ? 0 : rooms ? r.int(1, 3) : r.int(1, Math.min(6, (p?.roomsCount ?? 3) + 2));
      const area10 = rooms ? Math.round(unitArea10 / rooms) : unitArea10;
      const number = String(1600000000 + idx + 1);
      const acc: AccountState = { idx, id, residents, area10, isOrg: nonRes, balanceKop: 0, meters: [] };
      accounts.push(acc);
      let payer: Record<string, string> = {};
      if (nonRes) {
        const orgId = `O${++this.n.org}`;
        const name = `${r.pick(BUSINESS_KINDS)} «${r.pick(BUSINESS_NAMES)}»`;
        const org = {
          id: orgId, full_name: `Общество с ограниченной ответственностью «${name.split("«")[1].replace("»", "")}»`, short_name: `ООО «${name.split("«")[1]}`,
          inn: makeInn10(r), kpp: makeKpp(r), ogrn: makeOgrn13(r), is_ours: "0", is_managing_company: "0", is_supplier: "0",
          is_payment_source: "0", is_payment_recipient: "0", is_information_provider: "0", address: `${REGION}, ${u.city.name}`,
        };
        w.organizations.obj(org);
        payer = { payer_kind: "organization", payer_organization_id: orgId };
      } else {
        const who = this.person();
        payer = {
          payer_kind: "person", payer_last_name: who.last, payer_first_name: who.first, payer_middle_name: r.chance(0.97) ? who.middle : "",
          payer_snils: r.chance(0.6) ? makeSnils(r) : "", payer_document_type: "1",
          payer_document_series: `${r.digits(2)} ${r.digits(2)}`, payer_document_number: r.digits(6),
        };
      }
      const brokenNumber = this.targets.has("account_missing_number", idx);
      const line = w.accounts.obj({
        id, organization_id: OUR_ORG, number: brokenNumber ? "" : number, account_type: "RSO", opened_date: u.opened(u.built + 1), closed_date: "",
        close_reason_code: "", close_description: "", total_area: fixed(area10, 1), residential_area: nonRes ? "" : fixed(Math.round(area10 * 0.62), 1),
        heated_area: fixed(area10, 1), residents_count: residents, ...payer, payer_is_renter: "0", payment_share: "1",
      });
      if (brokenNumber) this.markBroken("account_missing_number", line, id, "");

      // Link to the premise / room / house.
      const brokenLink = this.targets.has("account_premise_unknown_premise", idx);
      const link = {
        account_id: id, house_id: u.zhd ? u.houseId : "", premise_id: rooms ? "" : u.premiseId, room_id: rooms ? roomIds[k] : "", share_percent: "100",
      };
      if (brokenLink) link.premise_id = `P${this.n.premise + 1000000000}`;
      const lline = w.account_premises.obj(link);
      if (brokenLink) this.markBroken("account_premise_unknown_premise", lline, [link.account_id, link.premise_id, link.room_id, link.house_id].join("|"), link.premise_id);
    }

    // Meters: shared ones belong to the premise (all accounts); electricity per room in communal flats.
    const resident = (n: number, res: string): [number, number] => {
      const [lo, hi] = METERING[res].perResident;
      return [lo * Math.max(1, n), hi * Math.max(1, n)];
    };
    const totalResidents = accounts.reduce((s, a) => s + a.residents, 0);
    const owner = accounts[0].idx;
    const link = (m: MeterState, accs: AccountState[]) => {
      for (const a of accs) {
        a.meters.push(m);
        w.meter_accounts.raw(`${m.id};${a.id}`);
      }
    };
    const unitMeters: MeterState[] = [];
    const base = { houseId: u.houseId, premiseId: u.premiseId, built: u.built, shares: accounts.length };
    // Electricity first: every account owns one, so broken-object targets always find a meter.
    if (rooms) {
      for (let k = 0; k < accounts.length; k++) {
        const a = accounts[k];
        const m = this.writeMeter({ ...base, roomId: roomIds[k], resource: "3", svc: SVC.power, type: "room", ownerAcc: a.idx, shares: 1, perMonth: resident(a.residents, "3"), tariffs: 1 });
        link(m, [a]);
        unitMeters.push(m);
      }
    } else {
      const tariffs = r.chance(0.3) ? 2 : 1;
      const per = nonRes ? ([3000, 9000] as [number, number]) : resident(totalResidents, "3");
      const m = this.writeMeter({ ...base, roomId: "", resource: "3", svc: SVC.power, type: "individual", ownerAcc: owner, perMonth: per, tariffs });
      link(m, accounts);
      unitMeters.push(m);
    }
    const water: Array<[SvcKey, string, number]> = [["cold", "1", 0.92], ["hot", "2", 0.9], ["gas", "4", u.zhd ? 0.85 : 0.2]];
    for (const [key, res, prob] of water) {
      if (!u.has[key] || !r.chance(prob) || (nonRes && key !== "cold")) continue;
      const per = nonRes ? ([1000, 6000] as [number, number]) : resident(totalResidents, res);
      const m = this.writeMeter({ ...base, roomId: "", resource: res, svc: SVC[key], type: rooms ? "collective" : "individual", ownerAcc: owner, perMonth: per, tariffs: 1 });
      link(m, accounts);
      unitMeters.push(m);
    }

    // Months: readings, then each account's payment document, lines and payment.
    for (let mi = 0; mi < this.periods.length; mi++) {
      this.writeReadings(unitMeters, mi);
      for (const a of accounts) this.writeDocument(a, mi, u.houseServices);
    }
  }

  private writeReadings(meters: MeterState[], mi: number): void {
    const r = this.rnd;
    const { year, month } = this.periods[mi];
    const day = ymd(year, month, r.int(20, 25));
    const w = this.writers.readings;
    for (let i = 0; i < meters.length; i++) {
      const m = meters[i];
      let d = r.int(m.perMonth[0], m.perMonth[1]);
      if (m.resource === "5" && !HEATING_MONTHS.has(month)) d = Math.floor(d / 20);
      m.delta = d;
      m.t1 += m.t2 >= 0 ? Math.round(d * 0.7) : d;
      if (m.t2 >= 0) m.t2 += d - Math.round(d * 0.7);
      const id = `R${++this.n.reading}`;
      let v1 = fixed(m.t1, m.scale);
      let kind: BrokenKind | null = null;
      if (m.ownerAcc >= 0 && this.brokenOn) {
        const t = this.targets;
        const n = this.periods.length;
        const free = (k: number) => !(m.brokenMonths?.has(k) ?? false);
        const pickMeter = (shift: number) => {
          const own = meters.filter((x) => x.ownerAcc === m.ownerAcc);
          return own[shift % own.length] === m;
        };
        if (t.has("reading_negative", m.ownerAcc) && mi === n - 1 && pickMeter(0) && free(mi)) kind = "reading_negative";
        else if (t.has("reading_not_numeric", m.ownerAcc) && mi === Math.floor((n - 1) / 2) && pickMeter(1) && free(mi)) kind = "reading_not_numeric";
        else if (n >= 2 && t.has("reading_decreasing", m.ownerAcc) && mi === Math.max(1, n - 2) && pickMeter(2) && free(mi) && free(mi - 1)) {
          kind = "reading_decreasing";
        }
        if (kind === "reading_negative") v1 = "-" + v1;
        else if (kind === "reading_not_numeric") v1 = "н/д";
        else if (kind === "reading_decreasing") v1 = fixed(Math.floor(m.lastWrittenT1 / 2), m.scale);
        if (kind) (m.brokenMonths ??= new Set()).add(mi);
      }
      const line = w.raw(`${id};${m.id};${day};${v1};${m.t2 >= 0 ? fixed(m.t2, m.scale) : ""};;${year};${month}`);
      if (kind) this.markBroken(kind, line, id, v1);
      m.lastWrittenT1 = m.t1;
    }
  }

  private writeDocument(a: AccountState, mi: number, services: readonly ServiceDef[]): void {
    const r = this.rnd;
    const w = this.writers;
    const { year, month } = this.periods[mi];
    const docId = `D${++this.n.doc}`;
    // Volumes, in 10^-3 units (heat in 10^-4 Gcal), per service.
    const metered = (res: string): number | null => {
      let v = -1;
      for (const m of a.meters) {
        if (m.resource !== res) continue;
        v = (v < 0 ? 0 : v) + Math.round((m.delta * (m.scale === 1 ? 100 : 1)) / m.shares);
      }
      return v < 0 ? null : v;
    };
    const people = Math.max(1, a.residents);
    let totalKop = 0;
    let coldVol = 0;
    let hotVol = 0;
    for (const s of services) {
      let vol: number;
      let scale = 3;
      let kind = "individual";
      switch (s.key) {
        case "cold":
          vol = coldVol = metered("1") ?? (a.isOrg ? 5000 : 4900 * people);
          break;
        case "hot":
          vol = hotVol = a.isOrg ? 0 : metered("2") ?? 2900 * people;
          break;
        case "sewer":
          vol = coldVol + hotVol;
          break;
        case "power":
          vol = metered("3") ?? 95000 * people;
          break;
        case "gas":
          if (a.isOrg) continue;
          vol = metered("4") ?? 10500 * people;
          break;
        case "heat":
          if (!HEATING_MONTHS.has(month)) continue;
          vol = Math.round(a.area10 * 21.5);
          scale = 4;
          break;
        case "vdgo":
          if (a.isOrg) continue;
          vol = 1000;
          kind = "";
          break;
      }
      if (vol <= 0) continue;
      const tk = tariffKop(s, year, month);
      const charged = Math.round((vol * tk) / 10 ** scale);
      const recalc = r.chance(0.02) ? -Math.round(charged * r.int(5, 50) / 100) : 0;
      const total = charged + recalc;
      totalKop += total;
      w.payment_document_lines.raw(`${docId};${s.id};${fixed(vol, scale)};${kind};${fixed(tk, 2)};${rub(charged)};${rub(recalc)};${rub(total)}`);
    }
    const bal = a.balanceKop;
    const payable = Math.max(0, totalKop + bal);
    const last = mi === this.periods.length - 1;
    w.payment_documents.raw(
      `${docId};${OUR_ORG};${a.id};${year};${month};${String(1600000000 + a.idx + 1)}-${year}${p2(month)};${rub(totalKop)};${rub(payable)};` +
      `${rub(Math.max(0, bal))};${rub(Math.max(0, -bal))};${OUR_BIK};40702810462000012345;${last ? "to_issue" : "issued"}`,
    );

    // Payment for the document (most are paid in full, some partly, some not at all).
    const x = r.next();
    let paid = 0;
    if (payable > 0 && x < 0.93) {
      paid = x < 0.85 ? payable : Math.floor((payable * r.int(30, 80)) / 100 / 10000) * 10000;
      if (paid <= 0) paid = payable;
    }
    if (paid > 0) {
      const id = `PM${++this.n.payment}`;
      const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
      const src = r.next();
      const org = src < 0.5 ? OUR_ORG : src < 0.85 ? BANK_ORG : POST_ORG;
      const orderDate = ymd(next.year, next.month, r.int(1, 28));
      const orderId = r.hex32();
      const orderNo = r.digits(9);
      let amount = rub(paid);
      const broken = this.brokenOn && this.targets.has("payment_nonpositive_amount", a.idx) && !this.paymentBrokenFor.has(a.idx);
      if (broken) {
        amount = a.idx % 2 === 0 ? "0.00" : "-" + amount;
        // The balance carries the intended payment on, so later rows match a bundle without broken objects.
        this.paymentBrokenFor.add(a.idx);
      }
      const line = w.payments.raw(
        `${id};${org};${orderId};${orderDate};${orderNo};${amount};${a.id};${docId};;${year};${month};${org === OUR_ORG ? "own" : "other"};0;`,
      );
      if (broken) this.markBroken("payment_nonpositive_amount", line, id, amount);
    }
    a.balanceKop = totalKop + bal - paid;
  }

  private readonly paymentBrokenFor = new Set<number>();
}
