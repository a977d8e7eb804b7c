/**
 * exceljs's streaming writer never waits: a committed row goes into the sheet's buffer, which
 * writes on into the zip's deflate stream without looking at its return value. With a
 * synchronous database driver (better-sqlite3) the event loop would not even turn, and a
 * million-row sheet would pile up in memory uncompressed. Every few hundred rows the writers call
 * this: give the event loop a turn and wait while the stream feeding the deflate holds more
 * than a few MB (a later sheet's stream also waits there until the zip is done with the one before).
 */
import { once } from "node:events";
import type { Writable } from "node:stream";

const HIGH_WATER = 4 << 20;
export const BREATHE_EVERY = 500;

export async function breathe(worksheet: unknown): Promise<void> {
  await new Promise((r) => setImmediate(r));
  const pipes = ((worksheet as { stream?: { pipes?: Writable[] } }).stream?.pipes ?? []) as Writable[];
  for (const p of pipes) {
    // archiver hands us an old readable-stream PassThrough: no writableLength, only _writableState.
    const pending = () => p.writableLength ?? (p as unknown as { _writableState?: { length: number } })._writableState?.length ?? 0;
    while (pending() > HIGH_WATER && !p.destroyed) {
      await Promise.race([once(p, "drain"), new Promise((r) => setTimeout(r, 20))]);
    }
  }
}
