/**
 * exportOrgRegistry on the stand: the registry of organizations is the stand's own list
 * (registered at start, from --orgs, or through the admin endpoint). Organizations are found by
 * OGRN (+KPP), OGRNIP, orgVersionGUID, orgRootEntityGUID or orgPPAGUID (NZA: foreign branches are
 * not modelled); nothing found → INT002012.
 */
import { XNode, el, leaf, opt } from "../../../transport/envelope/xml";
import { child, children, text } from "../../../transport/results/safe-xml";
import { nameGuid } from "../../core/guid";
import { StandError, StandOrganization, StandRequest, StandRole, StandStore } from "../../types";
import { defineStandMethod } from "../method";

/** When the stand's organizations were "last edited" in the registry (fixed, so answers are stable). */
const LAST_EDITED = "2024-01-15";

/** Полномочия организации, NSI 20. */
const ROLE_REFS: Record<StandRole, [string, string]> = {
  UO: ["1", "Управляющая организация"],
  RSO: ["2", "Ресурсоснабжающая организация"],
  OPERATOR: ["11", "Оператор информационной системы"],
  TSG: ["21", "ТСЖ, ЖСК, ЖК, иной специализированный потребительский кооператив"],
  RKC: ["22", "Расчетный центр"],
};

function matches(o: StandOrganization, c: Element): boolean {
  const v = (name: string) => text(child(c, name))?.toLowerCase() ?? null;
  const ogrn = v("OGRN");
  if (ogrn) return o.ogrn === ogrn && (v("KPP") === null || o.kpp === v("KPP"));
  const ogrnip = v("OGRNIP");
  if (ogrnip) return o.ogrn === ogrnip;
  const version = v("orgVersionGUID");
  if (version) return o.orgVersionGUID === version;
  const root = v("orgRootEntityGUID");
  if (root) return o.orgRootEntityGUID === root;
  return o.orgPPAGUID === v("orgPPAGUID");
}

/** ИП: "ИП Иванов Иван Иванович" → surname, first name, patronymic. */
function person(fullName: string): Array<XNode | null> {
  const words = fullName
    .replace(/^(ИП|Индивидуальный предприниматель)\s+/i, "")
    .split(/\s+/)
    .filter(Boolean);
  return [
    leaf("org-reg-base:Surname", words[0] ?? fullName),
    leaf("org-reg-base:FirstName", words[1] ?? "-"),
    opt("org-reg-base:Patronymic", words.slice(2).join(" ")),
  ];
}

function result(o: StandOrganization): XNode {
  const entrepreneur = o.ogrn.length === 15;
  return el(
    "orc:exportOrgRegistryResult",
    null,
    leaf("org-reg-base:orgRootEntityGUID", o.orgRootEntityGUID),
    el(
      "orc:OrgVersion",
      null,
      leaf("org-reg-base:orgVersionGUID", o.orgVersionGUID),
      leaf("orc:lastEditingDate", LAST_EDITED),
      leaf("orc:IsActual", "true"),
      entrepreneur
        ? el("orc:Entrp", null, person(o.fullName), leaf("org-base:OGRNIP", o.ogrn), leaf("org-base:INN", o.inn))
        : el(
            "orc:Legal",
            null,
            leaf("org-reg-base:ShortName", o.shortName),
            leaf("org-reg-base:FullName", o.fullName),
            leaf("org-base:OGRN", o.ogrn),
            leaf("org-base:INN", o.inn),
            opt("org-base:KPP", o.kpp),
          ),
    ),
    leaf("base:orgPPAGUID", o.orgPPAGUID),
    o.roles.map((r) =>
      el(
        "orc:organizationRoles",
        null,
        leaf("nsi-base:Code", ROLE_REFS[r][0]),
        leaf("nsi-base:GUID", nameGuid(`nsi:20:${ROLE_REFS[r][0]}`)),
        leaf("nsi-base:Name", ROLE_REFS[r][1]),
      ),
    ),
    leaf("orc:isRegistered", "true"),
  );
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const from = text(child(req.body, "lastEditingDateFrom"));
  if (from && from > LAST_EDITED) throw new StandError("INT002012", "Нет объектов для экспорта");
  const found = new Map<string, StandOrganization>();
  for (const c of children(req.body, "SearchCriteria")) {
    for (const o of store.organizations()) if (matches(o, c)) found.set(o.orgPPAGUID, o);
  }
  if (found.size === 0) throw new StandError("INT002012", "Нет объектов для экспорта: организации по условиям поиска не найдены");
  return [...found.values()].map(result);
}

export const exportOrgRegistry = defineStandMethod({
  service: "organizations-registry-common",
  operation: "exportOrgRegistry",
  resultPrefix: "orc",
  resultVersion: "10.0.2.1",
  handle,
});
