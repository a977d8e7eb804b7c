/**
 * Anchors: the archive's hash-chain head signed with the organization's key, kept in the database
 * and — what makes it proof — as a file in a folder apart from the database (GIS_SYNC_ANCHOR_DIR,
 * default <home>/anchors; point it at write-once or off-site storage in production). The chain
 * alone shows that an entry was changed; an anchor also shows that the newest entries were
 * removed or the whole chain recomputed after the anchor was made, because the entry it names no
 * longer has the hash it signed. Made at each day's end (job type anchor-archive) and on demand.
 */
import fs from "node:fs";
import path from "node:path";
import { DataSource, In } from "typeorm";
import { ArchiveAnchor } from "../../entities/archive-anchor";
import { ArchiveEntry } from "../../entities/archive-entry";
import { loadConfig } from "../config";
import { readCertificate } from "../signing/certificate";
import { Signer } from "../signing/signer";
import { verifyGost } from "../signing/software-signer";
import { GENESIS_HASH } from "./chain";
import { readCheckpoint } from "./checkpoint";

export function anchorDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.GIS_SYNC_ANCHOR_DIR || path.join(loadConfig(env).home, "anchors"));
}

/** The signed text: plain lines, so a person can read what was attested. */
export function anchorStatement(headId: number, headHash: string, at: Date): string {
  return `gis-sync archive anchor v1\nhead-id: ${headId}\nhead-hash: ${headHash}\nat: ${at.toISOString()}\n`;
}

function parseStatement(s: string): { headId: number; headHash: string; at: string } | null {
  const m = /^gis-sync archive anchor v1\nhead-id: (\d+)\nhead-hash: ([0-9a-f]{64})\nat: (\S+)\n$/.exec(s);
  return m ? { headId: Number(m[1]), headHash: m[2], at: m[3] } : null;
}

interface AnchorFile {
  statement: string;
  signature: string;
  certificate: string;
}

/** Signs the current head and keeps it in the database and as a file in `dir`. */
export async function anchorArchive(ds: DataSource, signer: Signer, dir = anchorDir(), now = new Date()): Promise<ArchiveAnchor> {
  const [head] = await ds.getRepository(ArchiveEntry).find({ select: { id: true, hash: true }, order: { id: "DESC" }, take: 1 });
  const statement = anchorStatement(head?.id ?? 0, head?.hash ?? GENESIS_HASH, now);
  const signature = (await signer.sign(Buffer.from(statement, "utf8"))).toString("base64");
  const certificate = signer.certificate.toString("base64");
  const saved = await ds
    .getRepository(ArchiveAnchor)
    .save({ createdAt: now, headId: head?.id ?? 0, headHash: head?.hash ?? GENESIS_HASH, statement, signature, certificate });
  fs.mkdirSync(dir, { recursive: true });
  const file: AnchorFile = { statement, signature, certificate };
  fs.writeFileSync(path.join(dir, `anchor-${now.toISOString().replace(/[:.]/g, "-")}-${saved.id}.json`), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o644 });
  return saved;
}

export interface AnchorProblem {
  /** Where the anchor came from: "db:<id>" or the file name. */
  source: string;
  headId: number | null;
  reason: string;
}

export interface AnchorReport {
  /** Distinct anchors checked (the same anchor in the database and in a file counts once). */
  checked: number;
  /** Anchors older than the retention checkpoint: their entries are pruned, nothing left to compare. */
  pruned: number;
  problems: AnchorProblem[];
  newest: { headId: number; at: string } | null;
}

function readFiles(dir: string): Array<{ source: string; file: AnchorFile }> {
  if (!fs.existsSync(dir)) return [];
  const out: Array<{ source: string; file: AnchorFile }> = [];
  for (const name of fs
    .readdirSync(dir)
    .filter((n) => /^anchor-.*\.json$/.test(n))
    .sort()) {
    try {
      out.push({ source: name, file: JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as AnchorFile });
    } catch {
      out.push({ source: name, file: { statement: "", signature: "", certificate: "" } });
    }
  }
  return out;
}

/**
 * Checks every anchor (database and files): its signature with its certificate, and that the
 * entry it names still exists with the hash it signed. `trustedCertificates` (DER), when given,
 * are the only certificates an anchor may be signed with.
 */
export async function verifyAnchors(ds: DataSource, dir = anchorDir(), trustedCertificates?: Buffer[]): Promise<AnchorReport> {
  const report: AnchorReport = { checked: 0, pruned: 0, problems: [], newest: null };
  const fromDb = (await ds.getRepository(ArchiveAnchor).find({ order: { id: "ASC" } })).map((a) => ({
    source: `db:${a.id}`,
    file: { statement: a.statement, signature: a.signature, certificate: a.certificate },
  }));
  const all = [...readFiles(dir), ...fromDb];
  const checkpoint = await readCheckpoint(ds);
  const seen = new Set<string>();
  const parsed: Array<{ source: string; headId: number; headHash: string; at: string }> = [];
  for (const { source, file } of all) {
    const s = parseStatement(file.statement ?? "");
    if (!s) {
      report.problems.push({ source, headId: null, reason: "файл отметки не читается или изменён" });
      continue;
    }
    const key = `${s.headId}:${s.headHash}:${s.at}`;
    if (seen.has(key)) continue;
    seen.add(key);
    report.checked++;
    try {
      const der = Buffer.from(file.certificate, "base64");
      if (trustedCertificates && !trustedCertificates.some((t) => t.equals(der))) throw new Error("подписана не доверенным сертификатом");
      if (!verifyGost(readCertificate(der), Buffer.from(file.statement, "utf8"), Buffer.from(file.signature, "base64")))
        throw new Error("подпись отметки неверна");
    } catch (e) {
      report.problems.push({ source, headId: s.headId, reason: (e as Error).message });
      continue;
    }
    parsed.push({ source, ...s });
  }
  const ids = [...new Set(parsed.map((p) => p.headId).filter((id) => id > 0 && id >= checkpoint.fromId))];
  const entries = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const e of await ds.getRepository(ArchiveEntry).find({ select: { id: true, hash: true }, where: { id: In(ids.slice(i, i + 500)) } }))
      entries.set(e.id, e.hash);
  }
  const [last] = await ds.getRepository(ArchiveEntry).find({ select: { id: true }, order: { id: "DESC" }, take: 1 });
  for (const p of parsed) {
    if (!report.newest || p.at > report.newest.at) report.newest = { headId: p.headId, at: p.at };
    if (p.headId === 0) continue;
    if (p.headId < checkpoint.fromId) {
      report.pruned++;
      continue;
    }
    const hash = entries.get(p.headId);
    if (hash === undefined) {
      report.problems.push({
        source: p.source,
        headId: p.headId,
        reason:
          (last?.id ?? 0) < p.headId
            ? `записи архива после №${last?.id ?? 0} удалены: отметка от ${p.at} заверяет запись №${p.headId}`
            : `запись архива №${p.headId}, заверенная отметкой от ${p.at}, удалена`,
      });
    } else if (hash !== p.headHash) {
      report.problems.push({
        source: p.source,
        headId: p.headId,
        reason: `цепочка архива пересчитана: запись №${p.headId} не та, что заверена отметкой от ${p.at}`,
      });
    }
  }
  return report;
}
