/**
 * The request of importMeteringDeviceData: 1..100 meters, each placed (DeviceDataToCreate) or
 * changed by its version GUID (DeviceDataToUpdate: characteristics before or after readings began,
 * archive without replacement, replacement by a meter placed before). Elements in the order of
 * hcs-house-management-types.xsd (the same in 14.4.0.1 and 16.3.0.0).
 */
import { Kid, XNode, decimal, el, leaf, opt } from "../../../transport/envelope/xml";
import { NsiRef, checkCount, container, nsiRef, transportGuid } from "../../../transport/messages/common";
import { meteringValue } from "../../../transport/messages/house-management";

export interface ResourceValueInput {
  /** NSI 2 (коммунальный ресурс). */
  municipalResource: NsiRef;
  value: number | string;
  /** OKEI code of the unit, where the schema lists it. */
  unit?: string;
}

export interface ElectricValueInput {
  t1: number | string;
  t2?: number | string;
  t3?: number | string;
  transformationRatio?: number;
  unit?: string;
}

export type MeterPlacement =
  | { kind: "residentialPremise"; premiseGuids: string[]; accountGuids: string[] }
  | { kind: "nonResidentialPremise"; premiseGuids: string[]; accountGuids: string[] }
  | { kind: "apartmentHouse"; fiasHouseGuids?: string[]; accountGuids: string[] }
  | { kind: "livingRoom"; livingRoomGuids: string[]; accountGuids: string[] }
  | { kind: "collectiveApartment"; premiseGuids: string[]; accountGuids: string[] }
  | { kind: "collective"; fiasHouseGuids?: string[] };

export interface MeteringDeviceInfoInput {
  number: string;
  stamp?: string;
  model?: string;
  installationDate?: string;
  commissioningDate?: string;
  remoteMetering: boolean;
  remoteMeteringInfo?: string;
  firstVerificationDate?: string;
  verificationInterval?: NsiRef;
  factorySealDate?: string;
  temperatureSensor: boolean;
  pressureSensor: boolean;
  consumedVolume?: boolean;
  placement: MeterPlacement;
  /** Linked to another meter (installation place in/out), or not linked. */
  linked?: { installationPlace: "in" | "out"; linkedVersionGuids?: string[] };
  /** Base (initial) readings: by resource for non-electric meters (1..3), or T1..T3 for electricity. */
  resources: { notEnergy: ResourceValueInput[] } | { energy: ElectricValueInput };
}

export type MeteringDeviceInput =
  | { transportGuid: string; create: MeteringDeviceInfoInput }
  /** Archive without replacement; reason: NSI 21 (причина архивации ПУ). */
  | { transportGuid: string; versionGuid: string; archive: { reason: NsiRef } }
  /**
   * Replace: archive this meter and hand over to `replacingVersionGuid`, a meter placed before (the pipeline's
   * "replace" is place-new, then this). Planned verification, or an unplanned one with its reason (NSI 224);
   * the old meter's final readings optional.
   */
  | {
      transportGuid: string;
      versionGuid: string;
      replace: {
        verificationDate: string;
        unplannedReason?: NsiRef;
        finalValues?:
          | { notEnergy: Array<{ municipalResource: NsiRef; value: number | string }> }
          | { energy: { t1: number | string; t2?: number | string; t3?: number | string } };
        replacingVersionGuid: string;
      };
    }
  /** Correct the characteristics before any readings were entered (all of them again). */
  | { transportGuid: string; versionGuid: string; updateBefore: MeteringDeviceInfoInput }
  /** Correct the characteristics after readings were entered: only what changes (base readings stay). */
  | { transportGuid: string; versionGuid: string; updateAfter: MeteringDeviceUpdateAfterInput };

