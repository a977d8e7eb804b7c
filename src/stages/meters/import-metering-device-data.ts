/** Moved to src/methods/house-management/; kept for src/stages/readings/ until the lead removes it. */
export { ELECTRICITY, resourceOf } from "../../methods/house-management/meters/resources";
