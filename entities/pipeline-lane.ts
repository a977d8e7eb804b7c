import { Entity, PrimaryColumn } from "typeorm";
import { Int, Text } from "./columns";

/**
 * One lane of a pipeline run: a group of the run's houses that advances through the house-level
 * steps (fund → accounts → meters → readings → bills) on its own, each step released as soon as
 * the lane's previous step is applied. Lane 0 carries what has no house (an account without
 * premises…) and follows the other lanes step by step. Workers keep nothing in memory: these rows
 * and the operations (gis_operation.lane) say where every lane is.
 */
@Entity("pipeline_lane")
export class PipelineLane {
  @PrimaryColumn({ type: String, length: 36 })
  runId!: string;

  @PrimaryColumn({ type: "int" })
  lane!: number;

  /** The lane's houses as a JSON array of ids; null for lane 0 (objects without a house, and the run's whole scope). */
  @Text()
  houseIds!: string | null;

  /** Index in the run's plan of the step the lane works on. */
  @Int({ nullable: false })
  step!: number;

  /** The lane's last step whose operations are all created (a step completes only once prepared). */
  @Int({ nullable: false })
  preparedStep!: number;
}
