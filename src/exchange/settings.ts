/** The exchange's policy and poll schedule, as the installation has set them. */
import { DataSource, EntityManager } from "typeorm";
import { getSetting } from "../settings/settings";
import { UserError } from "../util/errors";
import { GIS_ADVISED_SCHEDULE, PollSchedule, parseDelays } from "./backoff";
import { DEFAULT_POLICY_OPTIONS, ErrorPolicy, parsePolicyOverrides } from "./error-policy";

export async function loadErrorPolicy(db: DataSource | EntityManager): Promise<ErrorPolicy> {
  let resendDelaysMs: number[];
  try {
    resendDelaysMs = parseDelays(await getSetting<string>(db, "exchange.resendDelays"));
  } catch (e) {
    throw new UserError(`Настройка exchange.resendDelays: ${(e as Error).message}`);
  }
  return new ErrorPolicy(parsePolicyOverrides(await getSetting<string>(db, "exchange.errorPolicy")), { ...DEFAULT_POLICY_OPTIONS, resendDelaysMs });
}

export async function loadPollSchedule(db: DataSource | EntityManager): Promise<PollSchedule> {
  let delaysMs: number[];
  try {
    delaysMs = parseDelays(await getSetting<string>(db, "exchange.pollDelays"));
  } catch (e) {
    throw new UserError(`Настройка exchange.pollDelays: ${(e as Error).message}`);
  }
  const hours = await getSetting<number>(db, "exchange.maxWaitHours");
  const learn = await getSetting<boolean>(db, "exchange.learnPollTimes");
  const maxPollsPerSecond = await getSetting<number>(db, "exchange.maxPollsPerSecond");
  return { ...GIS_ADVISED_SCHEDULE, delaysMs, maxWaitMs: hours * 3_600_000, learn, maxPollsPerSecond };
}
