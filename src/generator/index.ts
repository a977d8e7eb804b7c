export { generateBundle, validateOptions } from "./generate";
export { writeDemoBundle, DEMO_OPTIONS } from "./demo";
export { formatReport } from "./report";
export * from "./model";
