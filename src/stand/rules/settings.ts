/**
 * How the stand's business rules behave where GIS's behaviour depends on things outside the API
 * (a contract approved by the other side, a house's readings window). Kept in the store, so the
 * core, tests and the admin endpoint set them the same way and they persist with the state.
 */
import { StandStore } from "../types";

export interface StandRules {
  /**
   * GIS approves contracts/charters on the other side's action (the owners, the supervisor); the
   * stand approves what it accepts at once so the pipeline can go on. Off: they stay "Project"
   * until an ApprovalContract/ApprovalCharter comes.
   */
  autoApprove: boolean;
  /** Days of the month when current readings are accepted (house time), or "always". */
  readingsWindow: { fromDay: number; toDay: number } | "always";
  /** The houses' time zone offset from UTC, hours (Kazan/Moscow: 3). */
  houseUtcOffsetHours: number;
  /**
   * GIS's cabinet setting «Осуществление квитирования … в автоматическом режиме» (on by default):
   * a notice that names a payment document and pays it exactly is acknowledged at once.
   */
  automaticAcknowledgment: boolean;
}

export const DEFAULT_RULES: StandRules = {
  autoApprove: true,
  readingsWindow: { fromDay: 15, toDay: 25 },
  houseUtcOffsetHours: 3,
  automaticAcknowledgment: true,
};

const TABLE = "stand-rules";

export function standRules(store: StandStore): StandRules {
  return { ...DEFAULT_RULES, ...store.table<Partial<StandRules>>(TABLE).get("rules") };
}

export function setStandRules(store: StandStore, rules: Partial<StandRules>): void {
  store.table<Partial<StandRules>>(TABLE).set("rules", { ...standRules(store), ...rules });
}
