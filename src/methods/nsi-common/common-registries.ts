/**
 * Which common GIS dictionaries the pipeline reads, and how: whole (exportNsiItem) or page by page
 * (exportNsiPagingItem, 1000 elements a page). A registry is read by pages when it is known to be
 * large: listed in LARGE_REGISTRIES, or more than one page of it is stored from an earlier read.
 */
import { DataSource } from "typeorm";
import { NsiItem } from "../../../entities";
import { NSI } from "../../stages/nsi";

/** Elements per page of exportNsiPagingItem (the schema's documentation: «по 1000 элементов»). */
export const NSI_PAGE_SIZE = 1000;

/** Registries of the NSI list group the model refers to (the housing-fund group NSIRAO holds none the model uses). */
export const COMMON_REGISTRIES: number[] = [...new Set(Object.values(NSI))].sort((a, b) => a - b);

/** Common registries the model uses that GIS serves in more than one page (none today; a registry that grows is found by its stored size). */
export const LARGE_REGISTRIES: number[] = [];

/** The common registries to read page by page: listed as large, or stored with more than one page of elements. */
export async function pagedRegistries(ds: DataSource): Promise<Set<number>> {
  const rows = await ds
    .getRepository(NsiItem)
    .createQueryBuilder("n")
    .select("n.registryNumber", "registry")
    .addSelect("COUNT(*)", "n")
    .where("n.listGroup = 'NSI'")
    .andWhere("n.organizationId IS NULL")
    .groupBy("n.registryNumber")
    .getRawMany<{ registry: number | string; n: number | string }>();
  const out = new Set(LARGE_REGISTRIES);
  for (const r of rows) if (Number(r.n) > NSI_PAGE_SIZE && COMMON_REGISTRIES.includes(Number(r.registry))) out.add(Number(r.registry));
  return out;
}
