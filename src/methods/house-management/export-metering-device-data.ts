/**
 * exportMeteringDeviceData (house-management): the meters GIS holds — by root or version GUID, or
 * by house (what the pipeline asks) with filters. Ours are matched by factory number and resource
 * and get their root and version GUIDs; one never linked before becomes ok, one GIS holds archived
 * becomes archived here.
 */
import { Meter } from "../../../entities";
import { findAt } from "../../storage/identity/store";
import { updateManyAt } from "../../storage/identity/update";
import { XNode, leaf, opt } from "../../transport/envelope/xml";
import { NsiRef, container, flag, nsiRef } from "../../transport/messages/common";
import { gisDate } from "../../transport/results/results";
import { ResponseError, child, children } from "../../transport/results/safe-xml";
import { exportRows, lower, valueAt } from "../../stages/answer";
import { acceptedState } from "../../stages/outcome";
import { StateAnswer } from "../../stages/types";
import { defineMethod } from "../method";
import { NsiValue, all, nsi, num, req, rows, t } from "./answer-values";
import { housesOfScopeWithFias, houseExportPrepare } from "./fund/house-export-common";

export type ExportMeteringDeviceInput = (
  | { rootGuid: string }
  | { versionGuid: string }
  | {
      fiasHouseGuid: string;
      currentOrganizationOnly?: boolean;
      updatedSince?: string;
      meteringDeviceType?: NsiRef;
      municipalResource?: NsiRef;
      searchArchived?: boolean;
    }
) & { includeFiasHouseGuid?: boolean };

export function exportMeteringDeviceBody(i: ExportMeteringDeviceInput, version: string): XNode {
  return container(
    "hm:exportMeteringDeviceDataRequest",
    version,
    "rootGuid" in i
      ? leaf("hm:MeteringDeviceRootGUID", i.rootGuid)
      : "versionGuid" in i
        ? leaf("hm:MeteringDeviceVersionGUID", i.versionGuid)
        : [
            flag("hm:IsCurrentOrganization", i.currentOrganizationOnly),
            leaf("hm:FIASHouseGuid", i.fiasHouseGuid),
            opt("hm:UpdateDateTime", i.updatedSince),
            i.meteringDeviceType ? nsiRef("hm:MeteringDeviceType", i.meteringDeviceType) : nsiRef("hm:MunicipalResource", i.municipalResource),
            i.searchArchived === undefined ? null : leaf("hm:SearchArchived", i.searchArchived),
          ],
    i.includeFiasHouseGuid === undefined ? null : leaf("hm:IncludeFIASHouseGuid", i.includeFiasHouseGuid),
  );
}

export type MeterPlacementKind = "collective" | "residentialPremise" | "nonResidentialPremise" | "apartmentHouse" | "livingRoom" | "collectiveApartment";

const PLACEMENTS: Array<[string, MeterPlacementKind]> = [
  ["CollectiveDevice", "collective"],
  ["ResidentialPremiseDevice", "residentialPremise"],
  ["NonResidentialPremiseDevice", "nonResidentialPremise"],
  ["ApartmentHouseDevice", "apartmentHouse"],
  ["LivingRoomDevice", "livingRoom"],
  ["CollectiveApartmentDevice", "collectiveApartment"],
];

export interface ExportedMeter {
  rootGuid: string;
  versionGuid: string;
  versionNumber: number | null;
  status: "Active" | "Archival";
  /** Заводской номер. */
  factoryNumber: string;
  stamp: string | null;
  model: string | null;
  gisNumber: string | null;
  placement: MeterPlacementKind | null;
  premiseGuids: string[];
  accountGuids: string[];
  fiasHouseGuids: string[];
  livingRoomGuids: string[];
  /** Resources (NSI 2) the meter measures; electricity meters report `electric` instead. */
  resources: NsiValue[];
  electric: boolean;
  /** Base readings: per resource, or T1..T3 for electricity. */
  baseValues: Array<{ resource: NsiValue | null; value: string }>;
  baseValuesElectric: { t1: string; t2: string | null; t3: string | null } | null;
  installationDate: string | null;
  commissioningDate: string | null;
  firstVerificationDate: string | null;
  updateDateTime: string | null;
}

