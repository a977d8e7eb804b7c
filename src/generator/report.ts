/** A generate run's summary as text for the terminal. */
import { GenerateReport } from "./model";

export function formatReport(r: GenerateReport): string {
  const width = Math.max(...r.files.map((f) => f.file.length), "broken.json".length);
  const mb = (b: number) => (b / 1048576).toFixed(1);
  const out = [
    `Пакет: ${r.outDir}`,
    `Лицевых счетов ${r.accounts}, домов ${r.houses}, месяцев ${r.months} (${r.periods.from} … ${r.periods.to}), seed ${r.seed}`,
    "",
    `${"файл".padEnd(width)}  ${"строк".padStart(12)}  ${"МБ".padStart(9)}`,
  ];
  for (const f of r.files) out.push(`${f.file.padEnd(width)}  ${String(f.rows).padStart(12)}  ${mb(f.bytes).padStart(9)}`);
  out.push(`${"итого".padEnd(width)}  ${String(r.totalRows).padStart(12)}  ${mb(r.totalBytes).padStart(9)}`);
  out.push("");
  if (r.broken.length === 0) out.push("Ошибочных объектов нет (--no-broken).");
  else {
    out.push(`Намеренно ошибочных объектов: ${r.broken.length} (список: broken.json)`);
    for (const [k, n] of Object.entries(r.brokenByKind)) out.push(`  ${k}: ${n}`);
  }
  out.push(`Время: ${(r.elapsedMs / 1000).toFixed(1)} с`);
  return out.join("\n");
}
