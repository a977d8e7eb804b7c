/**
 * Mass entry of houses into a contract: one ContractObject per house not yet in it, each with the
 * contract's services (or the ones asked for) from the start date. Unknown houses, houses managed
 * under another organization's contract, and services of another organization are refused by id
 * before anything is written.
 */
import crypto from "node:crypto";
import { DataSource, In } from "typeorm";
import { Contract, ContractObject, ContractObjectService, House, Service } from "../../entities";
import { badRequest } from "./http";

export interface AddHousesInput {
  houseIds: number[];
  startDate?: string;
  serviceIds?: number[];
}

export interface AddHousesResult {
  added: Array<{ houseId: number; contractObjectId: number }>;
  skipped: number[];
  serviceIds: number[];
  startDate: string;
}

// Multi-row inserts stay under MS SQL's 2100 parameters per statement.
const CHUNK = 500;
const OBJECT_ROWS = 100;
const SERVICE_ROWS = 400;

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const shortList = (ids: number[]) => ids.slice(0, 20).join(", ") + (ids.length > 20 ? ` и ещё ${ids.length - 20}` : "");

/** Houses under a running management contract or charter of another organization on `day`. */
async function managedByOthers(ds: DataSource, c: Contract, houseIds: number[], day: string): Promise<number[]> {
  if (c.kind === "supply") return []; // several suppliers may serve one house
  const found = new Set<number>();
  for (const part of chunks(houseIds)) {
    const rows = await ds
      .getRepository(ContractObject)
      .createQueryBuilder("co")
      .innerJoin(Contract, "c", "c.id = co.contractId")
      .select("co.houseId", "houseId")
      .where("co.houseId IN (:...part)", { part })
      .andWhere("c.organizationId <> :org", { org: c.organizationId })
      .andWhere("c.kind IN (:...kinds)", { kinds: ["management", "charter"] })
      .andWhere("(co.endDate IS NULL OR co.endDate >= :day)", { day })
      .andWhere("(c.terminationDate IS NULL OR c.terminationDate >= :day)", { day })
      .andWhere("(c.plannedEndDate IS NULL OR c.plannedEndDate >= :day)", { day })
      .getRawMany<{ houseId: number }>();
    for (const r of rows) found.add(Number(r.houseId));
  }
  return [...found].sort((a, b) => a - b);
}

/** The services the contract's objects already have: what new houses get when none are named. */
async function servicesOfContract(ds: DataSource, contractId: number): Promise<number[]> {
  const rows = await ds
    .getRepository(ContractObjectService)
    .createQueryBuilder("s")
    .innerJoin(ContractObject, "co", "co.id = s.contractObjectId")
    .select("DISTINCT s.serviceId", "serviceId")
    .where("co.contractId = :contractId", { contractId })
    .getRawMany<{ serviceId: number }>();
  return rows.map((r) => Number(r.serviceId)).sort((a, b) => a - b);
}

export async function addHousesToContract(ds: DataSource, c: Contract, input: AddHousesInput): Promise<AddHousesResult> {
  const what = `Договор ${c.number ?? c.externalId}`;
  const houseIds = [...new Set(input.houseIds)];
  if (!houseIds.length) throw badRequest(`${what}, поле houseIds: укажите хотя бы один дом`);
  const startDate = input.startDate ?? c.effectiveDate ?? c.signedDate ?? new Date().toISOString().slice(0, 10);

  const known = new Set<number>();
  for (const part of chunks(houseIds)) for (const h of await ds.getRepository(House).find({ where: { id: In(part) }, select: { id: true } })) known.add(h.id);
  const unknown = houseIds.filter((id) => !known.has(id));
  if (unknown.length) throw badRequest(`${what}, поле houseIds: нет домов с идентификаторами ${shortList(unknown)}`);
  const foreign = await managedByOthers(ds, c, houseIds, startDate);
  if (foreign.length) throw badRequest(`${what}, поле houseIds: дома ${shortList(foreign)} на ${startDate} управляются по договору другой организации`);

  let serviceIds: number[];
  if (input.serviceIds) {
    serviceIds = [...new Set(input.serviceIds)];
    const ours = new Set(
      (
        await ds
          .getRepository(Service)
          .find({ where: { id: In(serviceIds.length ? serviceIds : [0]), organizationId: c.organizationId }, select: { id: true } })
      ).map((s) => s.id),
    );
    const bad = serviceIds.filter((id) => !ours.has(id));
    if (bad.length) throw badRequest(`${what}, поле serviceIds: нет услуг организации договора с идентификаторами ${shortList(bad)}`);
  } else {
    serviceIds = await servicesOfContract(ds, c.id);
  }

  return ds.transaction(async (tx) => {
    const present = new Set<number>();
    for (const part of chunks(houseIds)) {
      for (const o of await tx.getRepository(ContractObject).find({ where: { contractId: c.id, houseId: In(part) }, select: { houseId: true } }))
        present.add(o.houseId);
    }
    const skipped = houseIds.filter((id) => present.has(id));
    const fresh = houseIds.filter((id) => !present.has(id));
    const now = new Date();
    const added: AddHousesResult["added"] = [];
    for (const part of chunks(fresh, OBJECT_ROWS)) {
      // externalId marks rows entered in gis-sync (billing imports bring their own ids).
      const rows = part.map((houseId) => ({
        externalId: `api-${crypto.randomUUID()}`,
        contractId: c.id,
        houseId,
        premiseId: null,
        roomId: null,
        startDate,
        endDate: null,
        exclusionReason: null,
        // No GIS identity on any stand yet (no gis_identity row): not sent everywhere.
        sync: { changedAt: now },
      }));
      await tx.getRepository(ContractObject).insert(rows);
      const saved = await tx
        .getRepository(ContractObject)
        .find({ where: { externalId: In(rows.map((r) => r.externalId)) }, select: { id: true, houseId: true } });
      saved.sort((a, b) => part.indexOf(a.houseId) - part.indexOf(b.houseId));
      for (const o of saved) added.push({ houseId: o.houseId, contractObjectId: o.id });
      const services = saved.flatMap((o) => serviceIds.map((serviceId) => ({ contractObjectId: o.id, serviceId, startDate, endDate: null })));
      for (const rows of chunks(services, SERVICE_ROWS)) await tx.getRepository(ContractObjectService).insert(rows);
    }
    // The contract changed: "send changes" picks it up.
    if (added.length) await tx.getRepository(Contract).update({ id: c.id }, { sync: { changedAt: now } });
    return { added, skipped, serviceIds, startDate };
  });
}
