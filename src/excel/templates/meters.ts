import { STATUS, TemplateDefinition, ans, opt, req } from "./types";

/** Metering devices (ИПУ, ОДПУ, общие квартирные, комнатные). */
export const meters: TemplateDefinition = {
  kind: "meters",
  title: "Импорт приборов учета",
  fileName: "импорт приборов учета",
  version: "1.0",
  gisTemplate: "Шаблон импорта приборов учета",
  sheets: [
    {
      name: "Сведения о ПУ",
      object: "meter",
      columns: [
        req("factoryNumber", "Заводской (серийный) номер ПУ", 18),
        req("meterKind", "Вид ПУ", 18),
        req("brand", "Марка ПУ", 16),
        req("model", "Модель ПУ", 16),
        req("address", "Адрес дома", 50),
        req("fiasHouseGuid", "Глобальный уникальный идентификатор дома по ФИАС", 38),
        opt("premiseNumber", "Номер помещения", 12, "Обязателен для ИПУ в помещении МКД"),
        opt("roomNumber", "Номер комнаты", 12),
        opt("accountNumbers", "Номера ЛС", 20, "Обязательны для ИПУ и общих квартирных ПУ"),
        req("resource", "Вид коммунального ресурса", 20),
        req("tariffCount", "Количество тарифов", 10),
        opt("installedDate", "Дата установки", 14),
        req("commissionedDate", "Дата ввода в эксплуатацию", 14),
        req("lastVerificationDate", "Дата последней поверки", 14),
        req("verificationInterval", "Межповерочный интервал, мес.", 10),
        opt("factorySealed", "Опломбирован заводом-изготовителем", 10),
        opt("remoteReading", "Наличие возможности дистанционного снятия показаний", 10),
        opt("transformationRatio", "Коэффициент трансформации", 10),
        req("initialT1", "Показание на дату ввода (Т1)", 14),
        opt("initialT2", "Показание на дату ввода (Т2)", 14),
        opt("initialT3", "Показание на дату ввода (Т3)", 14),
        ans("gisGuid", "Идентификатор ПУ в ГИС ЖКХ", 38),
        ans("gisVersionGuid", "Идентификатор версии ПУ", 38),
        ans("gisNumber", "Номер ПУ в ГИС ЖКХ", 18),
        STATUS,
      ],
    },
  ],
};
