/** «Подробное логирование» (exchange.verboseLog): the log level debug instead of info. LOG_LEVEL, when set, wins; tests keep their quiet level. */
import { DataSource } from "typeorm";
import { log } from "../log";
import { getSetting } from "./settings";

export function setVerboseLog(on: boolean): void {
  if (process.env.LOG_LEVEL || process.env.NODE_TEST_CONTEXT) return;
  log.level = on ? "debug" : "info";
}

export async function applyVerboseLog(ds: DataSource): Promise<void> {
  setVerboseLog((await getSetting<boolean>(ds, "exchange.verboseLog")) === true);
}
