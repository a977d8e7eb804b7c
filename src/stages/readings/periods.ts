/** Dates the readings methods and the payments' check share. */

/** The first day of the month before `now`'s (UTC), "YYYY-MM-DD". */
export function previousMonthStart(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 10);
}
