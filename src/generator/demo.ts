/** The small bundle `gis-sync demo` imports: 60 accounts, seed 2026, 12 months, a handful of broken objects. */
import { generateBundle, GenerateReport } from "./generate";

export const DEMO_OPTIONS = { accounts: 60, seed: 2026, months: 12, broken: true } as const;

export function writeDemoBundle(dir: string): Promise<GenerateReport> {
  return generateBundle({ ...DEMO_OPTIONS, outDir: dir });
}
