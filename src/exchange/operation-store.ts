/**
 * Operation records: one row per GIS request and its whole life, so workers hold no state and any
 * worker resumes any operation. Every state change is a conditional UPDATE (… WHERE state IN
 * (expected)), so when two workers race for the same operation exactly one wins.
 *
 *   created → validated → signed → sent → processing → done | done_with_errors | failed | cancelled
 * A rebuilt resend goes back to signed (new MessageGUID, attempts + 1); an import with an unknown
 * outcome waits in reconciling for an export child, then goes back to signed with only the objects
 * GIS lacks (or finishes when it has them all); failed and cancelled are reachable from any state
 * that is not final.
 */
import crypto from "node:crypto";
import { DataSource, EntityManager, In, IsNull, LessThanOrEqual } from "typeorm";
import { GisOperation, OperationState, Stand } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";

/** trigger of the export child an import waits for in reconciling. */
export const RECONCILE_TRIGGER = "reconcile";

export const FINAL_STATES: OperationState[] = ["done", "done_with_errors", "failed", "cancelled"];

const NEXT: Record<OperationState, OperationState[]> = {
  created: ["validated"],
  validated: ["signed"],
  signed: ["sent", "signed", "reconciling"],
  sent: ["processing", "done", "done_with_errors", "signed", "reconciling"],
  processing: ["processing", "done", "done_with_errors", "signed", "reconciling"],
  reconciling: ["signed", "done", "done_with_errors"],
  done: [],
  done_with_errors: [],
  failed: [],
  cancelled: [],
};

export function isLegal(from: OperationState, to: OperationState): boolean {
  if (to === "failed" || to === "cancelled") return !FINAL_STATES.includes(from);
  return NEXT[from].includes(to);
}

export interface NewOperation {
  stand: Stand;
  service: string;
  method: string;
  stage?: string | null;
  organizationId?: number | null;
  parentId?: string | null;
  runId?: string | null;
  author?: string | null;
  trigger?: string | null;
  /** The run's lane (pipeline_lane.lane), when a lane made it. */
  lane?: number | null;
  items: Array<{ objectType: string; objectId: number; transportGuid?: string }>;
}

type Db = DataSource | EntityManager;
const inTx = <T>(db: Db, fn: (em: EntityManager) => Promise<T>): Promise<T> => (db instanceof DataSource ? db.transaction(fn) : fn(db));

/** The operation and its items, written together. */
export async function createOperation(db: Db, o: NewOperation): Promise<GisOperation> {
  return inTx(db, async (em) => {
    const op = em.getRepository(GisOperation).create({
      id: crypto.randomUUID(),
      stand: o.stand,
      service: o.service,
      method: o.method,
      stage: o.stage ?? null,
      organizationId: o.organizationId ?? null,
      parentId: o.parentId ?? null,
      runId: o.runId ?? null,
      author: o.author ?? null,
      trigger: o.trigger ?? null,
      lane: o.lane ?? null,
      state: "created",
      attempts: 0,
      polls: 0,
      itemCount: o.items.length,
      createdAt: new Date(),
    });
    await em.getRepository(GisOperation).insert(op);
    const items = o.items.map((i) => ({
      operationId: op.id,
      objectType: i.objectType,
      objectId: i.objectId,
      transportGuid: i.transportGuid ?? crypto.randomUUID(),
      outcome: "pending",
    }));
    for (let i = 0; i < items.length; i += 200) await em.getRepository(GisOperationItem).insert(items.slice(i, i + 200));
    return op;
  });
}

/**
 * Moves an operation from one of `from` to `to`, with extra fields. Returns false when another
 * worker moved it first (or it is not in an expected state): the caller then leaves it alone.
 */
export async function transition(db: Db, id: string, from: OperationState[], to: OperationState, patch: Partial<GisOperation> = {}): Promise<boolean> {
  const legal = from.filter((f) => isLegal(f, to));
  if (legal.length === 0) throw new Error(`Illegal operation transition ${from.join("|")} → ${to}`);
  const set: Partial<GisOperation> = { ...patch, state: to };
  if (FINAL_STATES.includes(to) && !patch.finishedAt) set.finishedAt = new Date();
  const res = await db
    .getRepository(GisOperation)
    .createQueryBuilder()
    .update()
    .set(set)
    .where({ id, state: In(legal) })
    .execute();
  return (res.affected ?? 0) === 1;
}

/** A rebuilt resend: new MessageGUID, attempts + 1, back to signed — only if still where we saw it. */
export async function rebuildForResend(db: Db, op: GisOperation, messageGuid: string): Promise<boolean> {
  const res = await db
    .getRepository(GisOperation)
    .createQueryBuilder()
    .update()
    .set({ state: "signed", messageGuid, attempts: op.attempts + 1, gisMessageGuid: null, nextPollAt: null })
    .where({ id: op.id, state: op.state, attempts: op.attempts })
    .execute();
  return (res.affected ?? 0) === 1;
}

