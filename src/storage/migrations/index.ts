/** Every migration, oldest first. A new one is added at the end and never edited after release. */
import { Initial1763856000000 } from "./1763856000000-Initial";
import { PipelineRuns1763942400000 } from "./1763942400000-PipelineRuns";

export const MIGRATIONS = [Initial1763856000000, PipelineRuns1763942400000];
