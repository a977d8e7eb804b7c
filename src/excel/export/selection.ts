/** Which houses an export, report or coding run covers: `--houses 12,H7,…` (ids or billing ids) or all. */
import { DataSource, In } from "typeorm";
import { House } from "../../../entities";
import { UserError } from "../../util/errors";

/** null = the whole fund. */
export type HouseSelection = number[] | null;

export async function resolveHouses(ds: DataSource, spec: string | undefined | null): Promise<HouseSelection> {
  if (!spec?.trim()) return null;
  const parts = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const repo = ds.getRepository(House);
  const ids = new Set<number>();
  const byExternal = await repo.find({ select: { id: true, externalId: true }, where: { externalId: In(parts) } });
  const found = new Map(byExternal.map((h) => [h.externalId, h.id]));
  const numeric = parts.filter((p) => !found.has(p) && /^\d+$/.test(p)).map(Number);
  const byId = numeric.length ? await repo.find({ select: { id: true }, where: { id: In(numeric) } }) : [];
  const idSet = new Set(byId.map((h) => h.id));
  for (const p of parts) {
    if (found.has(p)) ids.add(found.get(p)!);
    else if (/^\d+$/.test(p) && idSet.has(Number(p))) ids.add(Number(p));
    else throw new UserError(`--houses: дом «${p}» не найден (укажите id или код дома в учётной системе)`);
  }
  return [...ids];
}
