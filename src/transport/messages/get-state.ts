/** getState: "is my message processed?" — the same for every service; not signed. */
import { buildEnvelope, BuiltRequest, HeaderInput } from "../envelope/envelope";
import { el } from "../envelope/xml";
import { BASE_NS, ServiceName } from "../services";

export function getState(service: ServiceName, gisMessageGuid: string, h: HeaderInput = {}): BuiltRequest {
  return buildEnvelope(service, "getState", el("base:getStateRequest", { "xmlns:base": BASE_NS }, el("base:MessageGUID", null, gisMessageGuid)), h);
}
