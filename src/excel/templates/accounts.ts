import { STATUS, TemplateDefinition, ans, opt, req } from "./types";

/** Personal accounts: the account with its payer, then the premises it pays for. */
export const accounts: TemplateDefinition = {
  kind: "accounts",
  title: "Импорт лицевых счетов",
  fileName: "импорт лицевых счетов",
  version: "1.0",
  gisTemplate: "Шаблон импорта лицевых счетов",
  sheets: [
    {
      name: "Основные сведения",
      object: "account",
      columns: [
        req("accountNumber", "Номер ЛС (иной идентификатор потребителя)", 20),
        req("accountType", "Тип лицевого счета", 16),
        opt("lastName", "Фамилия", 18, "Обязательно для плательщика — физического лица"),
        opt("firstName", "Имя", 16, "Обязательно для плательщика — физического лица"),
        opt("middleName", "Отчество", 18),
        opt("snils", "СНИЛС", 14),
        opt("documentType", "Вид документа, удостоверяющего личность", 14),
        opt("documentSeries", "Серия документа", 10),
        opt("documentNumber", "Номер документа", 12),
        opt("payerOrganization", "Плательщик — организация (ИНН)", 16, "Обязательно для плательщика — юридического лица"),
        opt("isRenter", "Является нанимателем", 10),
        req("totalArea", "Общая площадь, кв. м", 12),
        opt("residentialArea", "Жилая площадь, кв. м", 12),
        opt("heatedArea", "Отапливаемая площадь, кв. м", 12),
        opt("residentsCount", "Количество проживающих", 10),
        ans("gisGuid", "Идентификатор ЛС в ГИС ЖКХ", 38),
        ans("unifiedNumber", "Единый лицевой счет", 14),
        STATUS,
      ],
    },
    {
      name: "Помещения",
      object: "accommodation",
      columns: [
        req("accountNumber", "Номер ЛС (иной идентификатор потребителя)", 20),
        req("address", "Адрес дома", 50),
        req("fiasHouseGuid", "Глобальный уникальный идентификатор дома по ФИАС", 38),
        opt("premiseNumber", "Номер помещения", 12, "Обязателен для помещений МКД"),
        opt("roomNumber", "Номер комнаты", 12),
        req("sharePercent", "Доля внесения платы, %", 10),
        ans("utilityServiceId", "Идентификатор ЖКУ", 16),
        STATUS,
      ],
    },
  ],
};
