/**
 * Every method descriptor, by stage in pipeline order. Descriptors come from the method modules
 * (src/methods/); within a stage they are ordered by their `after` dependencies (a method runs
 * after the methods it names), ties kept in file order. LEGACY_BY_STAGE holds the descriptors not
 * yet moved into a method module.
 */
import { allMethods } from "../methods/registry";
import { OPERATIONS, OperationName } from "../transport/messages";
import { MethodDescriptor, STAGES, StageContext, StageName } from "./descriptor";
import { exportPaymentDocumentData } from "./bills/export-payment-document-data";
import { importPaymentDocumentData } from "./bills/import-payment-document-data";
import { exportCAChData } from "./contracts/export-cach-data";
import { exportStatusCAChData } from "./contracts/export-status-cach-data";
import { exportSupplyResourceContractData } from "./contracts/export-supply-resource-contract-data";
import { importCharterData } from "./contracts/import-charter-data";
import { importContractData } from "./contracts/import-contract-data";
import { importSupplyResourceContractData } from "./contracts/import-supply-resource-contract-data";
import { importSupplyResourceContractObjectAddressData } from "./contracts/import-supply-resource-contract-object-address-data";
import { importAcknowledgment } from "./kvitirovanie/import-acknowledgment";
import { exportNotificationsOfOrderExecution } from "./payments/export-notifications-of-order-execution";
import { importNotificationsOfOrderExecution } from "./payments/import-notifications-of-order-execution";
import { importNotificationsOfOrderExecutionCancellation } from "./payments/import-notifications-of-order-execution-cancellation";
import { exportMeteringDeviceHistory } from "./readings/export-metering-device-history";
import { importMeteringDeviceValues } from "./readings/import-metering-device-values";
import { exportDataProviderNsiItem } from "./services/export-data-provider-nsi-item";
import { exportNsiItem } from "./services/export-nsi-item";
import { importAdditionalServices } from "./services/import-additional-services";
import { importMunicipalServices } from "./services/import-municipal-services";

// Descriptors are generic in their method and data; the registry holds them as the base type.
const d = (x: object) => x as MethodDescriptor;

const LEGACY_BY_STAGE: Record<StageName, MethodDescriptor[]> = {
  services: [d(exportNsiItem), d(exportDataProviderNsiItem), d(importAdditionalServices), d(importMunicipalServices)],
  contracts: [d(exportCAChData), d(exportStatusCAChData), d(exportSupplyResourceContractData),
    d(importContractData), d(importCharterData), d(importSupplyResourceContractData), d(importSupplyResourceContractObjectAddressData)],
  fund: [],
  accounts: [],
  meters: [],
  readings: [d(exportMeteringDeviceHistory), d(importMeteringDeviceValues)],
  bills: [d(exportPaymentDocumentData), d(importPaymentDocumentData)],
  // "Check payments" first, in every mode: our payments are posted only after what GIS has is known.
  payments: [d(exportNotificationsOfOrderExecution), d(importNotificationsOfOrderExecution), d(importNotificationsOfOrderExecutionCancellation)],
  kvitirovanie: [d(importAcknowledgment)],
};

/**
 * Orders one stage's descriptors so every method comes after the ones its `after` names (those of
 * the same stage; earlier stages are done by then). A cycle is a programming error, named.
 */
export function orderByDependencies(list: MethodDescriptor[]): MethodDescriptor[] {
  const byName = new Map(list.map((d) => [d.method, d]));
  const out: MethodDescriptor[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (d: MethodDescriptor, path: string[]) => {
    const s = state.get(d.method);
    if (s === "done") return;
    if (s === "visiting") throw new Error(`Зависимости методов ГИС ЖКХ образуют цикл: ${[...path, d.method].join(" → ")}`);
    state.set(d.method, "visiting");
    for (const dep of d.after ?? []) {
      const before = byName.get(dep);
      if (before) visit(before, [...path, d.method]);
    }
    state.set(d.method, "done");
    out.push(d);
  };
  for (const d of list) visit(d, []);
  return out;
}

function byStage(): Record<StageName, MethodDescriptor[]> {
  const fromModules: MethodDescriptor[] = [];
  for (const m of allMethods()) if (m.descriptor) fromModules.push(m.descriptor as unknown as MethodDescriptor);
  return Object.fromEntries(
    STAGES.map((s) => [s, orderByDependencies([...LEGACY_BY_STAGE[s], ...fromModules.filter((d) => d.stage === s)])]),
  ) as Record<StageName, MethodDescriptor[]>;
}

/** Every descriptor of a stage, in the order the planner runs them. */
export const DESCRIPTORS_BY_STAGE: Record<StageName, MethodDescriptor[]> = byStage();

/** All descriptors in pipeline order. */
export const DESCRIPTORS: MethodDescriptor[] = STAGES.flatMap((s) => DESCRIPTORS_BY_STAGE[s]);

export function descriptorFor(method: string): MethodDescriptor {
  const found = DESCRIPTORS.find((x) => x.method === method);
  if (!found) throw new Error(`Нет описания метода ГИС ЖКХ «${method}» в конвейере`);
  return found;
}

/** Objects per request: the batch setting (or the descriptor's default), never above the schema's maxOccurs. */
export function batchLimit(descriptor: MethodDescriptor, ctx: StageContext): number {
  const configured = descriptor.batchSetting ? Number(ctx.setting(descriptor.batchSetting) ?? descriptor.defaultBatch) : descriptor.defaultBatch;
  const schemaMax = OPERATIONS[descriptor.method]?.batch?.max ?? descriptor.defaultBatch;
  return Math.max(1, Math.min(Number.isFinite(configured) ? configured : descriptor.defaultBatch, schemaMax));
}
