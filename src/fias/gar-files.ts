/**
 * The files of a ГАР (GAR) extract as the tax service publishes it: one folder per region
 * ("16/AS_HOUSES_20250101_<uuid>.XML"). The user may point at the extract's root or at the
 * region's folder.
 */
import fs from "node:fs";
import path from "node:path";
import { UserError } from "../util/errors";

export interface GarFiles {
  dir: string;
  addrObj: string[];
  houses: string[];
  admHierarchy: string[];
  munHierarchy: string[];
  addrObjParams: string[];
  housesParams: string[];
}

const PATTERNS: Record<Exclude<keyof GarFiles, "dir">, RegExp> = {
  addrObj: /^AS_ADDR_OBJ_\d/i,
  houses: /^AS_HOUSES_\d/i,
  admHierarchy: /^AS_ADM_HIERARCHY_\d/i,
  munHierarchy: /^AS_MUN_HIERARCHY_\d/i,
  addrObjParams: /^AS_ADDR_OBJ_PARAMS_\d/i,
  housesParams: /^AS_HOUSES_PARAMS_\d/i,
};

export function findGarFiles(root: string, regionCode: string | null): GarFiles {
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UserError(`Каталог выгрузки ГАР «${root}» не найден`);
  const region = regionCode ? String(Number(regionCode)).padStart(2, "0") : null;
  const dir = region && fs.existsSync(path.join(root, region)) ? path.join(root, region) : root;
  const names = fs
    .readdirSync(dir)
    .filter((f) => /\.xml$/i.test(f))
    .sort();
  const pick = (re: RegExp) => names.filter((n) => re.test(n)).map((n) => path.join(dir, n));
  const files: GarFiles = {
    dir,
    addrObj: pick(PATTERNS.addrObj),
    houses: pick(PATTERNS.houses),
    admHierarchy: pick(PATTERNS.admHierarchy),
    munHierarchy: pick(PATTERNS.munHierarchy),
    addrObjParams: pick(PATTERNS.addrObjParams),
    housesParams: pick(PATTERNS.housesParams),
  };
  const missing: string[] = [];
  if (!files.addrObj.length) missing.push("AS_ADDR_OBJ_*.XML");
  if (!files.houses.length) missing.push("AS_HOUSES_*.XML");
  if (!files.admHierarchy.length && !files.munHierarchy.length) missing.push("AS_ADM_HIERARCHY_*.XML или AS_MUN_HIERARCHY_*.XML");
  if (missing.length) {
    const hint = region ? ` (искали в «${dir}»; код региона ${region})` : " (укажите код региона в настройке «Код региона», если выгрузка по всем регионам)";
    throw new UserError(`В выгрузке ГАР нет файлов ${missing.join(", ")}${hint}`);
  }
  return files;
}
