/** What the nsi method tests share: our organization with services on a real database, a context, a parsed answer. */
import crypto from "node:crypto";
import { DataSource } from "typeorm";
import { Organization, Service } from "../../../entities";
import { StageContext } from "../../../src/stages/descriptor";
import { StateAnswer } from "../../../src/stages/types";
import { parseResponse } from "../../../src/transport/results/results";
import { AtStand } from "../../../src/storage/identity/store";
import { STAND, saveAt } from "../../support/identity";
import { UO } from "../../support/method-harness";

/** Our organization, registered on the test stand (its orgPPAGUID and registry GUID there). */
export async function ourOrganization(ds: DataSource): Promise<AtStand<"organization">> {
  return saveAt(ds, "organization", {
    externalId: `org-${crypto.randomUUID()}`,
    fullName: "АО «ККС»",
    shortName: "АО «ККС»",
    ogrn: "1021606311341",
    isOurs: true,
    gisOrgPpaGuid: UO,
    gisOrgRootEntityGuid: UO,
  });
}

/** A service of our organization; its element (gisElementGuid / gisElementCode) is filed for `stand`. */
export async function service(ds: DataSource, org: Organization, over: Partial<Service>, stand = STAND): Promise<AtStand<"service">> {
  const code = over.code ?? crypto.randomUUID().slice(0, 8);
  return saveAt(
    ds,
    "service",
    {
      externalId: `s-${code}`,
      organizationId: org.id,
      code,
      name: "Домофон",
      kind: "additional",
      isActive: true,
      nsiRegistry: null,
      nsiCode: null,
      nsiGuid: null,
      ...over,
    } as Partial<Service>,
    stand,
  );
}

export function ctx(org: Organization, over: Partial<StageContext> = {}): StageContext {
  return { organizationId: org.id, role: "UO", stand: STAND, orgPPAGUID: UO, now: new Date("2026-11-20T07:00:00Z"), setting: () => null, ...over };
}

/** A getStateResult of `service`'s namespace with the given payload. */
export function answer(payload: string, ns = "http://dom.gosuslugi.ru/schema/integration/nsi/"): StateAnswer {
  const xml =
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns:getStateResult xmlns:ns="${ns}" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:nb="http://dom.gosuslugi.ru/schema/integration/nsi-base/" base:version="10.0.1.2">` +
    `<base:RequestState>3</base:RequestState><base:MessageGUID>${crypto.randomUUID()}</base:MessageGUID>${payload}</ns:getStateResult></soap:Body></soap:Envelope>`;
  const r = parseResponse(xml);
  if (r.kind !== "state") throw new Error("not a state answer");
  return r;
}
