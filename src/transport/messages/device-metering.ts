/** device-metering: meter readings (importMeteringDeviceValues) and their history export. */
import { XNode, el, leaf, opt } from "../envelope/xml";
import { NsiRef, checkCount, container, list, nsiRef, transportGuid } from "./common";
import { meteringValue } from "./house-management";

export const VERSIONS = {
  importMeteringDeviceValuesRequest: "10.0.1.1",
  /**
   * base:version is required but neither fixed nor listed by the schema; GIS accepts the service's
   * base format (the value public clients send: «требование ГИС передать именно так версию»).
   */
  exportMeteringDeviceHistoryRequest: "10.0.1.1",
} as const;

export interface OneRateReading {
  transportGuid: string;
  municipalResource: NsiRef;
  value: number | string;
  /** xs:date the reading was taken. */
  date: string;
  /** base:YearMonth: the period the current reading is for (CurrentValue only). */
  period?: { year: number; month: number };
}

export interface ElectricReading {
  transportGuid: string;
  t1: number | string;
  t2?: number | string;
  t3?: number | string;
  date: string;
  period?: { year: number; month: number };
}

export interface MeterReadingsInput {
  /** Readings are addressed by the meter's root GUID (or a version GUID). */
  rootGuid?: string;
  versionGuid?: string;
  oneRate?: { current?: OneRateReading[]; control?: OneRateReading[] };
  electric?: { current?: ElectricReading; control?: ElectricReading };
}

export interface ImportMeteringDeviceValuesInput {
  fiasHouseGuid?: string;
  /** 1..1000 meters. */
  meters: MeterReadingsInput[];
}

function period(p: { year: number; month: number } | undefined): XNode | null {
  return p ? el("dm:Period", null, leaf("base:Year", p.year), leaf("base:Month", p.month)) : null;
}

function oneRate(name: string, r: OneRateReading, current: boolean): XNode {
  return el(name, null, nsiRef("metering-device-base:MunicipalResource", r.municipalResource),
    leaf("metering-device-base:MeteringValue", meteringValue(r.value)), leaf("dm:DateValue", r.date), transportGuid(r.transportGuid),
    current ? period(r.period) : null);
}

function electric(name: string, r: ElectricReading, current: boolean): XNode {
  return el(name, null, leaf("metering-device-base:MeteringValueT1", meteringValue(r.t1)),
    r.t2 === undefined ? null : leaf("metering-device-base:MeteringValueT2", meteringValue(r.t2)),
    r.t3 === undefined ? null : leaf("metering-device-base:MeteringValueT3", meteringValue(r.t3)),
    leaf("dm:DateValue", r.date), transportGuid(r.transportGuid), current ? period(r.period) : null);
}

export function importMeteringDeviceValuesBody(i: ImportMeteringDeviceValuesInput): XNode {
  checkCount("importMeteringDeviceValues", "MeteringDevicesValues", i.meters.length, 1, 1000);
  return container("dm:importMeteringDeviceValuesRequest", VERSIONS.importMeteringDeviceValuesRequest,
    opt("dm:FIASHouseGuid", i.fiasHouseGuid),
    i.meters.map((m) => {
      if (!m.rootGuid === !m.versionGuid) throw new Error("importMeteringDeviceValues: укажите rootGuid либо versionGuid");
      if (!m.oneRate === !m.electric) throw new Error("importMeteringDeviceValues: укажите oneRate либо electric");
      const id = m.rootGuid ? leaf("dm:MeteringDeviceRootGUID", m.rootGuid) : leaf("dm:MeteringDeviceVersionGUID", m.versionGuid!);
      if (m.oneRate) {
        checkCount("importMeteringDeviceValues", "CurrentValue", m.oneRate.current?.length ?? 0, 0, 3);
        checkCount("importMeteringDeviceValues", "ControlValue", m.oneRate.control?.length ?? 0, 0, 3);
        return el("dm:MeteringDevicesValues", null, id, el("dm:OneRateDeviceValue", null,
          (m.oneRate.current ?? []).map((r) => oneRate("dm:CurrentValue", r, true)),
          (m.oneRate.control ?? []).map((r) => oneRate("dm:ControlValue", r, false))));
      }
      return el("dm:MeteringDevicesValues", null, id, el("dm:ElectricDeviceValue", null,
        m.electric!.current ? electric("dm:CurrentValue", m.electric!.current, true) : null,
        m.electric!.control ? electric("dm:ControlValue", m.electric!.control, false) : null));
    }));
}

