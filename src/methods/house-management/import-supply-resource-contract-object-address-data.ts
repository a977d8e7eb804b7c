/**
 * importSupplyResourceContractObjectAddressData (РСО): objects (houses, premises) of a supply
 * contract GIS already holds — added to it, or changed — sent on their own, each with the
 * services/resources supplied there. Objects placed together with their contract are accepted with
 * it (importSupplyResourceContractData), so only later changes come here. Requests are per contract.
 */
import { Contract, ContractObject } from "../../../entities";
import { XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { NsiRef, checkCount, container, flag, nsiRef, transportGuid } from "../../transport/messages/common";
import { lower } from "../../stages/answer";
import { Rejection } from "../../stages/descriptor";
import { byId } from "../../stages/load";
import { NsiIndex } from "../../stages/nsi";
import { writeOutcomes } from "../../stages/outcome";
import { findAt, loadAt } from "../../storage/identity/store";
import { updateManyAt } from "../../storage/identity/update";
import { houseLabel } from "../../stages/preflight";
import { ids, whereNeedsSending, whereObjects } from "../../stages/select";
import { nestedGuid } from "../../stages/transport-guids";
import { defineMethod } from "../method";
import { exportSupplyResourceContractObjectAddressData, exportedSupplyObjects } from "./export-supply-resource-contract-object-address-data";
import { CONTRACT_PRE, ContractChecks, contractLabel, contractsInScope, loadContracts, roleKeeps, sameNumber } from "./contracts/common";
import { NSI_REGISTRIES, commonMunicipalService, municipalResource } from "./contracts/service-refs";
import { HeatingSystemInput, PlannedVolumeInput, heating, objectAddressHead, plannedVolume } from "./contracts/supply-body";

/** An object (house/premises) added to or changed in a resource supply contract, with its service/resource pairs. */
export interface SupplyObjectLoadInput {
  houseType?: "MKD" | "ZHD" | "ZHDBlockZastroyki";
  fiasHouseGuid: string;
  apartmentNumber?: string;
  roomNumber?: string;
  /** 1..100 pairs, each with its own TransportGUID. */
  pairs: Array<{
    transportGuid: string;
    serviceType: NsiRef;
    municipalResource: NsiRef;
    startSupplyDate: string;
    endSupplyDate?: string;
    heatingSystem?: HeatingSystemInput;
  }>;
  noConnectionToWaterSupply?: boolean;
  plannedVolumes?: Array<PlannedVolumeInput & { pairKey: string }>;
  countingResource?: "R" | "P";
  meteringDeviceInformation?: boolean;
}

export interface ImportSupplyResourceContractObjectAddressInput {
  /** The contract's last version GUID, or its root GUID. */
  contractGuid?: string;
  contractRootGuid?: string;
  /** 1..1000 objects: load (add/change; objectGuid when changing) or delete (objectGuid). */
  objects: Array<{ transportGuid: string; objectGuid?: string } & ({ load: SupplyObjectLoadInput } | { delete: true })>;
}

function body(i: ImportSupplyResourceContractObjectAddressInput, version: string): XNode {
  const op = "importSupplyResourceContractObjectAddressData";
  if (!i.contractGuid === !i.contractRootGuid) throw new Error(`${op}: укажите contractGuid либо contractRootGuid`);
  checkCount(op, "ObjectAddress", i.objects.length, 1, 1000);
  return container(
    "hm:importSupplyResourceContractObjectAddressRequest",
    version,
    i.contractGuid ? leaf("hm:ContractGUID", i.contractGuid) : leaf("hm:ContractRootGUID", i.contractRootGuid!),
    i.objects.map((o) => {
      if ("delete" in o && !o.objectGuid) throw new Error(`${op}: для удаления объекта нужен objectGuid`);
      if ("load" in o) checkCount(op, "Pair", o.load.pairs.length, 1, 100);
      return el(
        "hm:ObjectAddress",
        null,
        transportGuid(o.transportGuid),
        opt("hm:ObjectGUID", o.objectGuid),
        "delete" in o
          ? leaf("hm:DeleteObject", "true")
          : el(
              "hm:LoadObject",
              null,
              objectAddressHead(o.load),
              o.load.pairs.map((p) =>
                el(
                  "hm:Pair",
                  null,
                  nsiRef("hm:ServiceType", p.serviceType),
                  nsiRef("hm:MunicipalResource", p.municipalResource),
                  leaf("hm:StartSupplyDate", p.startSupplyDate),
                  opt("hm:EndSupplyDate", p.endSupplyDate),
                  heating(p.heatingSystem),
                  transportGuid(p.transportGuid),
                ),
              ),
              flag("hm:NoConnectionToWaterSupply", o.load.noConnectionToWaterSupply),
              (o.load.plannedVolumes ?? []).map((v) => plannedVolume("hm:PlannedVolume", v, v.pairKey)),
              opt("hm:CountingResource", o.load.countingResource),
              o.load.meteringDeviceInformation === undefined ? null : leaf("hm:MeteringDeviceInformation", o.load.meteringDeviceInformation),
            ),
      );
    }),
  );
}

export interface SupplyObjectData {
  contractRootGuid: string;
  fiasHouseGuid: string;
  houseType: "MKD" | "ZHD";
  apartmentNumber?: string;
  roomNumber?: string;
  objectGuid: string | null;
  pairs: Array<{ key: string; serviceType: NsiRef; municipalResource: NsiRef; start: string; end: string | null }>;
}

const norm = (v: string | null | undefined) => (v ?? "").replace(/\s+/g, "").toLowerCase();

export const importSupplyResourceContractObjectAddressData = defineMethod<ImportSupplyResourceContractObjectAddressInput, SupplyObjectData>({
  name: "importSupplyResourceContractObjectAddressData",
  service: "house-management",
  element: "importSupplyResourceContractObjectAddressRequest",
  versions: { "16.3.0.0": "11.7.0.3", "14.4.0.1": "11.7.0.3" },
  batch: { element: "ObjectAddress", max: 1000 },
  body,

  descriptor: {
    stage: "contracts",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "contract_object",
    batchSetting: null,
    defaultBatch: 1000,
    safeToRepeat: false,
    // Objects go to contracts GIS holds: linked by the export or placed by the import first.
    after: ["exportSupplyResourceContractData", "importSupplyResourceContractData"],

    async select(ds, scope, mode, ctx) {
      if (!roleKeeps(ctx, "supply")) return [];
      const contracts = await findAt(ds, "contract", "id", await contractsInScope(ds, { ...scope, objectIds: undefined }, ["supply"]), ctx.stand);
      // Objects go only to contracts the stand holds and has not terminated or annulled.
      const placed = contracts.filter((c) => c.gisRootGuid && !c.terminationDate && c.gisStatus !== "Terminated" && c.gisStatus !== "Annul").map((c) => c.id);
      if (placed.length === 0) return [];
      const qb = ds.getRepository(ContractObject).createQueryBuilder("o").where("o.contractId IN (:...placed)", { placed });
      if (scope.houseIds) qb.andWhere("o.houseId IN (:...houses)", { houses: scope.houseIds.length ? scope.houseIds : [-1] });
      // No GIS identifier of their own to decide "missing" by: sync sends what push sends.
      return ids(whereNeedsSending(whereObjects(qb, "o", scope), "o", mode, null, ctx.stand, scope), "o");
    },

    async prepare(ds, objectIds, ctx) {
      const objects = await loadAt(ds, "contract_object", objectIds, ctx.stand);
      const loaded = await loadContracts(
        ds,
        [...objects.values()].map((o) => o.contractId),
        ctx.stand,
      );
      const nsi = await NsiIndex.load(ds, NSI_REGISTRIES, ctx.organizationId, ctx.stand);
      const ready: Array<{ objectId: number; data: SupplyObjectData }> = [];
      const rejected: Rejection[] = [];
      for (const o of objects.values()) {
        const l = loaded.get(o.contractId)!;
        const lo = l.objects.find((x) => x.object.id === o.id)!;
        const c = new ContractChecks(o.id, [contractLabel(l.contract), houseLabel(lo.house)]);
        c.fail(!l.contract.gisRootGuid, CONTRACT_PRE.parentGuid, "contractId", "Договор ресурсоснабжения объекта не размещён в ГИС ЖКХ");
        c.fail(!lo.house?.fiasHouseGuid, CONTRACT_PRE.noFias, "house.fiasHouseGuid", "Не указан ФИАС ГУИД дома объекта договора");
        const municipal = lo.services.filter((s) => s.service.kind === "municipal");
        c.fail(municipal.length === 0, CONTRACT_PRE.noService, "services", "У объекта договора не указано ни одной коммунальной услуги");
        const pairs: SupplyObjectData["pairs"] = [];
        for (const { link, service } of municipal) {
          const type = commonMunicipalService(nsi, service);
          const resource = municipalResource(nsi, service);
          c.fail(!type, CONTRACT_PRE.nsi, "services.service", `Услуга «${service.name}» не сопоставлена с коммунальной услугой справочника ГИС (НСИ 3)`);
          c.fail(!resource, CONTRACT_PRE.nsi, "services.municipalResource", `Не найден коммунальный ресурс услуги «${service.name}» в справочнике ГИС (НСИ 2)`);
          if (type && resource)
            pairs.push({
              key: String(link.id),
              serviceType: type,
              municipalResource: resource,
              start: link.startDate,
              end: l.contract.plannedEndDate ? (link.endDate ?? l.contract.plannedEndDate) : null,
            });
        }
        if (!c.ok) {
          rejected.push(c.first);
          continue;
        }
        ready.push({
          objectId: o.id,
          data: {
            contractRootGuid: l.contract.gisRootGuid!,
            fiasHouseGuid: lo.house!.fiasHouseGuid!,
            houseType: lo.house!.houseType === "ZHD" ? "ZHD" : "MKD",
            ...(lo.premise?.number ? { apartmentNumber: lo.premise.number } : {}),
            ...(lo.room?.number ? { roomNumber: lo.room.number } : {}),
            objectGuid: o.gisObjectGuid,
            pairs,
          },
        });
      }
      return { ready, rejected };
    },

    batchKey: (d) => d.contractRootGuid,

    payload(batch) {
      return {
        contractRootGuid: batch[0].data.contractRootGuid,
        objects: batch.map((b) => ({
          transportGuid: b.transportGuid,
          ...(b.data.objectGuid ? { objectGuid: b.data.objectGuid } : {}),
          load: {
            houseType: b.data.houseType,
            fiasHouseGuid: b.data.fiasHouseGuid,
            ...(b.data.apartmentNumber ? { apartmentNumber: b.data.apartmentNumber } : {}),
            ...(b.data.roomNumber ? { roomNumber: b.data.roomNumber } : {}),
            pairs: b.data.pairs.map((p) => ({
              transportGuid: nestedGuid(b.transportGuid, `pair/${p.key}`),
              serviceType: p.serviceType,
              municipalResource: p.municipalResource,
              startSupplyDate: p.start,
              ...(p.end ? { endSupplyDate: p.end } : {}),
            })),
          },
        })),
      };
    },

    async apply(em, _answer, matched, ctx) {
      const objects = await byId(
        em,
        ContractObject,
        matched.map((m) => m.objectId),
      );
      await writeOutcomes(em, ContractObject, matched, ctx, (r) => (r.guid ? { gisObjectGuid: lower(r.guid) } : {}));
      // Every change of the objects makes a new version of the contract. An object found by
      // reconciling comes without it: the version we held is no longer the last one, so it is
      // cleared (changes then name the root GUID; the export refreshes it).
      const versions = matched.flatMap((m) => {
        const o = objects.get(m.objectId);
        return o && m.result.errors.length === 0 ? [{ id: o.contractId, patch: { gisVersionGuid: lower(m.result.values.ContractGUID ?? null) } }] : [];
      });
      await updateManyAt(em, ctx.stand, Contract, versions);
    },

    reconcile: {
      method: exportSupplyResourceContractObjectAddressData.name,
      payload: (objects) => ({ contractRootGuid: objects[0].data.contractRootGuid }),
      found(answer, objects) {
        const rows = exportedSupplyObjects(answer.result).objects;
        const found = new Map<number, string>();
        for (const o of objects) {
          const hit = rows.find(
            (r) =>
              r.contractRootGuid === o.data.contractRootGuid.toLowerCase() &&
              r.fiasHouseGuid === o.data.fiasHouseGuid.toLowerCase() &&
              norm(r.apartmentNumber) === norm(o.data.apartmentNumber) &&
              norm(r.roomNumber) === norm(o.data.roomNumber),
          );
          if (hit && (!o.data.objectGuid || sameNumber(hit.objectGuid, o.data.objectGuid))) found.set(o.objectId, hit.objectGuid);
        }
        return found;
      },
      // The export names the object by its ObjectGUID: it lands where an ordinary answer's GUID does.
      result: (objectGuid) => ({ guid: objectGuid }),
    },
  },
});
