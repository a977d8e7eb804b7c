/**
 * importMunicipalServices: place our municipal services in the organization's НСИ 51, each tied to
 * the common municipal service (НСИ 3) and resource (НСИ 2) it is mapped to.
 */
import { Organization, Service } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { MunicipalServiceInput } from "../../transport/messages/nsi";
import { MethodDescriptor, Rejection } from "../descriptor";
import { byId } from "../load";
import { NSI, NsiIndex } from "../nsi";
import { writeOutcomes } from "../outcome";
import { Checks, PRE } from "../preflight";
import { missingOrgGuid, placedReference, selectUnplaced } from "./private-services";

export const importMunicipalServices: MethodDescriptor<OperationInputs["importMunicipalServices"], Omit<MunicipalServiceInput, "transportGuid">> = {
  method: "importMunicipalServices",
  stage: "services",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "service",
  batchSetting: null,
  defaultBatch: 1000,
  safeToRepeat: false,
  after: ["exportOrgRegistry", "exportNsiItem", "exportDataProviderNsiItem"],

  select: (ds, scope, mode) => selectUnplaced(ds, scope, mode, "municipal", 51),

  async prepare(ds, serviceIds, ctx) {
    const us = await ds.getRepository(Organization).findOneBy({ id: ctx.organizationId });
    const nsi = await NsiIndex.load(ds, [NSI.municipalService, NSI.municipalResource]);
    const ready: Array<{ objectId: number; data: Omit<MunicipalServiceInput, "transportGuid"> }> = [];
    const rejected: Rejection[] = [];
    for (const s of (await byId(ds, Service, serviceIds)).values()) {
      const c = new Checks(s.id, [["Услуга", s.name]]);
      c.fail(missingOrgGuid(ctx), PRE.orgGuid, "organization.gisOrgPpaGuid", `У организации «${us?.shortName ?? us?.fullName ?? ""}» отсутствует ГУИД`);
      const service = s.nsiRegistry === NSI.municipalService ? nsi.byGuid(s.nsiGuid) ?? nsi.byCode(NSI.municipalService, s.nsiCode) : null;
      const resource = nsi.byGuid(s.municipalResourceGuid) ?? nsi.byCode(NSI.municipalResource, s.municipalResourceCode);
      c.fail(!service, PRE.nsi, "nsiCode", "Услуга не сопоставлена с коммунальной услугой справочника ГИС (НСИ 3)");
      c.fail(!resource, PRE.nsi, "municipalResourceCode", `Не найден коммунальный ресурс «${s.municipalResourceCode ?? ""}» в справочнике ГИС (НСИ 2)`);
      if (c.ok) ready.push({ objectId: s.id, data: { municipalService: service!, name: s.name.slice(0, 100), municipalResource: resource!, ...(s.okei ? { okei: s.okei } : {}) } });
      else rejected.push(c.first);
    }
    return { ready, rejected };
  },

  payload: (batch) => ({ services: batch.map((b) => ({ ...b.data, transportGuid: b.transportGuid })) }),

  async apply(em, _answer, matched, ctx) {
    await writeOutcomes(em, Service, matched, ctx, placedReference(51));
  },
};
