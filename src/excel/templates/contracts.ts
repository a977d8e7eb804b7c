import { STATUS, TemplateDefinition, ans, opt, req } from "./types";

/** Management contracts (ДУ) and the houses managed under them. */
export const contracts: TemplateDefinition = {
  kind: "contracts",
  title: "Импорт договоров управления и объектов управления",
  fileName: "импорт объектов управления в ДУ",
  version: "1.0",
  gisTemplate: "Шаблон импорта договоров управления (ДУ) и объектов управления",
  sheets: [
    {
      name: "Договоры управления",
      object: "contract",
      columns: [
        req("contractNumber", "Номер договора"),
        req("signedDate", "Дата заключения", 14),
        req("effectiveDate", "Дата вступления в силу", 14),
        opt("plannedEndDate", "Планируемая дата окончания", 14),
        req("secondParty", "Сторона договора", 22),
        opt("secondPartyName", "Наименование второй стороны", 30),
        req("readingsFrom", "Срок передачи показаний: с (день)", 12),
        req("readingsTo", "Срок передачи показаний: по (день)", 12),
        req("paymentDocumentDay", "Срок выставления ПД (день)", 12),
        req("paymentDay", "Срок внесения платы (день)", 12),
        ans("gisGuid", "Идентификатор договора в ГИС ЖКХ", 38),
        STATUS,
      ],
    },
    {
      name: "Объекты управления",
      object: "contract_object",
      columns: [
        req("contractNumber", "Номер договора"),
        req("address", "Адрес дома", 50),
        req("fiasHouseGuid", "Глобальный уникальный идентификатор дома по ФИАС", 38),
        req("startDate", "Дата начала управления", 14),
        opt("endDate", "Дата окончания управления", 14),
        ans("gisGuid", "Идентификатор объекта в ГИС ЖКХ", 38),
        STATUS,
      ],
    },
  ],
};
