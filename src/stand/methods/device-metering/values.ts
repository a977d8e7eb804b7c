/** How the stand keeps a reading's value: its device kind and value kind, and what the import adds that the export writes its own way. */
export const KINDS = { OneRateDeviceValue: "OneRate", ElectricDeviceValue: "Electric", VolumeDeviceValue: "Volume" } as const;
export const VALUE_KINDS = { CurrentValue: "current", ControlValue: "control", VerificationValue: "verification" } as const;
export const NOT_BASE = new Set(["TransportGUID", "DateValue", "Period"]);
