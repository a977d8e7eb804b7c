/**
 * Writing to the archive. Appends are serialized across workers and processes so the chain
 * stays one line: PostgreSQL takes a transaction-scoped advisory lock, SQL Server an application
 * lock, SQLite's write transaction is already exclusive (and gis-sync opens it with a busy timeout).
 */
import crypto from "node:crypto";
import { DataSource, EntityManager, Repository } from "typeorm";
import { ArchiveEntry, ArchiveKind } from "../../entities/archive-entry";
import { dialectOf } from "../storage/dialect";
import { entryHash } from "./chain";
import { readCheckpoint } from "./checkpoint";
import { ANSWER_KINDS, checkAnswerSignature } from "./signatures";

export interface ArchiveInput {
  operationId: string;
  kind: ArchiveKind;
  body: string;
  messageGuid?: string | null;
  httpStatus?: number | null;
}

/** A fixed key for the archive's advisory lock ("gis-sync archive" folded into an int). */
const LOCK_KEY = crypto.createHash("sha1").update("gis-sync archive").digest().readInt32BE(0);

async function lockChain(em: EntityManager): Promise<void> {
  const d = dialectOf(em.connection);
  if (d === "postgres") await em.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
  else if (d === "mssql") {
    await em.query("EXEC sp_getapplock @Resource = 'gis-sync-archive', @LockMode = 'Exclusive', @LockOwner = 'Transaction'");
  }
}

/** Appends one message; inside the caller's transaction when given an EntityManager. */
export async function appendArchive(db: DataSource | EntityManager, input: ArchiveInput): Promise<ArchiveEntry> {
  return (await appendArchiveAll(db, [input]))[0];
}

/**
 * Appends messages of one operation in order, in one transaction under one lock of the chain (the
 * request and the signed request of a send): the chain's head and the operation's last seq are
 * read once, not once per message.
 */
export async function appendArchiveAll(db: DataSource | EntityManager, inputs: ArchiveInput[]): Promise<ArchiveEntry[]> {
  const operationId = inputs[0]?.operationId;
  if (inputs.some((i) => i.operationId !== operationId)) throw new Error("appendArchiveAll: messages of one operation only");
  // GIS's signature is checked as the answer arrives (outside the chain's lock: it costs CPU, not the database).
  const signatures = inputs.map((input) => ((ANSWER_KINDS as readonly string[]).includes(input.kind) ? checkAnswerSignature(input.body) : null));
  const run = async (em: EntityManager): Promise<ArchiveEntry[]> => {
    if (inputs.length === 0) return [];
    await lockChain(em);
    const repo = em.getRepository(ArchiveEntry);
    const [last] = await repo.find({ order: { id: "DESC" }, take: 1, select: { id: true, hash: true } });
    let prevHash = last ? last.hash : (await readCheckpoint(em)).prevHash;
    const [lastOfOp] = await repo.find({ where: { operationId }, order: { seq: "DESC" }, take: 1, select: { id: true, seq: true } });
    let seq = lastOfOp ? lastOfOp.seq + 1 : 0;
    const out: ArchiveEntry[] = [];
    for (const [n, input] of inputs.entries()) {
      out.push(await appendOne(repo, input, signatures[n], prevHash, seq++));
      prevHash = out[n].hash;
    }
    return out;
  };
  if (!(db instanceof DataSource)) return run(db);
  return db.transaction(run); // on SQLite, transactions take turns (storage/sqlite-turns.ts)
}

async function appendOne(
  repo: Repository<ArchiveEntry>,
  input: ArchiveInput,
  signature: ReturnType<typeof checkAnswerSignature> | null,
  prevHash: string,
  seq: number,
): Promise<ArchiveEntry> {
  const entry = repo.create({
    operationId: input.operationId,
    seq,
    kind: input.kind,
    messageGuid: input.messageGuid ?? null,
    httpStatus: input.httpStatus ?? null,
    body: input.body,
    sizeBytes: Buffer.byteLength(input.body, "utf8"),
    createdAt: new Date(),
    prevHash,
    signatureState: signature?.state ?? null,
    signatureNote: signature?.note ?? null,
  });
  entry.hash = entryHash(prevHash, entry);
  return repo.save(entry);
}
