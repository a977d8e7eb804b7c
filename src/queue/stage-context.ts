/** What descriptors get besides the database: the organization, its role and the settings in force. */
import { DataSource } from "typeorm";
import { Organization } from "../../entities/organization";
import { SETTINGS, SettingValue } from "../settings/definitions";
import { Setting } from "../../entities/setting";
import { StageContext } from "../stages/descriptor";
import { UserError } from "../util/errors";
import { identitiesAt } from "../storage/identity/store";

export async function stageContext(ds: DataSource, organizationId: number, stand: string, now = new Date()): Promise<StageContext> {
  const org = await ds.getRepository(Organization).findOneBy({ id: organizationId });
  if (!org) throw new UserError(`Организация ${organizationId} не найдена`);
  const values = new Map<string, string | number | boolean | null>();
  // One read of the settings table (this runs for every step of every operation).
  const stored = new Map((await ds.getRepository(Setting).find()).map((r) => [r.key, r.value]));
  for (const s of SETTINGS) if (!s.secret) values.set(s.key, stored.has(s.key) ? (JSON.parse(stored.get(s.key)!) as SettingValue) : s.default);
  return {
    // An РЦ or IS operator acts for several organizations: each one's own role wins over the installation's.
    organizationId,
    role: String(org.role ?? values.get("gis.role") ?? "UO"),
    stand,
    orgPPAGUID: (await identitiesAt(ds, "organization", [organizationId], stand)).get(organizationId)?.gisOrgPpaGuid ?? "",
    now,
    setting: (key) => (values.has(key) ? values.get(key)! : null),
  };
}
