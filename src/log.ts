/**
 * The application logger (winston). Secrets and payers' personal data never reach a log line: a
 * format masks values of secret-looking and personal-data keys (SNILS, identity document series and
 * number, full-name parts), passwords inside connection URLs, SNILS-shaped numbers and the personal
 * elements of GIS XML before anything is written.
 */
import winston from "winston";

const SECRET_KEY = /(pin|password|passwd|secret|token|privatekey|private_key|key_?pass)/i;
/** Payers' personal data by key: SNILS, passport / identity document, name parts (payerLastName, surname, fio…). */
const PERSONAL_KEY =
  /^(payer_?)?(snils|passport\w*|(identity_?)?doc(ument)?_?(series|number)|last_?name|first_?name|middle_?name|surname|patronymic|fio|full_?name)$/i;
const URL_TOKEN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
/** SNILS: ddd-ddd-ddd dd (spaces or dashes), or 11 digits standing alone (not part of a GUID or a longer number). */
const SNILS_TEXT = /(?<![\w-])(\d{3}[- ]\d{3}[- ]\d{3}[- ]\d{2}|\d{11})(?![\w-])/g;
/** Personal elements of GIS requests and answers (namespace prefix optional). */
const PERSONAL_XML = /<((?:[\w-]+:)?(?:Surname|FirstName|Patronymic|SNILS|Series))>[^<]*<\/\1>(\s*<((?:[\w-]+:)?Number)>[^<]*<\/\3>)?/g;

/**
 * The password of a URL masked up to the *last* "@" of its authority: an un-encoded "@" (or "/",
 * "?", "#") in the password must not leak its tail.
 */
export function maskUrlPassword(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^:/?#@\s]*):(.*)$/is.exec(url);
  if (!m) return url;
  const rest = m[3];
  const end = rest.search(/[/?#]/);
  let at = (end < 0 ? rest : rest.slice(0, end)).lastIndexOf("@");
  // No "@" before the path: either no password at all (host:port/path) or one with "/" or "?" in it.
  if (at < 0) at = rest.lastIndexOf("@");
  if (at < 0) return url;
  return `${m[1]}${m[2]}:***${rest.slice(at)}`;
}

/** Personal data in free text: SNILS-shaped numbers and GIS's personal XML elements. */
export function maskPersonalText(s: string): string {
  return s
    .replace(SNILS_TEXT, "***")
    .replace(PERSONAL_XML, (_all, tag: string, number?: string, numTag?: string) => `<${tag}>***</${tag}>${number ? `<${numTag}>***</${numTag}>` : ""}`);
}

export const isPersonalKey = (k: string): boolean => PERSONAL_KEY.test(k);

function maskString(s: string): string {
  return maskPersonalText(s.replace(URL_TOKEN, maskUrlPassword));
}

const masked = (k: string, v: unknown) => (SECRET_KEY.test(k) || PERSONAL_KEY.test(k)) && v !== undefined && v !== null;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskString(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = masked(k, v) ? "***" : redact(v, depth + 1);
  return out;
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    const v = (info as Record<string, unknown>)[key];
    (info as Record<string, unknown>)[key] = masked(key, v) ? "***" : redact(v);
  }
  return info;
});

export const log = winston.createLogger({
  level: process.env.LOG_LEVEL || "info",
  format: winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "debug"] })],
});

/** Quiet logs in tests unless asked for. */
if (process.env.NODE_TEST_CONTEXT && !process.env.LOG_LEVEL) log.level = "warn";
