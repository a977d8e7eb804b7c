/** What descriptors get besides the database: the organization, its role and the settings in force. */
import { DataSource } from "typeorm";
import { Organization } from "../../entities/organization";
import { SETTINGS } from "../settings/definitions";
import { getSetting } from "../settings/settings";
import { StageContext } from "../stages/descriptor";
import { UserError } from "../util/errors";

export async function stageContext(ds: DataSource, organizationId: number, now = new Date()): Promise<StageContext> {
  const org = await ds.getRepository(Organization).findOneBy({ id: organizationId });
  if (!org) throw new UserError(`Организация ${organizationId} не найдена`);
  const values = new Map<string, string | number | boolean | null>();
  for (const s of SETTINGS) if (!s.secret) values.set(s.key, await getSetting(ds, s.key));
  return {
    // An РЦ or IS operator acts for several organizations: each one's own role wins over the installation's.
    organizationId, role: String(org.role ?? values.get("gis.role") ?? "UO"), orgPPAGUID: org.gisOrgPpaGuid ?? "", now,
    setting: (key) => (values.has(key) ? values.get(key)! : null),
  };
}
