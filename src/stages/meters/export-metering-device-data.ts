/**
 * exportMeteringDeviceData by house: the meters GIS holds there. Ours are matched by factory
 * number and resource and get their root and version GUIDs; one never linked before becomes ok.
 */
import { In } from "typeorm";
import { OperationInputs } from "../../transport/messages";
import { Meter } from "../../../entities";
import { exportRows, lower, valueAt } from "../answer";
import { MethodDescriptor } from "../descriptor";
import { housesOfScopeWithFias, houseExportPrepare } from "../fund/house-export-common";
import { acceptedState } from "../outcome";
import { StateAnswer } from "../types";

export interface MeterRow {
  number: string;
  resourceCode: string;
  rootGuid: string;
  versionGuid: string | null;
  gisNumber: string | null;
  active: boolean;
}

/** Electricity meters carry MunicipalResourceEnergy without a resource reference: NSI 2 code 3. */
export function meterRows(answer: StateAnswer): MeterRow[] {
  return exportRows(answer, "exportMeteringDeviceDataResult").map((r) => ({
    number: valueAt(r, "BasicChatacteristicts/MeteringDeviceNumber") ?? "",
    resourceCode: valueAt(r, "MunicipalResourceNotEnergy/MunicipalResource/Code") ?? valueAt(r, "MunicipalResources/MunicipalResource/Code")
      ?? (valueAt(r, "MunicipalResourceEnergy/MeteringValueT1") !== null || r.getElementsByTagNameNS("*", "MunicipalResourceEnergy").length ? "3" : ""),
    rootGuid: lower(valueAt(r, "MeteringDeviceRootGUID")) ?? "",
    versionGuid: lower(valueAt(r, "MeteringDeviceVersionGUID")),
    gisNumber: valueAt(r, "MeteringDeviceGISGKHNumber"),
    active: valueAt(r, "StatusRootDoc") !== "Archival",
  })).filter((r) => r.number && r.rootGuid);
}

export const exportMeteringDeviceData: MethodDescriptor<OperationInputs["exportMeteringDeviceData"], { fiasHouseGuid: string }> = {
  method: "exportMeteringDeviceData",
  stage: "meters",
  kind: "export",
  modes: ["pull", "sync"],
  objectType: "house",
  batchSetting: null,
  defaultBatch: 1,
  safeToRepeat: true,
  after: ["exportHouseData"],

  select: (ds, scope) => housesOfScopeWithFias(ds, scope),
  prepare: (ds, ids) => houseExportPrepare(ds, ids),
  payload: (batch) => ({ fiasHouseGuid: batch[0].data.fiasHouseGuid }),

  async apply(em, answer, _matched, ctx) {
    const rows = meterRows(answer);
    if (rows.length === 0) return;
    const ours = await em.getRepository(Meter).find({ where: { organizationId: ctx.organizationId, factoryNumber: In([...new Set(rows.map((r) => r.number))]) } });
    for (const m of ours) {
      const row = rows.find((r) => r.resourceCode === m.municipalResourceCode && r.number === m.factoryNumber);
      if (!row) continue;
      await em.update(Meter, m.id, {
        gisRootGuid: row.rootGuid, gisVersionGuid: row.versionGuid, gisNumber: row.gisNumber,
        ...(row.active ? {} : { state: "archived" as const }),
        ...(m.gisRootGuid ? {} : { sync: acceptedState(ctx) }),
      });
    }
  },
};
