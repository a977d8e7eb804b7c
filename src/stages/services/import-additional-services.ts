/** importAdditionalServices: place our additional services in the organization's НСИ 1. */
import { Organization, Service } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { AdditionalServiceInput } from "../../transport/messages/nsi";
import { MethodDescriptor, Rejection } from "../descriptor";
import { byId } from "../load";
import { writeOutcomes } from "../outcome";
import { Checks, PRE } from "../preflight";
import { missingOrgGuid, placedReference, selectUnplaced } from "./private-services";

export const importAdditionalServices: MethodDescriptor<OperationInputs["importAdditionalServices"], Omit<AdditionalServiceInput, "transportGuid">> = {
  method: "importAdditionalServices",
  stage: "services",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "service",
  batchSetting: null,
  defaultBatch: 1000,
  safeToRepeat: false,
  after: ["exportOrgRegistry", "exportDataProviderNsiItem"],

  select: (ds, scope, mode) => selectUnplaced(ds, scope, mode, "additional", 1),

  async prepare(ds, serviceIds, ctx) {
    const us = await ds.getRepository(Organization).findOneBy({ id: ctx.organizationId });
    const ready: Array<{ objectId: number; data: Omit<AdditionalServiceInput, "transportGuid"> }> = [];
    const rejected: Rejection[] = [];
    for (const s of (await byId(ds, Service, serviceIds)).values()) {
      const c = new Checks(s.id, [["Услуга", s.name]]);
      c.fail(missingOrgGuid(ctx), PRE.orgGuid, "organization.gisOrgPpaGuid", `У организации «${us?.shortName ?? us?.fullName ?? ""}» отсутствует ГУИД`);
      c.fail(s.name.length > 100, PRE.noNumber, "name", "Наименование дополнительной услуги длиннее 100 символов");
      if (c.ok) ready.push({ objectId: s.id, data: { name: s.name, ...(s.okei ? { okei: s.okei } : { unitText: "усл." }) } });
      else rejected.push(c.first);
    }
    return { ready, rejected };
  },

  payload: (batch) => ({ services: batch.map((b) => ({ ...b.data, transportGuid: b.transportGuid })) }),

  async apply(em, _answer, matched, ctx) {
    await writeOutcomes(em, Service, matched, ctx, placedReference(1));
  },
};