export interface ExportMeteringDeviceHistoryInput {
  /** 0..100 houses (by FIAS GUID). */
  fiasHouseGuids?: string[];
  /** Paging: the ExportMeteringDeviceRootGUID of the previous block (blocks of ≤ 1000 meters). */
  exportMeteringDeviceRootGuid?: string;
  /** Exactly one selection, 1..100 each: meter types (NSI 27), resources (NSI 2) or meters by root GUID. */
  select: { meteringDeviceTypes: NsiRef[] } | { municipalResources: NsiRef[] } | { rootGuids: string[] };
  commissioningDateFrom?: string;
  commissioningDateTo?: string;
  searchArchived?: boolean;
  archiveDateFrom?: string;
  archiveDateTo?: string;
  /** Period of readings and verifications (by entry date). */
  inputDateFrom?: string;
  inputDateTo?: string;
  /** Leave out readings citizens entered (default: included — that is how citizens' readings are pulled). */
  excludePerson?: boolean;
  /** Leave out readings this organization entered (to pull only others'). */
  excludeCurrentOrg?: boolean;
  excludeOtherOrg?: boolean;
  /** Only readings entered through GIS's own interface, not by information systems. */
  excludeISValues?: boolean;
}

export function exportMeteringDeviceHistoryBody(i: ExportMeteringDeviceHistoryInput): XNode {
  const op = "exportMeteringDeviceHistory";
  checkCount(op, "FIASHouseGuid", i.fiasHouseGuids?.length ?? 0, 0, 100);
  const s = i.select;
  const refs = (name: string, v: NsiRef[]) => { checkCount(op, name.slice(3), v.length, 1, 100); return v.map((r) => nsiRef(name, r)); };
  const bool = (name: string, v: boolean | undefined) => (v === undefined ? null : leaf(name, v));
  return container("dm:exportMeteringDeviceHistoryRequest", VERSIONS.exportMeteringDeviceHistoryRequest,
    (i.fiasHouseGuids ?? []).map((g) => leaf("dm:FIASHouseGuid", g)),
    opt("dm:ExportMeteringDeviceRootGUID", i.exportMeteringDeviceRootGuid),
    "meteringDeviceTypes" in s ? refs("dm:MeteringDeviceType", s.meteringDeviceTypes)
      : "municipalResources" in s ? refs("dm:MunicipalResource", s.municipalResources) : list(op, "dm:MeteringDeviceRootGUID", s.rootGuids, 1, 100),
    opt("dm:CommissioningDateFrom", i.commissioningDateFrom), opt("dm:CommissioningDateTo", i.commissioningDateTo),
    bool("dm:SerchArchived", i.searchArchived), opt("dm:ArchiveDateFrom", i.archiveDateFrom), opt("dm:ArchiveDateTo", i.archiveDateTo),
    opt("dm:inputDateFrom", i.inputDateFrom), opt("dm:inputDateTo", i.inputDateTo),
    bool("dm:ExcludePersonAsDataSource", i.excludePerson), bool("dm:ExcludeCurrentOrgAsDataSource", i.excludeCurrentOrg),
    bool("dm:ExcludeOtherOrgAsDataSource", i.excludeOtherOrg), bool("dm:excludeISValues", i.excludeISValues));
}
