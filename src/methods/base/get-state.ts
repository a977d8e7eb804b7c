/**
 * getState: "is my message processed?" — GIS's answer to every asynchronous request. It is the
 * same operation in every service (its request, getStateRequest, is declared once, in
 * lib/hcs-base.xsd — hence this folder, "base", for the methods of the base schema rather than
 * of a service): the service comes with the input, the header is the service's, the request is
 * not signed and carries no base:version. The answer (getStateResult) is read by the shared parser
 * (src/transport/results/results.ts), since every method's final answer is one.
 */
import { BuiltRequest, HeaderInput } from "../../transport/envelope/envelope";
import { el, leaf } from "../../transport/envelope/xml";
import { ServiceName } from "../../transport/services";
import { buildMethodRequest } from "../../transport/messages/build";
import { defineMethod } from "../method";

export interface GetStateInput {
  /** The service the message was sent to. */
  service: ServiceName;
  /** The MessageGUID GIS returned in the Ack. */
  messageGuid: string;
}

export const getStateMethod = defineMethod<GetStateInput>({
  name: "getState",
  service: null,
  element: "getStateRequest",
  versions: { "16.3.0.0": "", "14.4.0.1": "" },

  // The MessageGUID is GIS's, from an Ack the parser checked.
  body: (i) => el("base:getStateRequest", null, leaf("base:MessageGUID", i.messageGuid)),
});

/** The getState request for a message sent to `service`. */
export function getState(service: ServiceName, gisMessageGuid: string, h: HeaderInput = {}): BuiltRequest {
  return buildMethodRequest(getStateMethod, h, { service, messageGuid: gisMessageGuid });
}
