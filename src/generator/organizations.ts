/** The bundle's organizations (ours, the bank, the post, the managing company, a payment agent) and our services. */
import { breakInn, makeInn10, makeKpp, makeOgrn13 } from "./checksums";
import { AGENT_ORG, BANK_ORG, OUR_ORG, POST_ORG, RSO_ORG, SERVICES, UO_ORG } from "./catalog";
import { REGION } from "./ru-data";
import { GenState } from "./state";

function orgRow(g: GenState, rec: Record<string, string>, brokenInn = false): void {
  const w = g.writers.organizations;
  const inn = brokenInn ? breakInn(rec.inn) : rec.inn;
  const line = w.obj({ ...rec, inn });
  if (brokenInn) g.markBroken("org_inn_check_digit", line, rec.id, inn);
}

export function writeOrganizations(g: GenState): void {
  const r = g.rnd;
  const base = (id: string) => ({
    id,
    inn: makeInn10(r),
    kpp: makeKpp(r),
    ogrn: makeOgrn13(r),
    is_ours: "0",
    is_managing_company: "0",
    is_supplier: "0",
    is_payment_source: "0",
    is_payment_recipient: "0",
    is_information_provider: "0",
  });
  const centre = g.centre !== null;
  orgRow(
    g,
    centre
      ? {
          ...base(OUR_ORG),
          full_name: "Муниципальное унитарное предприятие «Единый расчётный центр г. Казани»",
          short_name: "МУП «ЕРЦ»",
          role: "RC",
          is_ours: "1",
          address: `420021, ${REGION}, г. Казань, ул. Габдуллы Тукая, д. 58`,
          fias_address_guid: r.uuid(),
        }
      : {
          ...base(OUR_ORG),
          full_name: "Акционерное общество «Казанские коммунальные сети»",
          short_name: "АО «ККС»",
          role: "RSO",
          is_ours: "1",
          is_supplier: "1",
          is_payment_recipient: "1",
          is_information_provider: "1",
          address: `420111, ${REGION}, г. Казань, ул. Пушкина, д. 5`,
          fias_address_guid: r.uuid(),
        },
  );
  orgRow(g, {
    ...base(BANK_ORG),
    full_name: "Публичное акционерное общество «Сбербанк России»",
    short_name: "ПАО Сбербанк",
    is_payment_source: "1",
    address: "117312, г. Москва, ул. Вавилова, д. 19",
    fias_address_guid: r.uuid(),
  });
  orgRow(g, {
    ...base(POST_ORG),
    full_name: "Акционерное общество «Почта России»",
    short_name: "АО «Почта России»",
    is_payment_source: "1",
    address: "125252, г. Москва, Хорошёвское ш., д. 38",
    fias_address_guid: r.uuid(),
  });
  orgRow(g, {
    ...base(UO_ORG),
    full_name: 'Общество с ограниченной ответственностью "Управляющая компания "Жилкомфорт"',
    short_name: 'ООО "УК "Жилкомфорт"',
    role: "UO",
    is_managing_company: "1",
    // The centre sends for the managing organization: it places the fund, bills and payments itself.
    ...(centre ? { is_ours: "1", is_payment_recipient: "1", is_information_provider: "1" } : {}),
    address: `420021, ${REGION}, г. Казань, ул. Татарстан, д. 20; офис 4`,
    fias_address_guid: r.uuid(),
  });
  // A secondary organization nobody references: its ИНН is the broken one (no cascade).
  orgRow(
    g,
    {
      ...base(AGENT_ORG),
      full_name: "Общество с ограниченной ответственностью «Платёжный агент Идель»",
      short_name: "ООО «ПА Идель»",
      is_payment_source: "1",
      address: `420015, ${REGION}, г. Казань, ул. Карла Маркса, д. 41`,
    },
    g.brokenOn,
  );
  if (centre)
    orgRow(g, {
      ...base(RSO_ORG),
      full_name: "Акционерное общество «Татэнергосбыт»",
      short_name: "АО «Татэнергосбыт»",
      role: "RSO",
      is_ours: "1",
      is_supplier: "1",
      is_payment_recipient: "1",
      is_information_provider: "1",
      address: `420021, ${REGION}, г. Казань, ул. Марселя Салимжанова, д. 1`,
      fias_address_guid: r.uuid(),
    });
}

export function writeServices(g: GenState): void {
  const w = g.writers.services;
  for (const s of SERVICES) {
    g.svcGuid[s.key] = g.rnd.uuid();
    w.obj({
      id: s.id,
      organization_id: g.providerOf(s),
      code: s.code,
      name: s.name,
      kind: s.kind,
      nsi_registry: s.nsiRegistry,
      nsi_code: s.nsiCode,
      nsi_guid: g.svcGuid[s.key],
      municipal_resource_code: s.resource,
      okei: s.okei,
    });
  }
}
