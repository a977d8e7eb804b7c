/**
 * The list of GIS methods, derived from the method modules: every module under
 * src/methods/<service>/ is loaded and every value it declared with `defineMethod` is taken. A new
 * method is a new file; nothing here names one. Loading is synchronous and happens once, on first
 * use, so importing this module costs nothing until the list is needed.
 */
import fs from "node:fs";
import path from "node:path";
import { FormatPackage, AnyMethod, isGisMethod } from "./method";

let loaded: ReadonlyMap<string, AnyMethod> | null = null;

/** Compiled (.js) or, under a TypeScript loader, source (.ts) modules; declarations and maps are not modules. */
function isModuleFile(name: string): boolean {
  if (name.endsWith(".d.ts") || name.endsWith(".map")) return false;
  return (name.endsWith(".js") && !name.endsWith(".test.js")) || (name.endsWith(".ts") && path.extname(__filename) === ".ts");
}

function moduleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...moduleFiles(p));
    else if (isModuleFile(e.name) && path.dirname(p) !== __dirname) out.push(p);
  }
  return out;
}

function load(): ReadonlyMap<string, AnyMethod> {
  const byName = new Map<string, AnyMethod>();
  for (const file of moduleFiles(__dirname)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the list of methods is the folder
    const exports = require(file) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (!isGisMethod(value)) continue;
      const other = byName.get(value.name);
      if (other && other !== value) throw new Error(`Метод ГИС ЖКХ «${value.name}» описан дважды (${path.relative(__dirname, file)})`);
      byName.set(value.name, value);
    }
  }
  return byName;
}

function registry(): ReadonlyMap<string, AnyMethod> {
  return (loaded ??= load());
}

/** Every method module's method, in file order. */
export function allMethods(): AnyMethod[] {
  return [...registry().values()];
}

export function findMethod(name: string): AnyMethod | undefined {
  return registry().get(name);
}

export function methodNamed(name: string): AnyMethod {
  const m = findMethod(name);
  if (!m) throw new Error(`Неизвестный метод ГИС ЖКХ «${name}»`);
  return m;
}

/** The method whose request element is `element` (local name), for validating any built envelope. */
export function methodByElement(element: string): AnyMethod | undefined {
  for (const m of registry().values()) if (m.element === element) return m;
  return undefined;
}

/** The base:version `method` sends under `pkg`. */
export function versionOf(method: AnyMethod, pkg: FormatPackage): string {
  return method.versions[pkg];
}
