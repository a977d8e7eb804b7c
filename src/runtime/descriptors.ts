/** The pipeline's descriptors from src/stages/registry.ts, in the shape the queue layer asks for. */
import { DescriptorSource } from "../queue/plan";
import { DESCRIPTORS, DESCRIPTORS_BY_STAGE, batchLimit } from "../stages/registry";

export const STAGE_DESCRIPTORS: DescriptorSource = {
  forStage: (stage) => DESCRIPTORS_BY_STAGE[stage],
  byMethod: (method) => DESCRIPTORS.find((d) => d.method === method),
  batchLimit,
};
