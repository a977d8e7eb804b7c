import { STATUS, TemplateDefinition, ans, opt, req } from "./types";

/** Resource supply contracts (РСО) and their housing objects. */
export const supplyContracts: TemplateDefinition = {
  kind: "supply-contracts",
  title: "Импорт сведений о договорах ресурсоснабжения",
  fileName: "импорт сведений о договорах РСО",
  version: "1.0",
  gisTemplate: "Шаблон импорта договоров ресурсоснабжения",
  sheets: [
    {
      name: "Договоры ресурсоснабжения",
      object: "contract",
      columns: [
        req("contractNumber", "Номер договора"),
        req("signedDate", "Дата заключения", 14),
        req("effectiveDate", "Дата вступления в силу", 14),
        opt("plannedEndDate", "Дата окончания", 14),
        req("secondParty", "Вторая сторона договора", 22),
        opt("secondPartyName", "Наименование второй стороны", 30),
        opt("isPublic", "Публичный договор", 10),
        req("readingsFrom", "Срок передачи показаний: с (день)", 12),
        req("readingsTo", "Срок передачи показаний: по (день)", 12),
        req("paymentDocumentDay", "Срок выставления ПД (день)", 12),
        req("paymentDay", "Срок внесения платы (день)", 12),
        ans("gisGuid", "Идентификатор договора в ГИС ЖКХ", 38),
        STATUS,
      ],
    },
    {
      name: "Объекты жилищного фонда",
      object: "contract_object",
      columns: [
        req("contractNumber", "Номер договора"),
        req("address", "Адрес дома", 50),
        req("fiasHouseGuid", "Глобальный уникальный идентификатор дома по ФИАС", 38),
        opt("premiseNumber", "Номер помещения", 12, "Обязателен, если объектом договора является помещение"),
        opt("roomNumber", "Номер комнаты", 12),
        opt("startDate", "Дата начала поставки", 14),
        opt("endDate", "Дата окончания поставки", 14),
        ans("gisGuid", "Идентификатор объекта в ГИС ЖКХ", 38),
        STATUS,
      ],
    },
  ],
};
