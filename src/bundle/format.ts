/**
 * The billing bundle: what a billing program hands gis-sync. One file per entity, CSV (UTF-8 or
 * Windows-1251, `;` or `,` separated, header row with these column names) or XLSX (first sheet,
 * same header). This table is the single definition: the generator writes it, the importer reads
 * and checks it, and docs/bundle-format.md is printed from it (`gis-sync import --describe`).
 *
 * Every row is keyed by the billing program's own id (`id`, or the natural key of a link file);
 * references name the other file's billing id. Files are imported in the order below.
 */

export type FieldType =
  | { kind: "string"; max: number }
  | { kind: "int"; min?: number; max?: number }
  | { kind: "decimal"; scale: number; min?: number }
  /** A meter reading kept exact as a string (\d{1,15}(\.\d{1,7})?). */
  | { kind: "reading" }
  | { kind: "date" }
  | { kind: "bool" }
  | { kind: "guid" }
  | { kind: "enum"; values: readonly string[] }
  /** A billing id of a row in another file. */
  | { kind: "ref"; file: string };

export interface FieldSpec {
  /** Column name in the file. */
  column: string;
  /** Entity property it fills ("" = used by the importer only, e.g. next_verification_date). */
  property: string;
  type: FieldType;
  required?: boolean;
  note?: string;
}

export interface FileSpec {
  /** File name without extension: organizations → organizations.csv or organizations.xlsx. */
  name: string;
  /** Entity (table) it loads. */
  entity: string;
  /** Columns identifying a row: ["id"] for entities, natural keys for link files. */
  key: string[];
  title: string;
  fields: FieldSpec[];
}

const s = (max: number): FieldType => ({ kind: "string", max });
const int = (min?: number, max?: number): FieldType => ({ kind: "int", min, max });
const dec = (scale: number, min?: number): FieldType => ({ kind: "decimal", scale, min });
const date: FieldType = { kind: "date" };
const bool: FieldType = { kind: "bool" };
const guid: FieldType = { kind: "guid" };
const ref = (file: string): FieldType => ({ kind: "ref", file });
const oneOf = (...values: string[]): FieldType => ({ kind: "enum", values });
const id: FieldSpec = { column: "id", property: "externalId", type: s(64), required: true };
const f = (column: string, property: string, type: FieldType, required = false, note?: string): FieldSpec => ({
  column,
  property,
  type,
  required,
  note,
});

