/**
 * The readings window of a contract (from day N to day M of the period's month or the next) and
 * the contract that covers a house on a date — what importMeteringDeviceValues checks before
 * sending a current reading (GIS refuses others with SRV007013).
 */
import { DataSource } from "typeorm";
import { Contract, ContractObject } from "../../../entities";
import { StageContext } from "../../stages/descriptor";
import { byId, findIn, groupBy } from "../../stages/load";
import { localTime } from "../../schedule/fire-times";

const day = (d: Date) => d.toISOString().slice(0, 10);
const dateOf = (year: number, month: number, dayOfMonth: number) => {
  // Day 31 in a 30-day month means its last day.
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day(new Date(Date.UTC(year, month - 1, Math.min(dayOfMonth, last))));
};

/** The readings window of a period under a contract, as [from, to] dates; null when the contract sets none. */
export function readingsWindow(c: Contract, year: number, month: number): [string, string] | null {
  if (c.readingsFromDay === null || c.readingsToDay === null) return null;
  const shift = (next: boolean): [number, number] => (next ? (month === 12 ? [year + 1, 1] : [year, month + 1]) : [year, month]);
  const [fy, fm] = shift(c.readingsFromNextMonth);
  const [ty, tm] = shift(c.readingsToNextMonth);
  return [dateOf(fy, fm, c.readingsFromDay), dateOf(ty, tm, c.readingsToDay)];
}

/** Today's date ("YYYY-MM-DD") on the house's calendar: its own time zone, else the installation's; an unknown zone falls back. */
export function houseDate(now: Date, houseZone: string | null, fallbackZone: string): string {
  for (const tz of [houseZone, fallbackZone, "Europe/Moscow"]) {
    if (!tz) continue;
    try {
      return localTime(now, tz).day;
    } catch {
      // An unknown zone name: the next one.
    }
  }
  return day(now);
}

/** The organization's contract covering the house on the date. */
export function contractOn(contracts: Contract[], date: string): Contract | undefined {
  return contracts.find(
    (c) => (!c.effectiveDate || c.effectiveDate <= date) && (!(c.terminationDate ?? c.plannedEndDate) || date <= (c.terminationDate ?? c.plannedEndDate)!),
  );
}

/** The organization's contracts for each house. */
export async function contractsByHouse(ds: DataSource, ctx: StageContext, houseIds: number[]): Promise<Map<number, Contract[]>> {
  const objects = await findIn(ds, ContractObject, "houseId", houseIds);
  const contracts = await byId(
    ds,
    Contract,
    objects.map((o) => o.contractId),
  );
  const out = new Map<number, Contract[]>();
  for (const [houseId, os] of groupBy(objects, (o) => o.houseId)) {
    out.set(
      houseId,
      os.map((o) => contracts.get(o.contractId)!).filter((c) => c && c.organizationId === ctx.organizationId),
    );
  }
  return out;
}
