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
    .description("Сгенерировать пакет выгрузки учётной системы (CSV по файлам формата пакета) для тестов и нагрузочных прогонов")
    .option("--accounts <n>", "number of accounts (лицевые счета); everything else scales with it")
    .option("--out <dir>", "папка для файлов (создаётся; имеющиеся файлы перезаписываются)")
    .option("--seed <s>", "зерно генератора: одно зерно — побайтно одинаковые файлы", "1")
    .option("--months <m>", "месяцев показаний, платёжных документов и платежей", "12")
    .option("--no-broken", "без намеренно ошибочных объектов (broken.json тогда пуст)")
    .option("--json", "отчёт в JSON")
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