/** MeteringDeviceToUpdateAfterDevicesValuesType, the characteristics the pipeline keeps. */
export interface MeteringDeviceUpdateAfterInput {
  number?: string;
  stamp?: string;
  model?: string;
  installationDate?: string;
  commissioningDate?: string;
  remoteMetering?: boolean;
  remoteMeteringInfo?: string;
  /** The accounts the meter serves, all of them (a change replaces the list). */
  accountGuids?: string[];
  firstVerificationDate?: string;
  factorySealDate?: string;
}

export interface ImportMeteringDeviceInput {
  fiasHouseGuid?: string;
  /** 1..100 meters. */
  devices: MeteringDeviceInput[];
}

function placement(p: MeterPlacement): XNode {
  const g = (name: string, v: string[] | undefined) => (v ?? []).map((x) => leaf(name, x));
  switch (p.kind) {
    case "residentialPremise":
      return el("hm:ResidentialPremiseDevice", null, g("hm:PremiseGUID", p.premiseGuids), g("hm:AccountGUID", p.accountGuids));
    case "nonResidentialPremise":
      return el("hm:NonResidentialPremiseDevice", null, g("hm:PremiseGUID", p.premiseGuids), g("hm:AccountGUID", p.accountGuids));
    case "apartmentHouse":
      return el("hm:ApartmentHouseDevice", null, g("hm:FIASHouseGuid", p.fiasHouseGuids), g("hm:AccountGUID", p.accountGuids));
    case "livingRoom":
      return el("hm:LivingRoomDevice", null, g("hm:LivingRoomGUID", p.livingRoomGuids), g("hm:AccountGUID", p.accountGuids));
    case "collectiveApartment":
      return el("hm:CollectiveApartmentDevice", null, g("hm:PremiseGUID", p.premiseGuids), g("hm:AccountGUID", p.accountGuids));
    case "collective":
      return el("hm:CollectiveDevice", null, g("hm:FIASHouseGuid", p.fiasHouseGuids));
  }
}

function deviceInfo(d: MeteringDeviceInfoInput): Kid[] {
  const r = d.resources;
  return [
    el(
      "hm:BasicChatacteristicts",
      null,
      leaf("hm:MeteringDeviceNumber", d.number),
      opt("hm:MeteringDeviceStamp", d.stamp),
      opt("hm:MeteringDeviceModel", d.model),
      opt("hm:InstallationDate", d.installationDate),
      opt("hm:CommissioningDate", d.commissioningDate),
      leaf("hm:RemoteMeteringMode", d.remoteMetering),
      opt("hm:RemoteMeteringInfo", d.remoteMeteringInfo),
      opt("hm:FirstVerificationDate", d.firstVerificationDate),
      nsiRef("hm:VerificationInterval", d.verificationInterval),
      opt("hm:FactorySealDate", d.factorySealDate),
      leaf("hm:TemperatureSensor", d.temperatureSensor),
      leaf("hm:PressureSensor", d.pressureSensor),
      d.consumedVolume === undefined ? null : leaf("hm:ConsumedVolume", d.consumedVolume),
      placement(d.placement),
    ),
    d.linked
      ? el(
          "hm:LinkedWithMetering",
          null,
          leaf("hm:InstallationPlace", d.linked.installationPlace),
          (d.linked.linkedVersionGuids ?? []).map((x) => leaf("hm:LinkedMeteringDeviceVersionGUID", x)),
        )
      : leaf("hm:NotLinkedWithMetering", "true"),
    "notEnergy" in r
      ? (checkCount("importMeteringDeviceData", "MunicipalResourceNotEnergy", r.notEnergy.length, 1, 3),
        r.notEnergy.map((v) =>
          el(
            "hm:MunicipalResourceNotEnergy",
            null,
            nsiRef("metering-device-base:MunicipalResource", v.municipalResource),
            leaf("metering-device-base:MeteringValue", meteringValue(v.value)),
            opt("hm:Unit", v.unit),
          ),
        ))
      : el(
          "hm:MunicipalResourceEnergy",
          null,
          leaf("metering-device-base:MeteringValueT1", meteringValue(r.energy.t1)),
          r.energy.t2 === undefined ? null : leaf("metering-device-base:MeteringValueT2", meteringValue(r.energy.t2)),
          r.energy.t3 === undefined ? null : leaf("metering-device-base:MeteringValueT3", meteringValue(r.energy.t3)),
          r.energy.transformationRatio === undefined ? null : leaf("hm:TransformationRatio", decimal(r.energy.transformationRatio)),
          opt("hm:Unit", r.energy.unit),
        ),
  ];
}