/**
 * Operations whose next getState is due, claimed for `leaseMs`: the claim pushes nextPollAt
 * forward with a conditional update, so a second worker asking at the same moment gets others.
 */
export async function claimDuePolls(db: Db, limit: number, leaseMs: number, now = new Date()): Promise<GisOperation[]> {
  const repo = db.getRepository(GisOperation);
  const due = await repo.find({
    where: { state: In(["sent", "processing"]), nextPollAt: LessThanOrEqual(now) },
    order: { nextPollAt: "ASC" },
    take: limit * 2,
  });
  const won: GisOperation[] = [];
  for (const op of due) {
    if (won.length >= limit) break;
    const lease = new Date(now.getTime() + leaseMs);
    const res = await repo
      .createQueryBuilder()
      .update()
      .set({ nextPollAt: lease })
      .where({ id: op.id, state: op.state, nextPollAt: op.nextPollAt ?? IsNull() })
      .execute();
    if ((res.affected ?? 0) === 1) won.push({ ...op, nextPollAt: lease });
  }
  return won;
}

/** When every child of a split batch is final, the parent gets their summary state. */
export async function settleParent(db: Db, parentId: string): Promise<OperationState | null> {
  // Reconciling exports are children too, but they are a step of the parent, not a part of its batch.
  const children = await db
    .getRepository(GisOperation)
    .createQueryBuilder("o")
    .select(["o.id", "o.state"])
    .where("o.parentId = :parentId", { parentId })
    .andWhere("(o.trigger IS NULL OR o.trigger <> :r)", { r: RECONCILE_TRIGGER })
    .getMany();
  if (children.length === 0 || children.some((c) => !FINAL_STATES.includes(c.state))) return null;
  const states = new Set(children.map((c) => c.state));
  const summary: OperationState =
    states.size === 1 && states.has("done")
      ? "done"
      : [...states].every((s) => s === "failed")
        ? "failed"
        : [...states].every((s) => s === "cancelled")
          ? "cancelled"
          : "done_with_errors";
  const parent = await db.getRepository(GisOperation).findOneBy({ id: parentId });
  if (!parent || FINAL_STATES.includes(parent.state)) return parent?.state ?? null;
  const res = await db
    .getRepository(GisOperation)
    .createQueryBuilder()
    .update()
    .set({ state: summary, finishedAt: new Date() })
    .where({ id: parentId, state: parent.state })
    .execute();
  return (res.affected ?? 0) === 1 ? summary : null;
}

/** What one item of an answer says: its outcome and what comes with it. */
export type ItemOutcome = Pick<GisOperationItem, "id"> & Partial<Pick<GisOperationItem, "outcome" | "gisGuid" | "errorCode" | "errorText">>;

/** Items per UPDATE: at most 4 columns × 2 + 1 parameters each stays under MS SQL's 2,100. */
const ITEM_ROWS = 200;

/**
 * Records the outcomes of an answer's items set-based: items that change the same columns share
 * one UPDATE per chunk, a column differing between them set by CASE on the item's id — instead of
 * one statement per item.
 */
export async function recordItemOutcomes(db: Db, outcomes: ItemOutcome[]): Promise<void> {
  const byColumns = new Map<string, ItemOutcome[]>();
  for (const o of outcomes) {
    const key = Object.keys(o)
      .filter((k) => k !== "id")
      .sort()
      .join(",");
    if (key) byColumns.set(key, [...(byColumns.get(key) ?? []), o]);
  }
  const repo = db.getRepository(GisOperationItem);
  const idColumn = repo.metadata.findColumnWithPropertyName("id")!.databaseName;
  for (const [key, list] of byColumns) {
    const columns = key.split(",") as Array<Exclude<keyof ItemOutcome, "id">>;
    for (let i = 0; i < list.length; i += ITEM_ROWS) {
      const chunk = list.slice(i, i + ITEM_ROWS);
      const qb = repo.createQueryBuilder().update();
      const params: Record<string, unknown> = { ids: chunk.map((o) => o.id) };
      const set: Record<string, unknown> = {};
      for (const [c, column] of columns.entries()) {
        const values = chunk.map((o) => o[column] ?? null);
        if (values.every((v) => v === values[0])) {
          set[column] = values[0];
          continue;
        }
        const cases = chunk.map((o, j) => {
          params[`i${c}_${j}`] = o.id;
          params[`v${c}_${j}`] = values[j];
          return `WHEN :i${c}_${j} THEN :v${c}_${j}`;
        });
        set[column] = () => `CASE ${qb.escape(idColumn)} ${cases.join(" ")} END`;
      }
      await qb
        .set(set as Partial<GisOperationItem>)
        .where(`${qb.escape(idColumn)} IN (:...ids)`, params)
        .execute();
    }
  }
}
