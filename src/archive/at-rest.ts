/**
 * The archive's XML at rest: payers' names, SNILS and passports travel in it, so with a key the
 * bodies are stored encrypted (AES-256-GCM, a fresh 96-bit nonce per entry) and decrypted only
 * when read. The key lives outside the database — a file named by GIS_SYNC_ARCHIVE_KEY_FILE, or
 * <home>/keys/archive.key when that exists (`gis-sync archive key` makes one) — so a stolen
 * database or backup alone does not give the archive away. Without a key bodies are stored as
 * they are (older installations, tests); a stored encrypted body without the key is an error that
 * says so, never garbage. The hash chain covers the plain text, so `archive verify` needs the key.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ValueTransformer } from "typeorm";
import { loadConfig } from "../config";

const PREFIX = "gsenc1:";

let cached: { file: string | null; key: Buffer | null } | null = null;

/** The key file in force: GIS_SYNC_ARCHIVE_KEY_FILE, else <home>/keys/archive.key when present, else none. */
export function archiveKeyFile(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GIS_SYNC_ARCHIVE_KEY_FILE) return path.resolve(env.GIS_SYNC_ARCHIVE_KEY_FILE);
  const dflt = path.join(loadConfig(env).home, "keys", "archive.key");
  return fs.existsSync(dflt) ? dflt : null;
}

function readKey(file: string): Buffer {
  const text = fs.readFileSync(file, "utf8").trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new Error(`Ключ шифрования архива ${file}: нужно 32 байта (64 шестнадцатеричных знака)`);
  return key;
}

function key(): Buffer | null {
  const file = archiveKeyFile();
  if (!cached || cached.file !== file) cached = { file, key: file ? readKey(file) : null };
  return cached.key;
}

/** Writes a new random key (mode 0600); refuses to overwrite one, which would make the archive unreadable. */
export function createArchiveKey(file: string): void {
  if (fs.existsSync(file)) throw new Error(`Ключ шифрования архива уже есть: ${file} (замена сделает архив нечитаемым)`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${crypto.randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  cached = null;
}

export function encryptBody(plain: string, k = key()): string {
  if (!k) return plain;
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv("aes-256-gcm", k, iv);
  const data = Buffer.concat([c.update(plain, "utf8"), c.final()]);
  return PREFIX + Buffer.concat([iv, c.getAuthTag(), data]).toString("base64");
}

export function decryptBody(stored: string, k = key()): string {
  if (!stored.startsWith(PREFIX)) return stored;
  if (!k) throw new Error("Архив обмена зашифрован, а ключ не найден: задайте GIS_SYNC_ARCHIVE_KEY_FILE");
  const raw = Buffer.from(stored.slice(PREFIX.length), "base64");
  const d = crypto.createDecipheriv("aes-256-gcm", k, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString("utf8");
  } catch {
    throw new Error("Запись архива обмена не расшифровывается этим ключом (ключ другой или запись изменена)");
  }
}

/** The body column's transformer: what the entity holds is always the plain text. */
export const archiveBodyTransformer: ValueTransformer = {
  to: (v: string | null | undefined) => (typeof v === "string" ? encryptBody(v) : v),
  from: (v: string | null | undefined) => (typeof v === "string" ? decryptBody(v) : v),
};
