import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { BUNDLE_FILES, FieldSpec, FileSpec } from "../src/bundle/format";
import { generateBundle, BrokenRow, GenerateReport } from "../src/generator/generate";
import { writeDemoBundle } from "../src/generator/demo";

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `gis-gen-${name}-`));

/** A row of a parsed CSV with the physical line it starts on (header = line 1). */
interface Row {
  line: number;
  cells: Record<string, string>;
}

/** Minimal `;` CSV reader (quotes with "" escapes, line breaks inside quotes). */
function readCsv(file: string): { header: string[]; rows: Row[] } {
  const text = fs.readFileSync(file, "utf8");
  const records: Array<{ line: number; cells: string[] }> = [];
  let line = 1;
  let start = 1;
  let cell = "";
  let cells: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        cell += c;
      }
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === ";") cells.push(cell), (cell = "");
    else if (c === "\n") {
      cells.push(cell);
      records.push({ line: start, cells });
      cells = [];
      cell = "";
      line++;
      start = line;
    } else cell += c;
  }
  assert.equal(cell + cells.join(""), "", `${file}: ends with a line break`);
  const header = records[0].cells;
  const rows = records.slice(1).map((r) => {
    assert.equal(r.cells.length, header.length, `${file}:${r.line}: ${r.cells.length} cells, header has ${header.length}`);
    return { line: r.line, cells: Object.fromEntries(header.map((h, i) => [h, r.cells[i]])) };
  });
  return { header, rows };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const READING = /^\d{1,15}(\.\d{1,7})?$/;

function innOk(v: string): boolean {
  const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  return /^\d{10}$/.test(v) && (w.reduce((s, k, i) => s + k * Number(v[i]), 0) % 11) % 10 === Number(v[9]);
}
const ogrnOk = (v: string) => /^\d{13}$/.test(v) && Number((BigInt(v.slice(0, 12)) % 11n) % 10n) === Number(v[12]);
function snilsOk(v: string): boolean {
  if (!/^\d{11}$/.test(v)) return false;
  const sum = [...v.slice(0, 9)].reduce((s, k, i) => s + Number(k) * (9 - i), 0);
  let check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101;
  if (check === 100) check = 0;
  return check === Number(v.slice(9));
}

/** What is wrong with one cell under its FieldSpec, or null. Refs are checked against `ids`. */
function cellProblem(f: FieldSpec, v: string, ids: Map<string, Set<string>>): string | null {
  if (v === "") return f.required ? "required" : null;
  const t = f.type;
  switch (t.kind) {
    case "string":
      return v.length > t.max ? `longer than ${t.max}` : null;
    case "int": {
      if (!/^-?\d+$/.test(v)) return "not an int";
      const n = Number(v);
      return (t.min !== undefined && n < t.min) || (t.max !== undefined && n > t.max) ? "int out of range" : null;
    }
    case "decimal": {
      if (!/^-?\d+(\.\d+)?$/.test(v)) return "not a decimal";
      if ((v.split(".")[1] ?? "").length > t.scale) return "too many decimals";
      return t.min !== undefined && Number(v) < t.min ? "below min" : null;
    }
    case "reading":
      return READING.test(v) ? null : "not a reading";
    case "date": {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
      if (!m) return "not YYYY-MM-DD";
      const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      return d.toISOString().slice(0, 10) === v ? null : "no such day";
    }
    case "bool":
      return v === "1" || v === "0" ? null : "not 1/0";
    case "guid":
      return GUID.test(v) ? null : "not a v4 GUID";
    case "enum":
      return t.values.includes(v) ? null : "not in enum";
    case "ref":
      return ids.get(t.file)!.has(v) ? null : `unknown ${t.file} id`;
  }
}

