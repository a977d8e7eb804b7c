/** What every part of the pipeline works with: the database, the descriptors, the exchange and the queues. */
import { DataSource } from "typeorm";
import { ExchangeContext } from "../exchange/exchange";
import { DescriptorSource } from "./plan";

/** What the pipeline asks of its queues (BullMQ in production; the same interface inline). */
export interface Enqueuer {
  /** `lane`: that lane's step of the run (lanes.ts); without it, the run's own step. */
  prepare(runId: string, step: number, lane?: number): Promise<void>;
  /** `key` names the job: the same operation at the same point of its life is queued once. */
  send(opId: string, delayMs: number, key: string): Promise<void>;
  poll(opId: string, delayMs: number, key: string): Promise<void>;
  apply(opId: string): Promise<void>;
  /** A run reached its end (waiting callers are told). */
  finished?(runId: string): Promise<void>;
}

export interface PipelineDeps {
  ds: DataSource;
  source: DescriptorSource;
  /** The exchange for an organization (its orgPPAGUID in the header). */
  exchangeFor: (organizationId: number | null) => Promise<ExchangeContext>;
  queue: Enqueuer;
}
