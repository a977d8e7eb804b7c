import { STATUS, TemplateDefinition, ans, opt, req } from "./types";

/** Requests to add a temporary address for houses that FIAS does not know (yet). */
export const tempAddresses: TemplateDefinition = {
  kind: "temp-addresses",
  title: "Заявки на добавление временных адресов",
  fileName: "заявки на добавление временных адресов",
  version: "1.0",
  gisTemplate: "Шаблон заявки на добавление адреса в ГИС ЖКХ",
  sheets: [
    {
      name: "Заявки на добавление адреса",
      object: "temp_address",
      columns: [
        req("region", "Субъект РФ", 24),
        opt("district", "Район", 20),
        req("settlement", "Город / населенный пункт", 22),
        opt("street", "Улица", 24),
        req("houseNumber", "Номер дома", 10),
        opt("building", "Корпус", 8),
        opt("structure", "Строение", 8),
        req("oktmo", "Код ОКТМО", 14),
        opt("cadastralNumber", "Кадастровый номер", 20),
        req("address", "Адрес в учетной системе", 50),
        ans("fiasHouseGuid", "Идентификатор временного адреса (ГУИД)", 38),
        STATUS,
      ],
    },
  ],
};