/** The meters of an exportMeteringDeviceDataResult list. */
export function exportedMeters(result: Element): ExportedMeter[] {
  return rows(result, "exportMeteringDeviceDataResult").map((m) => {
    const basic = child(m, "BasicChatacteristicts");
    if (!basic) throw new ResponseError("ответ ГИС ЖКХ: exportMeteringDeviceDataResult без BasicChatacteristicts");
    const place = PLACEMENTS.find(([n]) => child(basic, n));
    const p = place ? child(basic, place[0])! : null;
    const notEnergy = children(m, "MunicipalResourceNotEnergy");
    const energy = child(m, "MunicipalResourceEnergy");
    const resources = [
      ...notEnergy.map((r) => nsi(child(r, "MunicipalResource"))),
      ...children(m, "MunicipalResources").map((r) => nsi(child(r, "MunicipalResource"))),
    ].filter((r): r is NsiValue => r !== null);
    const status = req(m, "StatusRootDoc", "exportMeteringDeviceDataResult");
    if (status !== "Active" && status !== "Archival") throw new ResponseError(`ответ ГИС ЖКХ: StatusRootDoc «${status}»`);
    const lowered = (name: string) => (p ? all(p, name).map((g) => g.toLowerCase()) : []);
    return {
      rootGuid: req(m, "MeteringDeviceRootGUID", "exportMeteringDeviceDataResult").toLowerCase(),
      versionGuid: req(m, "MeteringDeviceVersionGUID", "exportMeteringDeviceDataResult").toLowerCase(),
      versionNumber: num(t(m, "VersionNumber")),
      status,
      factoryNumber: req(basic, "MeteringDeviceNumber", "BasicChatacteristicts"),
      stamp: t(basic, "MeteringDeviceStamp"),
      model: t(basic, "MeteringDeviceModel"),
      gisNumber: t(m, "MeteringDeviceGISGKHNumber"),
      placement: place?.[1] ?? null,
      premiseGuids: lowered("PremiseGUID"),
      accountGuids: lowered("AccountGUID"),
      fiasHouseGuids: lowered("FIASHouseGuid"),
      livingRoomGuids: lowered("LivingRoomGUID"),
      resources,
      electric: energy !== null,
      baseValues: notEnergy.map((r) => ({ resource: nsi(child(r, "MunicipalResource")), value: req(r, "MeteringValue", "MunicipalResourceNotEnergy") })),
      baseValuesElectric: energy
        ? { t1: req(energy, "MeteringValueT1", "MunicipalResourceEnergy"), t2: t(energy, "MeteringValueT2"), t3: t(energy, "MeteringValueT3") }
        : null,
      installationDate: gisDate(t(basic, "InstallationDate")),
      commissioningDate: gisDate(t(basic, "CommissioningDate")),
      firstVerificationDate: gisDate(t(basic, "FirstVerificationDate")),
      updateDateTime: gisDate(t(m, "UpdateDateTime")),
    };
  });
}

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
  return exportRows(answer, "exportMeteringDeviceDataResult")
    .map((r) => ({
      number: valueAt(r, "BasicChatacteristicts/MeteringDeviceNumber") ?? "",
      resourceCode:
        valueAt(r, "MunicipalResourceNotEnergy/MunicipalResource/Code") ??
        valueAt(r, "MunicipalResources/MunicipalResource/Code") ??
        (valueAt(r, "MunicipalResourceEnergy/MeteringValueT1") !== null || r.getElementsByTagNameNS("*", "MunicipalResourceEnergy").length ? "3" : ""),
      rootGuid: lower(valueAt(r, "MeteringDeviceRootGUID")) ?? "",
      versionGuid: lower(valueAt(r, "MeteringDeviceVersionGUID")),
      gisNumber: valueAt(r, "MeteringDeviceGISGKHNumber"),
      active: valueAt(r, "StatusRootDoc") !== "Archival",
    }))
    .filter((r) => r.number && r.rootGuid);
}

export const exportMeteringDeviceData = defineMethod<ExportMeteringDeviceInput, { fiasHouseGuid: string }, ExportedMeter[]>({
  name: "exportMeteringDeviceData",
  service: "house-management",
  element: "exportMeteringDeviceDataRequest",
  // 16.3.0.0 documents 11.1.0.2 and 14.8.0.1 (not fixed); the request we build is 11.1.0.2's, the one 14.4.0.1 fixes.
  versions: { "16.3.0.0": "11.1.0.2", "14.4.0.1": "11.1.0.2" },

  body: exportMeteringDeviceBody,

  read: exportedMeters,

  descriptor: {
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
      const found = meterRows(answer);
      if (found.length === 0) return;
      // Linked on the run's stand: another stand's GUIDs of the same meter stay as they are.
      const ours = await findAt(
        em,
        "meter",
        "factoryNumber",
        found.map((r) => r.number),
        ctx.stand,
        { organizationId: ctx.organizationId },
      );
      const patches: Array<{ id: number; patch: Record<string, unknown> }> = [];
      for (const m of ours) {
        const row = found.find((r) => r.resourceCode === m.municipalResourceCode && r.number === m.factoryNumber);
        if (!row) continue;
        patches.push({
          id: m.id,
          patch: {
            gisRootGuid: row.rootGuid,
            gisVersionGuid: row.versionGuid,
            gisNumber: row.gisNumber,
            // GIS's archived state is the stand's; ours (state) is what every stand is to be told.
            gisArchived: !row.active,
            ...(m.gisRootGuid ? {} : { sync: acceptedState(ctx) }),
          },
        });
      }
      await updateManyAt(em, ctx.stand, Meter, patches);
    },
  },
});
