import { Entity, Index, PrimaryColumn } from "typeorm";
import { Int, Moment, Str, Text } from "./columns";

export const RUN_STATES = ["running", "done", "done_with_errors", "failed", "cancelled"] as const;
export type RunState = (typeof RUN_STATES)[number];

/**
 * One pipeline run: which stages, for what scope, in which mode, on which stand — and where it is.
 * A run advances step by step (one step = one method descriptor of a stage); a step starts when
 * every operation of the step before it is final. Workers keep nothing in memory: this row and the
 * operations say everything.
 */
@Entity("pipeline_run")
@Index(["state", "startedAt"])
export class PipelineRun {
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  @Str(10, { nullable: false })
  stand!: string;

  @Int({ nullable: false })
  organizationId!: number;

  /** Comma-separated stage names in pipeline order. */
  @Str(200, { nullable: false })
  stages!: string;

  @Str(10, { nullable: false, default: "sync" })
  mode!: "sync" | "push" | "pull";

  /** Scope as JSON ({houseIds, contractId, objectIds}); empty = the whole organization. */
  @Text()
  scope!: string | null;

  @Str(20, { nullable: false, default: "running" })
  state!: RunState;

  /** Index of the step being worked on in the run's plan (stages × descriptors). */
  @Int({ nullable: false, default: 0 })
  step!: number;

  /**
   * The last step whose operations are all created. A step is complete only once it is prepared:
   * otherwise a fast answer to its first operation could move the run on before the rest exist.
   */
  @Int({ nullable: false, default: -1 })
  preparedStep!: number;

  @Str(100)
  author!: string | null;

  /** manual, schedule:<id>, api, demo, cli… */
  @Str(100)
  trigger!: string | null;

  @Moment({ nullable: false })
  startedAt!: Date;

  @Moment()
  finishedAt!: Date | null;

  @Text()
  errorText!: string | null;
}