export function importMeteringDeviceBody(i: ImportMeteringDeviceInput, version: string): XNode {
  checkCount("importMeteringDeviceData", "MeteringDevice", i.devices.length, 1, 100);
  return container(
    "hm:importMeteringDeviceDataRequest",
    version,
    opt("hm:FIASHouseGuid", i.fiasHouseGuid),
    i.devices.map((d) =>
      el(
        "hm:MeteringDevice",
        null,
        transportGuid(d.transportGuid),
        "create" in d
          ? el("hm:DeviceDataToCreate", null, deviceInfo(d.create))
          : el(
              "hm:DeviceDataToUpdate",
              null,
              leaf("hm:MeteringDeviceVersionGUID", d.versionGuid),
              "archive" in d
                ? el("hm:ArchiveDevice", null, nsiRef("hm:ArchivingReason", d.archive.reason))
                : "replace" in d
                  ? replaceDevice(d.replace)
                  : "updateAfter" in d
                    ? updateAfter(d.updateAfter)
                    : el("hm:UpdateBeforeDevicesValues", null, deviceInfo(d.updateBefore)),
            ),
      ),
    ),
  );
}

function updateAfter(u: MeteringDeviceUpdateAfterInput): XNode {
  return el(
    "hm:UpdateAfterDevicesValues",
    null,
    opt("hm:MeteringDeviceNumber", u.number),
    opt("hm:MeteringDeviceStamp", u.stamp),
    opt("hm:MeteringDeviceModel", u.model),
    opt("hm:InstallationDate", u.installationDate),
    opt("hm:CommissioningDate", u.commissioningDate),
    u.remoteMetering === undefined ? null : leaf("hm:RemoteMeteringMode", u.remoteMetering),
    opt("hm:RemoteMeteringInfo", u.remoteMeteringInfo),
    (u.accountGuids ?? []).map((g) => leaf("hm:AccountGUID", g)),
    opt("hm:FirstVerificationDate", u.firstVerificationDate),
    opt("hm:FactorySealDate", u.factorySealDate),
  );
}

function replaceDevice(r: Extract<MeteringDeviceInput, { replace: unknown }>["replace"]): XNode {
  const v = r.finalValues;
  if (v && "notEnergy" in v) checkCount("importMeteringDeviceData", "DeviceValueMunicipalResourceNotElectric", v.notEnergy.length, 1, 3);
  return el(
    "hm:ReplaceDevice",
    null,
    leaf("hm:VerificationDate", r.verificationDate),
    r.unplannedReason ? nsiRef("hm:ReasonVerification", r.unplannedReason) : leaf("hm:PlannedVerification", "true"),
    !v
      ? null
      : "notEnergy" in v
        ? v.notEnergy.map((x) =>
            el(
              "hm:DeviceValueMunicipalResourceNotElectric",
              null,
              nsiRef("metering-device-base:MunicipalResource", x.municipalResource),
              leaf("metering-device-base:MeteringValue", meteringValue(x.value)),
            ),
          )
        : el(
            "hm:DeviceValueMunicipalResourceElectric",
            null,
            leaf("metering-device-base:MeteringValueT1", meteringValue(v.energy.t1)),
            v.energy.t2 === undefined ? null : leaf("metering-device-base:MeteringValueT2", meteringValue(v.energy.t2)),
            v.energy.t3 === undefined ? null : leaf("metering-device-base:MeteringValueT3", meteringValue(v.energy.t3)),
          ),
    leaf("hm:ReplacingMeteringDeviceVersionGUID", r.replacingVersionGuid),
  );
}