/** Checks beyond the field types that the importer's rules / GIS apply. */
function extraProblems(file: string, c: Record<string, string>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (file === "organizations") {
    if (c.inn && !innOk(c.inn)) out.push(["inn", "INN check digit"]);
    if (c.ogrn && !ogrnOk(c.ogrn)) out.push(["ogrn", "OGRN check digit"]);
    if (c.kpp && !/^\d{4}[\dA-Z]{2}\d{3}$/.test(c.kpp)) out.push(["kpp", "KPP"]);
  }
  if (file === "houses" && c.oktmo && !/^\d{8}(\d{3})?$/.test(c.oktmo)) out.push(["oktmo", "OKTMO"]);
  if (file === "accounts" && c.payer_snils && !snilsOk(c.payer_snils)) out.push(["payer_snils", "SNILS"]);
  if (file === "payments") {
    if (!(Number(c.amount) > 0)) out.push(["amount", "amount must be > 0"]);
    if (!/^[0-9a-f]{32}$/.test(c.order_id)) out.push(["order_id", "order_id 32 hex"]);
  }
  if (file === "payment_document_lines") {
    const kop = (s: string) => Math.round(Number(s) * 100);
    if (Math.abs(Number(c.volume) * Number(c.tariff) - Number(c.charged)) > 0.0051) out.push(["charged", "volume × tariff ≠ charged"]);
    if (kop(c.charged) + kop(c.recalculation) !== kop(c.total)) out.push(["total", "charged + recalculation ≠ total"]);
  }
  return out;
}

interface Violation {
  file: string;
  line: number;
  column: string;
  problem: string;
}

/** Every violation in the bundle: field types, refs, extra checks, decreasing readings, document totals. */
function checkBundle(dir: string): { violations: Violation[]; rows: Record<string, number> } {
  const data = new Map<string, Row[]>();
  const ids = new Map<string, Set<string>>();
  const rows: Record<string, number> = {};
  for (const spec of BUNDLE_FILES) {
    const { header, rows: r } = readCsv(path.join(dir, `${spec.name}.csv`));
    assert.deepEqual(
      header,
      spec.fields.map((f) => f.column),
      `${spec.name}: header is the format's columns in order`,
    );
    data.set(spec.name, r);
    rows[spec.name] = r.length;
    if (spec.key.length === 1 && spec.key[0] === "id") ids.set(spec.name, new Set(r.map((x) => x.cells.id)));
  }
  const violations: Violation[] = [];
  const add = (file: string, line: number, column: string, problem: string) => violations.push({ file: `${file}.csv`, line, column, problem });
  for (const spec of BUNDLE_FILES as FileSpec[]) {
    const keys = new Set<string>();
    for (const row of data.get(spec.name)!) {
      for (const f of spec.fields) {
        const p = cellProblem(f, row.cells[f.column], ids);
        if (p) add(spec.name, row.line, f.column, p);
      }
      for (const [col, p] of extraProblems(spec.name, row.cells)) add(spec.name, row.line, col, p);
      const key = spec.key.map((k) => row.cells[k]).join("|");
      if (keys.has(key)) add(spec.name, row.line, spec.key[0], "duplicate key");
      keys.add(key);
    }
  }
  // Readings must not go down (per meter, by date), compared with the last well-formed reading.
  const last = new Map<string, { day: string; v: number }>();
  for (const row of data.get("readings")!) {
    const c = row.cells;
    if (!READING.test(c.value_t1)) continue;
    const prev = last.get(c.meter_id);
    assert.ok(!prev || prev.day < c.reading_date, "readings come in date order per meter");
    if (prev && Number(c.value_t1) < prev.v) add("readings", row.line, "value_t1", "less than previous");
    last.set(c.meter_id, { day: c.reading_date, v: Number(c.value_t1) });
  }
  // Document total = sum of its lines.
  const sums = new Map<string, number>();
  for (const row of data.get("payment_document_lines")!) {
    sums.set(row.cells.payment_document_id, (sums.get(row.cells.payment_document_id) ?? 0) + Math.round(Number(row.cells.total) * 100));
  }
  for (const row of data.get("payment_documents")!) {
    if ((sums.get(row.cells.id) ?? 0) !== Math.round(Number(row.cells.total_charged) * 100))
      add("payment_documents", row.line, "total_charged", "≠ sum of lines");
  }
  return { violations, rows };
}

const brokenKey = (b: { file: string; line: number; column: string }) => `${b.file}:${b.line}:${b.column}`;

function readBroken(dir: string): BrokenRow[] {
  return JSON.parse(fs.readFileSync(path.join(dir, "broken.json"), "utf8")) as BrokenRow[];
}

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f))]),
  );
}

