/**
 * exportDataProviderNsiItem: the organization's own dictionaries as GIS holds them (НСИ 1
 * additional services, НСИ 51 main municipal services). Elements are stored; our services not yet
 * tied to an element are tied to the one with the same name, so they are not placed twice.
 */
import { IsNull, Not } from "typeorm";
import { OperationInputs } from "../../transport/messages";
import { Service } from "../../../entities";
import { MethodDescriptor } from "../descriptor";
import { acceptedState } from "../outcome";
import { nsiAnswer, storeNsi } from "./nsi-answer";

const KIND_OF_REGISTRY: Record<number, Service["kind"]> = { 1: "additional", 51: "municipal" };

export const exportDataProviderNsiItem: MethodDescriptor<OperationInputs["exportDataProviderNsiItem"], { registryNumber: number }> = {
  method: "exportDataProviderNsiItem",
  stage: "services",
  kind: "export",
  modes: ["pull", "sync"],
  objectType: "nsi_registry",
  batchSetting: null,
  defaultBatch: 1,
  safeToRepeat: true,
  after: ["exportOrgRegistry"],

  select: async (_ds, scope) => [1, 51].filter((r) => !scope.objectIds || scope.objectIds.includes(r)),
  prepare: async (_ds, ids) => ({ ready: ids.map((r) => ({ objectId: r, data: { registryNumber: r } })), rejected: [] }),
  payload: (batch) => ({ registryNumber: batch[0].data.registryNumber }),

  async apply(em, answer, _matched, ctx) {
    const got = nsiAnswer(answer);
    if (!got) return;
    await storeNsi(em, got.registry, got.rows, "PRIVATE", ctx.organizationId);
    const kind = KIND_OF_REGISTRY[got.registry];
    if (!kind) return;
    const services = await em.getRepository(Service).find({ where: { organizationId: ctx.organizationId, kind, name: Not(IsNull()) } });
    for (const s of services.filter((x) => x.nsiRegistry !== got.registry)) {
      const el = got.rows.find((r) => r.isActual && Object.values(r.fields).includes(s.name));
      if (el) await em.update(Service, s.id, { nsiRegistry: got.registry, nsiCode: el.code, nsiGuid: el.guid, sync: acceptedState(ctx) });
    }
  },
};
