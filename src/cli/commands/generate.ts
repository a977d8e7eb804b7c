import { Command } from "commander";
import { generateBundle } from "../../generator/generate";
import { formatReport } from "../../generator/report";
import { UserError } from "../../util/errors";

function intArg(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const t = String(text).trim();
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UserError(
      min === 1 && max === Number.MAX_SAFE_INTEGER
        ? `--${name} must be a positive integer (got "${text}")`
        : `--${name} must be an integer from ${min} to ${max} (got "${text}")`,
    );
  }
  return n;
}

export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description("Write a synthetic billing bundle (CSV per file of the bundle format) for tests and load runs")
    .option("--accounts <n>", "number of accounts (лицевые счета); everything else scales with it")
    .option("--out <dir>", "output directory (created if missing; files in it are overwritten)")
    .option("--seed <s>", "PRNG seed: the same seed gives byte-identical files", "1")
    .option("--months <m>", "months of readings, payment documents and payments", "12")
    .option("--no-broken", "do not inject deliberately broken objects (broken.json is then empty)")
    .option("--json", "print the report as JSON")
    .action(async (o: { accounts?: string; out?: string; seed: string; months: string; broken: boolean; json?: boolean }) => {
      if (o.accounts === undefined) throw new UserError("--accounts is required (a positive integer)");
      const accounts = intArg("accounts", o.accounts, 1, Number.MAX_SAFE_INTEGER)!;
      if (!o.out?.trim()) throw new UserError("--out is required (the directory to write the bundle to)");
      const seed = intArg("seed", o.seed, 0, 0xffffffff)!;
      const months = intArg("months", o.months, 1, 240)!;
      const report = await generateBundle({ accounts, outDir: o.out, seed, months, broken: o.broken });
      console.log(o.json ? JSON.stringify({ ...report, broken: undefined, brokenCount: report.broken.length }, null, 2) : formatReport(report));
    });
}
