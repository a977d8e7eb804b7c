/**
 * wsdl/operations.json — the WSDL operations the project's own trimmed schemas keep, per service —
 * derived from the operations table (the method modules), never edited by hand:
 * `node dist/scripts/write-operations.js` writes it, a test keeps it equal.
 */
import { OPERATIONS } from "../transport/messages";
import { SERVICES, ServiceName } from "../transport/services";

export function operationsByService(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const service of Object.keys(SERVICES) as ServiceName[]) out[service] = ["getState"];
  for (const [name, spec] of Object.entries(OPERATIONS)) {
    if (!spec || spec.service === null || name === "getState") continue;
    out[spec.service].push(name);
  }
  for (const list of Object.values(out)) list.splice(1, list.length - 1, ...list.slice(1).sort());
  return out;
}

/** The file's text: one service a line, so a diff shows which operation came or went. */
export function operationsFileText(): string {
  const lines = Object.entries(operationsByService()).map(([s, ops]) => `  ${JSON.stringify(s)}: ${JSON.stringify(ops)}`);
  return `{\n${lines.join(",\n")}\n}\n`;
}
