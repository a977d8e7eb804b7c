import { STATUS, TemplateDefinition, ans, opt, req } from "./types";

/** Detached living houses (ЖД) and their rooms. */
export const zhd: TemplateDefinition = {
  kind: "zhd",
  title: "Импорт сведений о жилых домах",
  fileName: "импорт сведений о ЖД",
  version: "1.0",
  gisTemplate: "Шаблон импорта сведений о ЖД",
  sheets: [
    {
      name: "Характеристики ЖД",
      object: "house",
      columns: [
        req("address", "Адрес ЖД", 50),
        req("fiasHouseGuid", "Глобальный уникальный идентификатор дома по ФИАС", 38),
        req("oktmo", "Код ОКТМО", 14),
        req("state", "Состояние", 14),
        req("totalArea", "Общая площадь здания", 12),
        opt("commissionedYear", "Год ввода в эксплуатацию", 10),
        req("floors", "Количество этажей", 10),
        req("timeZone", "Часовая зона по Olson", 16),
        opt("culturalHeritage", "Наличие статуса объекта культурного наследия", 12),
        opt("cadastralNumber", "Кадастровый номер", 20),
        ans("gisUniqueNumber", "Уникальный номер дома", 20),
        ans("gisGuid", "Идентификатор дома в ГИС ЖКХ", 38),
        STATUS,
      ],
    },
    {
      name: "Комнаты",
      object: "room",
      columns: [
        req("address", "Адрес ЖД", 50),
        req("fiasHouseGuid", "Глобальный уникальный идентификатор дома по ФИАС", 38),
        req("roomNumber", "Номер комнаты", 12),
        req("area", "Площадь комнаты", 12),
        opt("cadastralNumber", "Кадастровый номер", 20),
        ans("gisUniqueNumber", "Уникальный номер комнаты", 20),
        ans("gisGuid", "Идентификатор комнаты в ГИС ЖКХ", 38),
        STATUS,
      ],
    },
  ],
};
