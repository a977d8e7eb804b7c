/** The part of archiver (MIT; streaming zip) that gis-sync uses. */
declare module "archiver" {
  import { Readable } from "node:stream";

  interface EntryData {
    name: string;
    date?: Date;
  }

  interface Archiver extends Readable {
    append(source: Buffer | string | Readable, data: EntryData): this;
    finalize(): Promise<void>;
    on(event: "warning" | "error", listener: (e: Error) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  function archiver(format: "zip", options?: { zlib?: { level?: number } }): Archiver;
  export = archiver;
}
