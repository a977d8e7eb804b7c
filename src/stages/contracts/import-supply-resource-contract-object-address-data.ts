/**
 * importSupplyResourceContractObjectAddressData (РСО): objects (houses, premises) of a supply
 * contract GIS already holds — added to it, or changed — sent on their own, each with the
 * services/resources supplied there. Objects placed together with their contract are accepted with
 * it (importSupplyResourceContractData), so only later changes come here. Requests are per contract.
 */
import { Contract, ContractObject } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { NsiRef } from "../../transport/messages/common";
import { exportRows, lower, valueAt } from "../answer";
import { MethodDescriptor, Rejection } from "../descriptor";
import { byId, findIn } from "../load";
import { NsiIndex } from "../nsi";
import { writeOutcome } from "../outcome";
import { houseLabel } from "../preflight";
import { ids, whereNeedsSending, whereObjects } from "../select";
import { nestedGuid } from "../transport-guids";
import { CONTRACT_PRE, ContractChecks, contractLabel, contractsInScope, loadContracts, roleKeeps, sameNumber } from "./common";
import { NSI_REGISTRIES, commonMunicipalService, municipalResource } from "./service-refs";

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

export const importSupplyResourceContractObjectAddressData: MethodDescriptor<OperationInputs["importSupplyResourceContractObjectAddressData"], SupplyObjectData> = {
  method: "importSupplyResourceContractObjectAddressData",
  stage: "contracts",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "contract_object",
  batchSetting: null,
  defaultBatch: 1000,
  safeToRepeat: false,
  after: ["importSupplyResourceContractData"],

  async select(ds, scope, mode, ctx) {
    if (!roleKeeps(ctx, "supply")) return [];
    const contracts = await findIn(ds, Contract, "id", await contractsInScope(ds, { ...scope, objectIds: undefined }, ["supply"]));
    // Objects go only to contracts GIS holds and has not terminated or annulled.
    const placed = contracts.filter((c) => c.gisRootGuid && !c.terminationDate && c.gisStatus !== "Terminated" && c.gisStatus !== "Annul").map((c) => c.id);
    if (placed.length === 0) return [];
    const qb = ds.getRepository(ContractObject).createQueryBuilder("o").where("o.contractId IN (:...placed)", { placed });
    if (scope.houseIds) qb.andWhere("o.houseId IN (:...houses)", { houses: scope.houseIds.length ? scope.houseIds : [-1] });
    // No GIS identifier of their own to decide "missing" by: sync sends what push sends.
    return ids(whereNeedsSending(whereObjects(qb, "o", scope), "o", mode, null), "o");
  },

  async prepare(ds, objectIds, ctx) {
    const objects = await byId(ds, ContractObject, objectIds);
    const loaded = await loadContracts(ds, [...objects.values()].map((o) => o.contractId));
    const nsi = await NsiIndex.load(ds, NSI_REGISTRIES, ctx.organizationId);
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
        if (type && resource) pairs.push({ key: String(link.id), serviceType: type, municipalResource: resource, start: link.startDate, end: l.contract.plannedEndDate ? link.endDate ?? l.contract.plannedEndDate : null });
      }
      if (!c.ok) {
        rejected.push(c.first);
        continue;
      }
      ready.push({
        objectId: o.id,
        data: {
          contractRootGuid: l.contract.gisRootGuid!, fiasHouseGuid: lo.house!.fiasHouseGuid!, houseType: lo.house!.houseType === "ZHD" ? "ZHD" : "MKD",
          ...(lo.premise?.number ? { apartmentNumber: lo.premise.number } : {}), ...(lo.room?.number ? { roomNumber: lo.room.number } : {}),
          objectGuid: o.gisObjectGuid, pairs,
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
        transportGuid: b.transportGuid, ...(b.data.objectGuid ? { objectGuid: b.data.objectGuid } : {}),
        load: {
          houseType: b.data.houseType, fiasHouseGuid: b.data.fiasHouseGuid,
          ...(b.data.apartmentNumber ? { apartmentNumber: b.data.apartmentNumber } : {}), ...(b.data.roomNumber ? { roomNumber: b.data.roomNumber } : {}),
          pairs: b.data.pairs.map((p) => ({
            transportGuid: nestedGuid(b.transportGuid, `pair/${p.key}`), serviceType: p.serviceType, municipalResource: p.municipalResource,
            startSupplyDate: p.start, ...(p.end ? { endSupplyDate: p.end } : {}),
          })),
        },
      })),
    };
  },

  async apply(em, _answer, matched, ctx) {
    const objects = await byId(em, ContractObject, matched.map((m) => m.objectId));
    for (const m of matched) {
      await writeOutcome(em, ContractObject, m, ctx, (r) => (r.guid ? { gisObjectGuid: lower(r.guid) } : {}));
      // Every change of the objects makes a new version of the contract.
      const version = lower(m.result.values.ContractGUID ?? null);
      const o = objects.get(m.objectId);
      if (version && o && m.result.errors.length === 0) await em.update(Contract, o.contractId, { gisVersionGuid: version });
    }
  },

  reconcile: {
    method: "exportSupplyResourceContractObjectAddressData",
    payload: (objects) => ({ contractRootGuid: objects[0].data.contractRootGuid }),
    found(answer, objects) {
      const rows = exportRows(answer, "exportSupplyResourceContractObjectAddress").flatMap((r) => Array.from(r.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === "ObjectAddress"));
      const found = new Map<number, string>();
      for (const o of objects) {
        const hit = rows.find((r) => lower(valueAt(r, "FIASHouseGuid")) === o.data.fiasHouseGuid.toLowerCase()
          && norm(valueAt(r, "ApartmentNumber")) === norm(o.data.apartmentNumber) && norm(valueAt(r, "RoomNumber")) === norm(o.data.roomNumber));
        const guid = hit ? lower(valueAt(hit, "ObjectGUID")) : null;
        if (guid && (!o.data.objectGuid || sameNumber(guid, o.data.objectGuid))) found.set(o.objectId, guid);
      }
      return found;
    },
  },
};