test("generator: the same seed gives byte-identical files, another seed different ones", async () => {
  const [a, b, c] = [tmp("a"), tmp("b"), tmp("c")];
  try {
    await generateBundle({ accounts: 250, outDir: a, seed: 7, months: 4 });
    await generateBundle({ accounts: 250, outDir: b, seed: 7, months: 4 });
    await generateBundle({ accounts: 250, outDir: c, seed: 8, months: 4 });
    const fa = filesOf(a);
    const fb = filesOf(b);
    assert.deepEqual([...fa.keys()], [...BUNDLE_FILES.map((s) => `${s.name}.csv`), "broken.json"].sort());
    for (const [name, bytes] of fa) assert.ok(bytes.equals(fb.get(name)!), `${name} identical`);
    assert.ok(!fa.get("accounts.csv")!.equals(filesOf(c).get("accounts.csv")!), "another seed, other data");
  } finally {
    for (const d of [a, b, c]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test("generator: every row satisfies the bundle format except exactly the rows broken.json lists", async () => {
  const dir = tmp("check");
  try {
    const report = await generateBundle({ accounts: 1500, outDir: dir, seed: 42, months: 12 });
    const { violations, rows } = checkBundle(dir);
    const broken = readBroken(dir);
    assert.deepEqual(broken, report.broken);
    // All kinds are present, few of each (≈0.1 % of accounts, at least 1).
    assert.deepEqual(Object.keys(report.brokenByKind).sort(), [
      "account_missing_number",
      "account_premise_unknown_premise",
      "house_bad_fias_guid",
      "meter_empty_factory_number",
      "org_inn_check_digit",
      "payment_nonpositive_amount",
      "premise_area_not_number",
      "reading_decreasing",
      "reading_negative",
      "reading_not_numeric",
    ]);
    for (const n of Object.values(report.brokenByKind)) assert.ok(n! >= 1 && n! <= 3, `few of each kind (${n})`);
    const listed = new Set(broken.map(brokenKey));
    const found = new Set(violations.map(brokenKey));
    // Every listed row really violates, in the listed column…
    for (const b of broken) assert.ok(found.has(brokenKey(b)), `broken.json entry is a real violation: ${JSON.stringify(b)}`);
    // …and a violation is either a listed cell or a cascade of one (none: cascades are importer-side).
    for (const v of violations) assert.ok(listed.has(brokenKey(v)), `unlisted violation: ${JSON.stringify(v)}`);
    for (const b of broken) {
      const { rows: r } = readCsv(path.join(dir, b.file));
      const row = r.find((x) => x.line === b.line)!;
      assert.equal(row.cells[b.column], b.value, "value in broken.json is the cell's text");
    }
    // Shape: rows per account and month.
    assert.equal(rows.accounts, 1500);
    assert.equal(rows.account_premises, 1500);
    assert.equal(rows.payment_documents, 1500 * 12);
    assert.ok(rows.payments > rows.payment_documents * 0.8 && rows.payments < rows.payment_documents);
    assert.ok(rows.meters > 1500 * 1.5, "several meters per account plus common-house meters");
    assert.equal(rows.readings, rows.meters * 12, "one reading per meter and month");
    assert.ok(rows.rooms > 0, "some communal flats");
    assert.equal(report.files.find((f) => f.name === "readings")!.rows, rows.readings);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("generator: --no-broken is clean and differs from the broken bundle only at the listed cells", async () => {
  const [good, bad] = [tmp("good"), tmp("bad")];
  try {
    const r = await generateBundle({ accounts: 400, outDir: good, seed: 5, months: 3, broken: false });
    await generateBundle({ accounts: 400, outDir: bad, seed: 5, months: 3 });
    assert.deepEqual(r.broken, []);
    assert.deepEqual(readBroken(good), []);
    assert.deepEqual(checkBundle(good).violations, []);
    const listed = new Set(readBroken(bad).map((b) => `${b.file}:${b.line}`));
    for (const spec of BUNDLE_FILES) {
      const file = `${spec.name}.csv`;
      const g = fs.readFileSync(path.join(good, file), "utf8").split("\n");
      const b = fs.readFileSync(path.join(bad, file), "utf8").split("\n");
      assert.equal(g.length, b.length, `${file}: same number of lines`);
      for (let i = 0; i < g.length; i++) if (g[i] !== b[i]) assert.ok(listed.has(`${file}:${i + 1}`), `${file}:${i + 1} differs but is not listed`);
    }
  } finally {
    for (const d of [good, bad]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test("generator: row counts scale linearly with the number of accounts", async () => {
  const [s, l] = [tmp("s"), tmp("l")];
  try {
    const small: GenerateReport = await generateBundle({ accounts: 1000, outDir: s, seed: 3, months: 2 });
    const large: GenerateReport = await generateBundle({ accounts: 4000, outDir: l, seed: 3, months: 2 });
    const rows = (r: GenerateReport, n: string) => r.files.find((f) => f.name === n)!.rows;
    assert.equal(rows(small, "accounts"), 1000);
    assert.equal(rows(large, "accounts"), 4000);
    for (const n of ["premises", "meters", "readings", "payment_documents", "payment_document_lines", "payments"]) {
      const ratio = rows(large, n) / rows(small, n);
      assert.ok(ratio > 3.3 && ratio < 4.7, `${n}: ×${ratio.toFixed(2)} for ×4 accounts`);
    }
    assert.ok(large.totalBytes / small.totalBytes > 3.3 && large.totalBytes / small.totalBytes < 4.7);
  } finally {
    for (const d of [s, l]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test("generator: accountsPerHouse caps a house's accounts, so the same accounts fill more houses", async () => {
  const [whole, small] = [tmp("whole"), tmp("small")];
  try {
    const a = await generateBundle({ accounts: 300, outDir: whole, seed: 7, months: 1 });
    const b = await generateBundle({ accounts: 300, outDir: small, seed: 7, months: 1, accountsPerHouse: 10 });
    assert.equal(b.files.find((f) => f.name === "accounts")!.rows, 300);
    assert.ok(b.houses > a.houses, `${b.houses} houses with 10 per house, ${a.houses} without`);
    assert.ok(b.houses >= 30 && b.houses <= 300, `${b.houses} houses for 300 accounts, 10 per house`);
    const perHouse = new Map<string, number>();
    for (const r of readCsv(path.join(small, "premises.csv")).rows) perHouse.set(r.cells.house_id, (perHouse.get(r.cells.house_id) ?? 0) + 1);
    assert.ok(Math.max(...perHouse.values()) <= 10, "no house has more than 10 premises");
    for (const bad of [0, 10001, 2.5, Number.NaN]) {
      await assert.rejects(generateBundle({ accounts: 10, outDir: small, accountsPerHouse: bad }), /accountsPerHouse must be an integer from 1 to 10000/);
    }
  } finally {
    for (const d of [whole, small]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test("generator: dated from today, the plain bundle adds this month's readings inside an open window", async () => {
  const dir = tmp("today");
  try {
    const r = await generateBundle({ accounts: 200, outDir: dir, seed: 9, months: 2, broken: false, today: "2026-12-03" });
    assert.deepEqual(r.periods, { from: "2026-10", to: "2026-11" }, "bills end last month");
    assert.deepEqual(checkBundle(dir).violations, []);
    // GIS's 15th–25th widened to contain today (the 3rd), so the window of 12.2026 is open.
    for (const c of readCsv(path.join(dir, "contracts.csv")).rows) {
      assert.equal(c.cells.readings_from_day, "3");
      assert.equal(c.cells.readings_to_day, "25");
    }
    const meters = readCsv(path.join(dir, "meters.csv")).rows.length;
    const readings = readCsv(path.join(dir, "readings.csv")).rows.map((x) => x.cells);
    const months = (y: string, m: string) => readings.filter((x) => x.period_year === y && x.period_month === m);
    assert.equal(months("2026", "10").length, meters);
    assert.equal(months("2026", "11").length, meters);
    const now = months("2026", "12");
    assert.equal(now.length, meters, "one reading of this month per meter");
    assert.ok(
      now.every((x) => x.reading_date === "2026-12-03"),
      "dated from the window's first day to today",
    );
    const payments = readCsv(path.join(dir, "payments.csv")).rows;
    assert.ok(payments.length > 0 && payments.every((p) => p.cells.order_date <= "2026-12-03"), "no payment after today");
    await assert.rejects(generateBundle({ accounts: 10, outDir: dir, today: "3.12.2026" }), /today must be YYYY-MM-DD/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("generator: the demo bundle is small, deterministic and shows a handful of errors", async () => {
  const [a, b] = [tmp("demo1"), tmp("demo2")];
  try {
    const r = await writeDemoBundle(a);
    await writeDemoBundle(b);
    assert.equal(r.accounts, 60);
    assert.equal(r.months, 12);
    assert.ok(r.broken.length >= 5 && r.broken.length <= 15, `${r.broken.length} broken objects`);
    for (const [name, bytes] of filesOf(a)) assert.ok(bytes.equals(filesOf(b).get(name)!), name);
    const { violations } = checkBundle(a);
    assert.deepEqual(new Set(violations.map(brokenKey)), new Set(r.broken.map(brokenKey)));
  } finally {
    for (const d of [a, b]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test("generator: `today` — the same seed and day give the same bundle; bills to last month, the window open today, no payment after today", async () => {
  const [a, b] = [tmp("today1"), tmp("today2")];
  try {
    const r = await generateBundle({ accounts: 200, outDir: a, seed: 4, months: 3, today: "2026-12-03" });
    await generateBundle({ accounts: 200, outDir: b, seed: 4, months: 3, today: "2026-12-03" });
    for (const [name, bytes] of filesOf(a)) assert.ok(bytes.equals(filesOf(b).get(name)!), `${name}: the same seed and day, the same file`);
    assert.deepEqual(r.periods, { from: "2026-09", to: "2026-11" });
    const { violations, rows } = checkBundle(a);
    assert.deepEqual(new Set(violations.map(brokenKey)), new Set(r.broken.map(brokenKey)));
    // The window open on the 3rd: from the 3rd (GIS's usual 15th widened to today) to the 25th.
    for (const c of readCsv(path.join(a, "contracts.csv")).rows) assert.deepEqual([c.cells.readings_from_day, c.cells.readings_to_day], ["3", "25"]);
    for (const d of readCsv(path.join(a, "payment_documents.csv")).rows)
      assert.ok(d.cells.period_year === "2026" && Number(d.cells.period_month) >= 9 && Number(d.cells.period_month) <= 11);
    for (const p of readCsv(path.join(a, "payments.csv")).rows) assert.ok(p.cells.order_date <= "2026-12-03", `payments.csv:${p.line}: not after today`);
    await assert.rejects(generateBundle({ accounts: 10, outDir: b, today: "03.12.2026" }), /today must be YYYY-MM-DD/);
  } finally {
    for (const d of [a, b]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test("generator: the CLI writes a bundle and rejects bad arguments with a clear message", () => {
  const out = tmp("cli");
  const cli = path.resolve("bin/gis-sync.js");
  try {
    const ok = spawnSync(process.execPath, [cli, "generate", "--accounts", "20", "--out", out], { encoding: "utf8" });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /accounts\.csv\s+20/);
    assert.match(ok.stdout, /broken\.json/);
    assert.equal(fs.readFileSync(path.join(out, "accounts.csv"), "utf8").trimEnd().split("\n").length, 21);

    const cases: Array<[string[], RegExp]> = [
      [["--accounts", "0", "--out", out], /accounts must be a positive integer/],
      [["--accounts", "abc", "--out", out], /accounts must be a positive integer/],
      [["--accounts", "-5", "--out", out], /accounts must be a positive integer/],
      [["--out", out], /--accounts is required/],
      [["--accounts", "5"], /--out is required/],
      [["--accounts", "5", "--out", out, "--months", "0"], /months must be an integer from 1 to 240/],
      [["--accounts", "5", "--out", out, "--seed", "x"], /seed must be an integer/],
    ];
    for (const [args, msg] of cases) {
      const r = spawnSync(process.execPath, [cli, "generate", ...args], { encoding: "utf8" });
      assert.notEqual(r.status, 0, args.join(" "));
      assert.match(r.stderr, msg, args.join(" "));
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
