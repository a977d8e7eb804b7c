/**
 * exportDataProviderNsiItem (nsi): the organization's own dictionaries as GIS holds them (НСИ 1
 * additional services, НСИ 51 main municipal services; the schema also allows 59, 219, 272, 302,
 * 337). The "objects" are registry numbers, one per request. Elements are stored under the run's
 * stand (each stand has its own); our services the stand has no element of yet are tied to the one
 * their mapping names (a billing that maps a service to its own НСИ 1 / НСИ 51 element — found
 * only on the stand that has it) or to the one with the same name, so they are not placed twice;
 * services tied by GUID get the element's code when they lack it (a placing reconciled after a lost
 * answer knows only the GUID). Ties are the run's stand's (Service.gisElementGuid / gisElementCode).
 * It is also the export that reconciles importAdditionalServices / importMunicipalServices.
 */
import { Service } from "../../../entities";
import { leaf, opt } from "../../transport/envelope/xml";
import { container } from "../../transport/messages/common";
import { acceptedState } from "../../stages/outcome";
import { findAt } from "../../storage/identity/store";
import { updateManyAt } from "../../storage/identity/update";
import { NsiElementRow, nsiAnswer, storeNsi } from "../../stages/services/nsi-answer";
import { defineMethod } from "../method";

export interface ExportDataProviderNsiItemInput {
  /** 1, 51, 59, 219, 272, 302 or 337. */
  registryNumber: number;
  modifiedAfter?: string;
}

const KIND_OF_REGISTRY: Record<number, Service["kind"]> = { 1: "additional", 51: "municipal" };
const REGISTRIES = [1, 51, 59, 219, 272, 302, 337];

export const exportDataProviderNsiItem = defineMethod<
  ExportDataProviderNsiItemInput,
  { registryNumber: number },
  { registry: number; rows: NsiElementRow[] } | null
>({
  name: "exportDataProviderNsiItem",
  service: "nsi",
  element: "exportDataProviderNsiItemRequest",
  versions: { "16.3.0.0": "10.0.1.2", "14.4.0.1": "10.0.1.2" },

  body(i, version) {
    if (!REGISTRIES.includes(i.registryNumber))
      throw new Error(`exportDataProviderNsiItem: RegistryNumber ${i.registryNumber} — допустимы ${REGISTRIES.join(", ")}`);
    return container(
      "nsi:exportDataProviderNsiItemRequest",
      version,
      leaf("nsi:RegistryNumber", String(i.registryNumber)),
      opt("nsi:ModifiedAfter", i.modifiedAfter),
    );
  },

  read: (result) => nsiAnswer({ result } as Parameters<typeof nsiAnswer>[0]),

  descriptor: {
    stage: "services",
    kind: "export",
    modes: ["pull", "sync"],
    objectType: "nsi_registry",
    batchSetting: null,
    defaultBatch: 1,
    safeToRepeat: true,
    // The request header carries our organization's orgPPAGUID, which the registry gives.
    after: ["exportOrgRegistry"],

    select: async (_ds, scope) => [1, 51].filter((r) => !scope.objectIds || scope.objectIds.includes(r)),
    prepare: async (_ds, ids) => ({ ready: ids.map((r) => ({ objectId: r, data: { registryNumber: r } })), rejected: [] }),
    payload: (batch) => ({ registryNumber: batch[0].data.registryNumber }),

    async apply(em, answer, _matched, ctx) {
      const got = nsiAnswer(answer);
      if (!got) return;
      await storeNsi(em, got.registry, got.rows, "PRIVATE", ctx.organizationId, ctx.stand);
      const kind = KIND_OF_REGISTRY[got.registry];
      if (!kind) return;
      const services = await findAt(em, "service", "organizationId", [ctx.organizationId], ctx.stand, { kind });
      // A tied service is accepted on the run's stand (its sync state and element there).
      const patches: Array<{ id: number; patch: Record<string, unknown> }> = [];
      for (const s of services) {
        if (!s.gisElementGuid) {
          const mapped =
            s.nsiRegistry === got.registry ? got.rows.find((r) => (s.nsiGuid ? r.guid === s.nsiGuid.toLowerCase() : r.code === s.nsiCode)) : undefined;
          const el = mapped ?? got.rows.find((r) => r.isActual && Object.values(r.fields).includes(s.name));
          if (el) patches.push({ id: s.id, patch: { gisElementCode: el.code, gisElementGuid: el.guid, sync: acceptedState(ctx) } });
        } else if (!s.gisElementCode) {
          const el = got.rows.find((r) => r.guid === s.gisElementGuid!.toLowerCase());
          if (el) patches.push({ id: s.id, patch: { gisElementCode: el.code } });
        }
      }
      await updateManyAt(em, ctx.stand, Service, patches);
    },
  },
});
