/**
 * exceljs's streaming writer never waits: a committed row goes into the sheet's buffer, which
 * writes on into the zip's deflate stream without looking at its return value. With a
 * synchronous database driver (better-sqlite3) the event loop would not even turn, and a
 * million-row sheet would pile up in memory uncompressed. Every few hundred rows the writers call
 * this: give the event loop a turn and wait while the deflate stream holds more than a few MB.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";

const HIGH_WATER = 4 << 20;
export const BREATHE_EVERY = 500;

export async function breathe(worksheet: unknown): Promise<void> {
  await new Promise((r) => setImmediate(r));
  const pipes = ((worksheet as { stream?: { pipes?: Writable[] } }).stream?.pipes ?? []) as Writable[];
  for (const p of pipes) {
    while (p.writableLength > HIGH_WATER && !p.destroyed) {
      await Promise.race([once(p, "drain"), new Promise((r) => setTimeout(r, 50))]);
    }
  }
}
