/** getState: "is my message processed?" — the same for every service; not signed, no base:version. */
import { BuiltRequest, HeaderInput, buildEnvelope } from "../envelope/envelope";
import { el, leaf } from "../envelope/xml";
import { ServiceName } from "../services";

export interface GetStateInput {
  /** The MessageGUID GIS returned in the Ack. */
  messageGuid: string;
}

export function getState(service: ServiceName, gisMessageGuid: string, h: HeaderInput = {}): BuiltRequest {
  return buildEnvelope(service, "getState", el("base:getStateRequest", null, leaf("base:MessageGUID", gisMessageGuid)), h);
}
