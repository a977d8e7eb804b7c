/**
 * Where verification starts. Retention deletes the oldest entries; before it does, it records the
 * first entry that stays and the hash that entry must chain from. Kept in the setting table.
 */
import { DataSource, EntityManager } from "typeorm";
import { Setting } from "../../entities";
import { GENESIS_HASH } from "./chain";

export interface Checkpoint {
  /** Entries with a smaller id were pruned. */
  fromId: number;
  /** The prevHash the entry at fromId must carry. */
  prevHash: string;
  prunedAt: string | null;
}

const KEY = "archive.checkpoint";

export async function readCheckpoint(db: DataSource | EntityManager): Promise<Checkpoint> {
  const row = await db.getRepository(Setting).findOneBy({ key: KEY });
  return row ? (JSON.parse(row.value) as Checkpoint) : { fromId: 0, prevHash: GENESIS_HASH, prunedAt: null };
}

export async function writeCheckpoint(db: DataSource | EntityManager, c: Checkpoint): Promise<void> {
  await db.getRepository(Setting).save({ key: KEY, value: JSON.stringify(c), updatedAt: new Date(), updatedBy: "archive" });
}
