/**
 * The demo's bundles. `writeDemoBundle`: one resource supplier, fixed dates (seed 2026, 12 months
 * to 2025-12) — what the pipeline's tests import. `writeCentreBundle`: what `gis-sync demo`
 * imports — a settlement centre sending for a managing organization and a resource supplier,
 * dated from today (see centre.ts).
 */
import { generateBundle, GenerateReport } from "./generate";

export const DEMO_OPTIONS = { accounts: 60, seed: 2026, months: 12, broken: true } as const;

/** The centre's demo: 40 payers, each with an account at the managing organization and one at the supplier; 6 months of bills. */
export const CENTRE_DEMO_OPTIONS = { accounts: 40, seed: 2026, months: 6, broken: true } as const;

export function writeDemoBundle(dir: string): Promise<GenerateReport> {
  return generateBundle({ ...DEMO_OPTIONS, outDir: dir });
}

/** `today`: "YYYY-MM-DD" in the houses' time zone (centre.ts houseToday()). */
export function writeCentreBundle(dir: string, today: string): Promise<GenerateReport> {
  return generateBundle({ ...CENTRE_DEMO_OPTIONS, outDir: dir, centre: { today } });
}
