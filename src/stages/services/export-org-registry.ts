/**
 * exportOrgRegistry by OGRN: the registry identifiers of our organizations (orgPPAGUID goes into
 * every request header) and of organizations our data names (payers, contract parties).
 */
import { Not, IsNull } from "typeorm";
import { Organization } from "../../../entities";
import { OrgSearch } from "../../transport/messages/organizations-registry-common";
import { exportRows, lower, valueAt } from "../answer";
import { MethodDescriptor, Prepared } from "../descriptor";
import { byId } from "../load";
import { acceptedState } from "../outcome";
import { Checks, PRE } from "../preflight";

export const exportOrgRegistry: MethodDescriptor<"exportOrgRegistry", OrgSearch> = {
  method: "exportOrgRegistry",
  stage: "services",
  kind: "export",
  modes: ["pull", "sync"],
  objectType: "organization",
  batchSetting: null,
  defaultBatch: 100,
  safeToRepeat: true,

  async select(ds, scope, mode) {
    const orgs = await ds.getRepository(Organization).find({ select: { id: true, gisOrgRootEntityGuid: true }, where: { ogrn: Not(IsNull()) }, order: { id: "ASC" } });
    return orgs.filter((o) => (mode !== "sync" || !o.gisOrgRootEntityGuid) && (!scope.objectIds || scope.objectIds.includes(o.id))).map((o) => o.id);
  },

  async prepare(ds, ids) {
    const out: Prepared<OrgSearch> = { ready: [], rejected: [] };
    for (const o of (await byId(ds, Organization, ids)).values()) {
      const c = new Checks(o.id, [["Организация", o.shortName ?? o.fullName]]);
      if (c.fail(!o.ogrn || !/^(\d{13}|\d{15})$/.test(o.ogrn), PRE.noNumber, "ogrn", "Не указан или неверен ОГРН (13 цифр) или ОГРНИП (15 цифр)")) out.rejected.push(c.first);
      else out.ready.push({ objectId: o.id, data: o.ogrn!.length === 15 ? { ogrnip: o.ogrn! } : { ogrn: o.ogrn!, ...(o.kpp ? { kpp: o.kpp } : {}) } });
    }
    return out;
  },

  payload: (batch) => ({ criteria: batch.map((b) => b.data) }),

  async apply(em, answer, _matched, ctx) {
    for (const row of exportRows(answer, "exportOrgRegistryResult")) {
      const version = row.getElementsByTagNameNS("*", "OrgVersion")[0] as Element | undefined;
      if (!version) continue;
      const ogrn = ["Legal", "Subsidiary", "Entrp", "ForeignBranch"].map((k) => valueAt(version, `${k}/OGRN`) ?? valueAt(version, `${k}/OGRNIP`)).find((x) => x);
      if (!ogrn) continue;
      const root = lower(valueAt(row, "orgRootEntityGUID"));
      const ver = lower(valueAt(version, "orgVersionGUID"));
      const ppa = lower(valueAt(row, "orgPPAGUID"));
      for (const o of await em.getRepository(Organization).find({ where: { ogrn } })) {
        await em.update(Organization, o.id, {
          gisOrgRootEntityGuid: root, gisOrgVersionGuid: ver, ...(ppa ? { gisOrgPpaGuid: ppa } : {}), sync: acceptedState(ctx),
        });
      }
    }
  },
};
