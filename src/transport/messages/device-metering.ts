/** device-metering: meter readings (importMeteringDeviceValues) and their history export. */
import { XNode, el, leaf, opt } from "../envelope/xml";
import { NsiRef, checkCount, container, nsiRef, transportGuid } from "./common";
import { meteringValue } from "./house-management";

export const VERSIONS = { importMeteringDeviceValuesRequest: "10.0.1.1" } as const;

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
