import { STATUS, TemplateDefinition, TemplateSheet, opt, req } from "./types";

/** Columns shared by individual and common-house readings. */
export function readingSheet(name: string, forCommon: boolean): TemplateSheet {
  return {
    name,
    object: "reading",
    columns: [
      req("address", "Адрес дома", 50),
      req("fiasHouseGuid", "Глобальный уникальный идентификатор дома по ФИАС", 38),
      forCommon ? opt("premiseNumber", "Номер помещения", 12) : req("premiseNumber", "Номер помещения", 12),
      forCommon ? opt("accountNumber", "Номер ЛС", 16) : req("accountNumber", "Номер ЛС", 16),
      req("factoryNumber", "Заводской (серийный) номер ПУ", 18),
      opt("meterGisNumber", "Номер ПУ в ГИС ЖКХ", 18),
      req("resource", "Вид коммунального ресурса", 20),
      req("readingDate", "Дата снятия показаний", 14),
      req("valueT1", "Показание (Т1)", 14),
      opt("valueT2", "Показание (Т2)", 14),
      opt("valueT3", "Показание (Т3)", 14),
      STATUS,
    ],
  };
}

/** Individual meter readings (ИПУ). */
export const readings: TemplateDefinition = {
  kind: "readings",
  title: "Импорт показаний индивидуальных приборов учета",
  fileName: "импорт показаний ИПУ",
  version: "1.0",
  gisTemplate: "Шаблон импорта показаний ИПУ",
  sheets: [readingSheet("Показания ИПУ", false)],
};
