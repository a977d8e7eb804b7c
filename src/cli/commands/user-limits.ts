/** `--orgs` and `--stands` of `gis-sync user`: organizations named by OGRN (or INN, or the billing system's id), "all" for no limit. */
import { DataSource } from "typeorm";
import { Organization } from "../../../entities";
import { STANDS } from "../../../entities/gis-operation";
import { limitText } from "../../api/org-scope";
import { UserError } from "../../util/errors";

const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** "1027700000001,7707083893" → the organizations' ids as the user column keeps them; "all" → null. */
export async function organizationsOption(ds: DataSource, v: string): Promise<string | null> {
  if (v.trim() === "all") return null;
  const repo = ds.getRepository(Organization);
  const ids: number[] = [];
  for (const key of list(v)) {
    const o = (await repo.findOneBy({ ogrn: key })) ?? (await repo.findOneBy({ inn: key })) ?? (await repo.findOneBy({ externalId: key }));
    if (!o) throw new UserError(`Параметр --orgs: организации «${key}» нет (ищется по ОГРН, ИНН и коду в учётной системе)`);
    ids.push(o.id);
  }
  if (!ids.length) throw new UserError("Параметр --orgs: перечислите ОГРН организаций через запятую или all");
  return limitText([...new Set(ids)].sort((a, b) => a - b));
}

/** "sit01,local" → the column's text; "all" → null. */
export function standsOption(v: string): string | null {
  if (v.trim() === "all") return null;
  const stands = list(v);
  const unknown = stands.filter((s) => !(STANDS as readonly string[]).includes(s));
  if (unknown.length || !stands.length) throw new UserError(`Параметр --stands: стенды ${STANDS.join(", ")} или all; получено «${v}»`);
  return limitText(STANDS.filter((s) => stands.includes(s)));
}

/** How a user's limits read in `user list`. */
export async function describeLimits(ds: DataSource, organizationIds: string | null, stands: string | null): Promise<string> {
  let orgs = "все организации";
  if (organizationIds) {
    const ids = organizationIds.split(",").map(Number);
    const found = await ds
      .getRepository(Organization)
      .find({ where: ids.map((id) => ({ id })), select: { id: true, ogrn: true, shortName: true, fullName: true } });
    orgs = found.map((o) => `${o.ogrn ?? `#${o.id}`} ${o.shortName ?? o.fullName}`).join("; ") || "(организации удалены)";
  }
  return `${orgs}\t${stands ? `стенды ${stands}` : "все стенды"}`;
}