export const BUNDLE_FILES: FileSpec[] = [
  {
    name: "organizations",
    entity: "organization",
    key: ["id"],
    title: "Организации",
    fields: [
      id,
      f("full_name", "fullName", s(1000), true),
      f("short_name", "shortName", s(500)),
      f("inn", "inn", s(12)),
      f("kpp", "kpp", s(9)),
      f("ogrn", "ogrn", s(15), false, "ОГРН (13 digits) or ОГРНИП (15)"),
      f("role", "role", oneOf("UO", "RSO", "TSZH", "ZHK", "ZHSK", "RC", "IS_OPERATOR")),
      f("is_ours", "isOurs", bool, false, "1 = we send to GIS on its behalf"),
      f("is_managing_company", "isManagingCompany", bool),
      f("is_supplier", "isSupplier", bool),
      f("is_payment_source", "isPaymentSource", bool),
      f("is_payment_recipient", "isPaymentRecipient", bool),
      f("is_information_provider", "isInformationProvider", bool),
      f("address", "address", s(2000)),
      f("fias_address_guid", "fiasAddressGuid", guid),
    ],
  },
  {
    name: "services",
    entity: "service",
    key: ["id"],
    title: "Услуги",
    fields: [
      id,
      f("organization_id", "organizationId", ref("organizations"), true),
      f("code", "code", s(50), true),
      f("name", "name", s(500), true),
      f("kind", "kind", oneOf("housing", "municipal", "additional", "capital_repair"), true),
      f("nsi_registry", "nsiRegistry", int(1)),
      f("nsi_code", "nsiCode", s(20)),
      f("nsi_guid", "nsiGuid", guid),
      f("municipal_resource_code", "municipalResourceCode", s(20), false, "NSI 2 code"),
      f("okei", "okei", s(10)),
    ],
  },
  {
    name: "houses",
    entity: "house",
    key: ["id"],
    title: "Дома",
    fields: [
      id,
      f("address", "address", s(500), true),
      f("district", "district", s(100)),
      f("fias_house_guid", "fiasHouseGuid", guid),
      f("oktmo", "oktmo", s(11)),
      f("house_type", "houseType", oneOf("MKD", "ZHD"), true),
      f("state_code", "stateCode", s(20), false, "NSI 24"),
      f("total_area", "totalArea", dec(4, 0)),
      f("residential_area", "residentialArea", dec(4, 0)),
      f("non_residential_area", "nonResidentialArea", dec(4, 0)),
      f("building_area", "buildingArea", dec(4, 0)),
      f("floors", "floors", int(1, 200)),
      f("underground_floors", "undergroundFloors", int(0, 20)),
      f("min_floors", "minFloors", int(1, 200)),
      f("entrances_count", "entrancesCount", int(0, 100)),
      f("built_year", "builtYear", int(1600, 2100)),
      f("commissioned_year", "commissionedYear", int(1600, 2100)),
      f("cultural_heritage", "culturalHeritage", bool),
      f("time_zone", "timeZone", s(64), false, "IANA name, e.g. Europe/Moscow"),
      f("cadastral_number", "cadastralNumber", s(40)),
      f("closed_date", "closedDate", date),
    ],
  },
  {
    name: "entrances",
    entity: "entrance",
    key: ["id"],
    title: "Подъезды",
    fields: [
      id,
      f("house_id", "houseId", ref("houses"), true),
      f("number", "number", s(10), true),
      f("floors", "floors", int(1, 200)),
      f("built_year", "builtYear", int(1600, 2100)),
      f("closed_date", "closedDate", date),
    ],
  },
  {
    name: "premises",
    entity: "premise",
    key: ["id"],
    title: "Помещения",
    fields: [
      id,
      f("house_id", "houseId", ref("houses"), true),
      f("entrance_id", "entranceId", ref("entrances")),
      f("kind", "kind", oneOf("residential", "non_residential", "common"), true),
      f("number", "number", s(255), true),
      f("floor", "floor", s(10)),
      f("total_area", "totalArea", dec(4, 0)),
      f("residential_area", "residentialArea", dec(4, 0)),
      f("rooms_count", "roomsCount", int(0, 100)),
      f("residents_count", "residentsCount", int(0, 9999)),
      f("cadastral_number", "cadastralNumber", s(40)),
      f("characteristic_code", "characteristicCode", s(20), false, "NSI 30"),
      f("closed_date", "closedDate", date),
    ],
  },
  {
    name: "rooms",
    entity: "room",
    key: ["id"],
    title: "Комнаты",
    fields: [
      id,
      f("house_id", "houseId", ref("houses"), true),
      f("premise_id", "premiseId", ref("premises")),
      f("number", "number", s(255), true),
      f("floor", "floor", s(10)),
      f("area", "area", dec(4, 0)),
      f("cadastral_number", "cadastralNumber", s(40)),
      f("closed_date", "closedDate", date),
    ],
  },
  {
    name: "contracts",
    entity: "contract",
    key: ["id"],
    title: "Договоры и уставы",
    fields: [
      id,
      f("organization_id", "organizationId", ref("organizations"), true),
      f("kind", "kind", oneOf("management", "supply", "charter"), true),
      f("number", "number", s(255)),
      f("signed_date", "signedDate", date),
      f("effective_date", "effectiveDate", date),
      f("planned_end_date", "plannedEndDate", date),
      f("termination_date", "terminationDate", date),
      f("termination_reason", "terminationReason", s(500)),
      f("second_party_kind", "secondPartyKind", oneOf("owners", "organization", "person", "municipality", "developer")),
      f("second_party_organization_id", "secondPartyOrganizationId", ref("organizations")),
      f("second_party_name", "secondPartyName", s(1000)),
      f("readings_from_day", "readingsFromDay", int(1, 31)),
      f("readings_from_next_month", "readingsFromNextMonth", bool),
      f("readings_to_day", "readingsToDay", int(1, 31)),
      f("readings_to_next_month", "readingsToNextMonth", bool),
      f("payment_document_day", "paymentDocumentDay", int(1, 31)),
      f("payment_document_next_month", "paymentDocumentNextMonth", bool),
      f("payment_day", "paymentDay", int(1, 31)),
      f("payment_next_month", "paymentNextMonth", bool),
      f("is_public", "isPublic", bool),
    ],
  },
  {
    name: "contract_objects",
    entity: "contract_object",
    key: ["id"],
    title: "Объекты договоров",
    fields: [
      id,
      f("contract_id", "contractId", ref("contracts"), true),
      f("house_id", "houseId", ref("houses"), true),
      f("premise_id", "premiseId", ref("premises")),
      f("room_id", "roomId", ref("rooms")),
      f("start_date", "startDate", date, true),
      f("end_date", "endDate", date),
    ],
  },
  {
    name: "contract_services",
    entity: "contract_object_service",
    key: ["contract_object_id", "service_id", "start_date"],
    title: "Услуги по объектам договоров",
    fields: [
      f("contract_object_id", "contractObjectId", ref("contract_objects"), true),
      f("service_id", "serviceId", ref("services"), true),
      f("start_date", "startDate", date, true),
      f("end_date", "endDate", date),
    ],
  },
  {
    name: "accounts",
    entity: "account",
    key: ["id"],
    title: "Лицевые счета",
    fields: [
      id,
      f("organization_id", "organizationId", ref("organizations"), true),
      f("number", "number", s(30), true),
      f("account_type", "accountType", oneOf("UO", "RSO", "KR", "RC", "OGV_OMS", "TKO"), true),
      f("opened_date", "openedDate", date),
      f("closed_date", "closedDate", date),
      f("close_reason_code", "closeReasonCode", s(20), false, "NSI 22"),
      f("close_description", "closeDescription", s(255)),
      f("total_area", "totalArea", dec(4, 0)),
      f("residential_area", "residentialArea", dec(4, 0)),
      f("heated_area", "heatedArea", dec(4, 0)),
      f("residents_count", "residentsCount", int(0, 9999)),
      f("payer_kind", "payerKind", oneOf("person", "organization"), true),
      f("payer_last_name", "payerLastName", s(100)),
      f("payer_first_name", "payerFirstName", s(100)),
      f("payer_middle_name", "payerMiddleName", s(100)),
      f("payer_snils", "payerSnils", s(11)),
      f("payer_document_type", "payerDocumentType", s(20), false, "NSI 95"),
      f("payer_document_series", "payerDocumentSeries", s(45)),
      f("payer_document_number", "payerDocumentNumber", s(45)),
      f("payer_organization_id", "payerOrganizationId", ref("organizations")),
      f("payer_is_renter", "payerIsRenter", bool),
      f("payment_share", "paymentShare", dec(4, 0), false, "0…1"),
    ],
  },
  {
    name: "account_premises",
    entity: "account_accommodation",
    key: ["account_id", "premise_id", "room_id", "house_id"],
    title: "Помещения лицевых счетов",
    fields: [
      f("account_id", "accountId", ref("accounts"), true),
      f("house_id", "houseId", ref("houses")),
      f("premise_id", "premiseId", ref("premises")),
      f("room_id", "roomId", ref("rooms")),
      f("share_percent", "sharePercent", dec(2, 0), false, "0…100"),
    ],
  },
  {
    name: "meters",
    entity: "meter",
    key: ["id"],
    title: "Приборы учёта",
    fields: [
      id,
      f("organization_id", "organizationId", ref("organizations"), true),
      f("factory_number", "factoryNumber", s(50), true),
      f("meter_type", "meterType", oneOf("individual", "common_house", "collective", "room"), true),
      f("service_id", "serviceId", ref("services")),
      f("municipal_resource_code", "municipalResourceCode", s(20), true, "NSI 2"),
      f("model", "model", s(100)),
      f("brand", "brand", s(100)),
      f("installed_date", "installedDate", date),
      f("commissioned_date", "commissionedDate", date),
      f(
        "verification_date",
        "",
        date,
        false,
        "last verification, or the next one when the setting import.verificationDateIsNext is on (last = next − interval)",
      ),
      f("verification_interval_months", "verificationIntervalMonths", int(1, 600)),
      f("factory_sealed", "factorySealed", bool),
      f("tariff_count", "tariffCount", int(1, 3)),
      f("remote_reading", "remoteReading", bool),
      f("transformation_ratio", "transformationRatio", dec(2, 0)),
      f("initial_value_t1", "initialValueT1", { kind: "reading" }),
      f("initial_value_t2", "initialValueT2", { kind: "reading" }),
      f("initial_value_t3", "initialValueT3", { kind: "reading" }),
      f("house_id", "houseId", ref("houses"), true),
      f("premise_id", "premiseId", ref("premises")),
      f("room_id", "roomId", ref("rooms")),
      f("state", "state", oneOf("active", "archived")),
      f("archive_reason_code", "archiveReasonCode", s(20), false, "NSI 224"),
      f("archived_date", "archivedDate", date),
    ],
  },
  {
    name: "meter_accounts",
    entity: "meter_account",
    key: ["meter_id", "account_id"],
    title: "Лицевые счета приборов учёта",
    fields: [f("meter_id", "meterId", ref("meters"), true), f("account_id", "accountId", ref("accounts"), true)],
  },
  {
    name: "readings",
    entity: "meter_reading",
    key: ["id"],
    title: "Показания приборов учёта",
    fields: [
      id,
      f("meter_id", "meterId", ref("meters"), true),
      f("reading_date", "readingDate", date, true),
      f("value_t1", "valueT1", { kind: "reading" }, true),
      f("value_t2", "valueT2", { kind: "reading" }),
      f("value_t3", "valueT3", { kind: "reading" }),
      f("period_year", "periodYear", int(2000, 2100)),
      f("period_month", "periodMonth", int(1, 12)),
    ],
  },
  {
    name: "payment_documents",
    entity: "payment_document",
    key: ["id"],
    title: "Платёжные документы",
    fields: [
      id,
      f("organization_id", "organizationId", ref("organizations"), true),
      f("account_id", "accountId", ref("accounts"), true),
      f("period_year", "periodYear", int(2000, 2100), true),
      f("period_month", "periodMonth", int(1, 12), true),
      f("number", "number", s(30)),
      f("total_charged", "totalCharged", dec(2)),
      f("total_payable", "totalPayable", dec(2)),
      f("debt", "debt", dec(2)),
      f("advance", "advance", dec(2)),
      f("bank_bik", "bankBik", s(9)),
      f("operating_account", "operatingAccount", s(20)),
      f("state", "state", oneOf("to_issue", "issued", "to_withdraw", "withdrawn")),
    ],
  },
  {
    name: "payment_document_lines",
    entity: "payment_document_line",
    key: ["payment_document_id", "service_id"],
    title: "Строки платёжных документов",
    fields: [
      f("payment_document_id", "paymentDocumentId", ref("payment_documents"), true),
      f("service_id", "serviceId", ref("services"), true),
      f("volume", "volume", dec(6)),
      f("consumption_kind", "consumptionKind", oneOf("individual", "house")),
      f("tariff", "tariff", dec(6)),
      f("charged", "charged", dec(2)),
      f("recalculation", "recalculation", dec(2)),
      f("total", "total", dec(2)),
    ],
  },
  {
    name: "payments",
    entity: "payment",
    key: ["id"],
    title: "Платежи",
    fields: [
      id,
      f("organization_id", "organizationId", ref("organizations"), true),
      f("order_id", "orderId", s(32), true),
      f("order_date", "orderDate", date, true),
      f("order_number", "orderNumber", s(30)),
      f("amount", "amount", dec(2, 0), true, "roubles"),
      f("account_id", "accountId", ref("accounts")),
      f("payment_document_id", "paymentDocumentId", ref("payment_documents")),
      f("service_id", "serviceId", ref("services")),
      f("period_year", "periodYear", int(2000, 2100)),
      f("period_month", "periodMonth", int(1, 12)),
      f("source", "source", oneOf("own", "other")),
      f("annulled", "annulled", bool),
      f("annulled_date", "annulledDate", date),
    ],
  },
];

export function fileSpec(name: string): FileSpec {
  const spec = BUNDLE_FILES.find((x) => x.name === name);
  if (!spec) throw new Error(`No bundle file "${name}"`);
  return spec;
}
