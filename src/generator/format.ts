/** Formatting for the generated CSV: all integer arithmetic, so output never depends on float rounding quirks. */

export const p2 = (n: number) => (n < 10 ? "0" + n : String(n));
export const ymd = (y: number, m: number, d: number) => `${y}-${p2(m)}-${p2(d)}`;

/** An integer count of 10^-scale units as a decimal string: fixed(12345, 3) = "12.345". */
export function fixed(units: number, scale: number): string {
  const neg = units < 0;
  const a = Math.abs(units);
  const div = 10 ** scale;
  const int = Math.floor(a / div);
  const frac = String(a - int * div).padStart(scale, "0");
  return (neg ? "-" : "") + int + (scale > 0 ? "." + frac : "");
}
export const rub = (kop: number) => fixed(kop, 2);

export function addDays(day: string, n: number): string {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
