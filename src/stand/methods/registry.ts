/**
 * Every operation the stand answers, derived from the stand method modules under
 * src/stand/methods/<service>/: each value declared with `defineStandMethod` is taken. Loaded
 * once, on first use.
 */
import fs from "node:fs";
import path from "node:path";
import { HandlerSpec } from "../types";
import { isStandMethod } from "./method";

let loaded: ReadonlyMap<string, HandlerSpec> | null = null;

function moduleFiles(dir: string): string[] {
  const out: string[] = [];
  const source = path.extname(__filename) === ".ts";
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...moduleFiles(p));
    else if (path.dirname(p) !== __dirname && !e.name.endsWith(".d.ts") && (e.name.endsWith(".js") || (source && e.name.endsWith(".ts")))) out.push(p);
  }
  return out;
}

function load(): ReadonlyMap<string, HandlerSpec> {
  const byOperation = new Map<string, HandlerSpec>();
  for (const file of moduleFiles(__dirname)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the list of stand methods is the folder
    const exports = require(file) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (!isStandMethod(value)) continue;
      if (byOperation.has(value.operation)) throw new Error(`Стенд: операция «${value.operation}» описана дважды (${path.relative(__dirname, file)})`);
      byOperation.set(value.operation, value);
    }
  }
  return byOperation;
}

/** Every stand method module's handler. */
export function standMethods(): HandlerSpec[] {
  return [...(loaded ??= load()).values()];
}
