/** nsi-common moved to src/methods/nsi-common/; this path stays for scripts/bench-stand.ts (the lead removes it). */
import { BuiltRequest, HeaderInput } from "../envelope/envelope";
import { ExportNsiItemInput, exportNsiItem as exportNsiItemMethod } from "../../methods/nsi-common/export-nsi-item";
import { buildMethodRequest } from "./build";

export function exportNsiItem(i: ExportNsiItemInput, h: HeaderInput = {}): BuiltRequest {
  return buildMethodRequest(exportNsiItemMethod, h, i);
}
