/**
 * The application logger (winston). Secrets never reach a log line: a format masks values of
 * secret-looking keys and passwords inside connection URLs before anything is written.
 */
import winston from "winston";

const SECRET_KEY = /(pin|password|passwd|secret|token|privatekey|private_key|key_?pass)/i;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]+)(@)/gi;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(URL_PASSWORD, "$1***$3");
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null ? "***" : redact(v, depth + 1);
  }
  return out;
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    const v = (info as Record<string, unknown>)[key];
    (info as Record<string, unknown>)[key] = SECRET_KEY.test(key) && v != null ? "***" : redact(v);
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
