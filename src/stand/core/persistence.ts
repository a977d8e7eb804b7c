/**
 * The stand's data file: the store (organizations, tables, counters, duplicates) and the messages
 * (sender MessageGUIDs already used — so the reuse check survives a restart — and finished results
 * still answerable by getState). Written atomically: a temporary file next to it, then rename.
 */
import fs from "node:fs";
import path from "node:path";
import { MemoryStore, StandSnapshot } from "../store";
import { SavedMessages } from "./messages";

interface DataFile {
  format: "gis-sync-stand";
  version: 1;
  savedAt: string;
  store: StandSnapshot;
  messages: SavedMessages;
}

export function loadDataFile(file: string): { store: MemoryStore; messages: SavedMessages } | null {
  if (!fs.existsSync(file)) return null;
  let d: DataFile;
  try {
    d = JSON.parse(fs.readFileSync(file, "utf8")) as DataFile;
  } catch (e) {
    throw new Error(`${file}: файл данных стенда повреждён (${(e as Error).message})`);
  }
  if (d?.format !== "gis-sync-stand" || d.version !== 1)
    throw new Error(`${file}: не файл данных стенда gis-sync (ожидается format "gis-sync-stand", version 1)`);
  return { store: MemoryStore.fromJSON(d.store), messages: d.messages ?? { requesterGuids: [], records: [] } };
}

export function saveDataFile(file: string, store: MemoryStore, messages: SavedMessages): void {
  const d: DataFile = { format: "gis-sync-stand", version: 1, savedAt: new Date().toISOString(), store: store.toJSON(), messages };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(d));
  fs.renameSync(tmp, file);
}
