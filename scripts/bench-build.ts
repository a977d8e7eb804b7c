/**
 * Build + validate N importAccountData requests with the maximum batch (100 accounts each):
 *   npm run build && node dist/scripts/bench-build.js [N=200] [--schema=<dir>] [--engine=wasm|xmllint]
 * Prints messages/s, ms per message and MB/s for building, validating, and both.
 */
import { performance } from "node:perf_hooks";
import { buildRequest } from "../src/transport/messages/index";
import { AccountInput } from "../src/transport/messages/house-management";
import { resolveSchemaDir, validateRequest, warmUp } from "../src/transport/schema/validate";

const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 200);
const schemaDir = resolveSchemaDir(args.find((a) => a.startsWith("--schema="))?.slice(9));
const engine = (args.find((a) => a.startsWith("--engine="))?.slice(9) ?? "wasm") as "wasm" | "xmllint";
const G = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const ORG = "7ad2bc7d-2b2c-4b6a-9d3b-0c6b7b1d2e3f";

function account(n: number): AccountInput {
  return {
    transportGuid: G(n),
    role: "UO",
    livingPersonsNumber: n % 5,
    totalSquare: 30 + (n % 70) + 0.25,
    residentialSquare: 20 + (n % 50),
    heatedArea: 30 + (n % 70),
    accommodations: [{ premisesGuid: G(1_000_000 + n), sharePercent: 100 }],
    payer: { person: { surname: "Иванов", firstName: "Пётр", patronymic: "Сергеевич", snils: String(10_000_000_000 + n).slice(0, 11) } },
    accountNumber: `ЛС-${String(n).padStart(8, "0")}`,
  };
}

async function main(): Promise<void> {
  await warmUp(["house-management"], schemaDir);
  const inputs = Array.from({ length: N }, (_, m) => ({ accounts: Array.from({ length: 100 }, (_, i) => account(m * 100 + i)) }));
  // warm-up round for the JIT
  for (let i = 0; i < 5; i++)
    await validateRequest(buildRequest("importAccountData", { orgPPAGUID: ORG }, inputs[i % N]).xml, "house-management", { schemaDir, engine });

  let bytes = 0;
  const t0 = performance.now();
  const built = inputs.map((p) => buildRequest("importAccountData", { orgPPAGUID: ORG }, p));
  const t1 = performance.now();
  for (const b of built) {
    bytes += Buffer.byteLength(b.xml);
    const problems = await validateRequest(b.xml, "house-management", { schemaDir, engine });
    if (problems.length) throw new Error(JSON.stringify(problems[0]));
  }
  const t2 = performance.now();
  const mb = bytes / 1024 / 1024;
  const line = (what: string, ms: number) =>
    console.log(
      `${what.padEnd(18)} ${(N / (ms / 1000)).toFixed(1).padStart(8)} msgs/s  ${(ms / N).toFixed(2).padStart(7)} ms/msg  ${(mb / (ms / 1000)).toFixed(1).padStart(7)} MB/s`,
    );
  console.log(`importAccountData × ${N}, 100 accounts each, ${(bytes / N / 1024).toFixed(1)} KB per message, schema ${schemaDir}, engine ${engine}`);
  line("build", t1 - t0);
  line("validate", t2 - t1);
  line("build + validate", t2 - t0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
