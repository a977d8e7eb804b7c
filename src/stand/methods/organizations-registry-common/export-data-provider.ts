/**
 * exportDataProvider on the stand: every organization the stand knows is a data provider of the
 * information system (the stand has one IS); none → INT002012.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { nameGuid } from "../../core/guid";
import { StandError, StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function handle(_req: StandRequest, store: StandStore): XNode[] {
  const orgs = store.organizations();
  if (orgs.length === 0) throw new StandError("INT002012", "Нет объектов для экспорта");
  return orgs.map((o) =>
    el(
      "orc:exportDataProviderResult",
      null,
      leaf("orc:DataProviderGUID", nameGuid(`data-provider:${o.orgPPAGUID}`)),
      leaf("orc:IsActual", "true"),
      el("org-reg-base:RegOrg", null, leaf("org-reg-base:orgRootEntityGUID", o.orgRootEntityGUID)),
    ),
  );
}

export const exportDataProvider = defineStandMethod({
  service: "organizations-registry-common",
  operation: "exportDataProvider",
  resultPrefix: "orc",
  resultVersion: "10.0.2.1",
  handle,
});
