/** What every business handler needs from a request: the sender and the processing time. */
import { StandError, StandOrganization, StandRequest } from "../types";

/** The organization the request is for (RequestHeader/orgPPAGUID); the business services need one. */
export function sender(req: StandRequest): StandOrganization {
  if (!req.org) throw new StandError("AUT011003", "Не указан идентификатор зарегистрированной организации (orgPPAGUID)");
  return req.org;
}

export function isSupplier(org: StandOrganization): boolean {
  return org.roles.includes("RSO") && !org.roles.includes("UO") && !org.roles.includes("TSG");
}
