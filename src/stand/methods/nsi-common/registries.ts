/**
 * The common GIS dictionaries (НСИ) on the stand: the ones the model uses, built in, with stable
 * GUIDs (name-based, the same on every stand and restart). An unknown registry → INT016001;
 * nothing modified after ModifiedAfter → INT002012. The request's ListGroup is not checked against
 * the registry: the stand does not model GIS's NSI/NSIRAO split. Each element carries its value as
 * a string NsiElementField (the abstract field type made concrete with xsi:type, as GIS writes it).
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { child, text } from "../../../transport/results/safe-xml";
import { nameGuid } from "../../core/guid";
import { StandError, StandRequest } from "../../types";

export const NSI_COMMON_RESULT = { service: "nsi-common" as const, resultPrefix: "nsi-common", resultVersion: "10.0.1.2" };

export interface Registry {
  number: number;
  name: string;
  group: "NSI" | "NSIRAO";
  /** [code, value] */
  elements: Array<[string, string]>;
}

/** When the built-in dictionaries were "last changed" in GIS (fixed, so answers are stable). */
export const MODIFIED = "2024-01-15T10:00:00.000+03:00";
export const PAGE = 1000;

const numbered = (values: string[]): Array<[string, string]> => values.map((v, i) => [String(i + 1), v]);

export const REGISTRIES: Registry[] = [
  {
    number: 2,
    name: "Вид коммунального ресурса",
    group: "NSI",
    elements: numbered([
      "Холодная вода",
      "Горячая вода",
      "Электрическая энергия",
      "Газ",
      "Тепловая энергия",
      "Бытовой газ в баллонах",
      "Твёрдое топливо",
      "Сточные воды",
    ]),
  },
  {
    number: 3,
    name: "Вид коммунальной услуги",
    group: "NSI",
    elements: numbered([
      "Холодное водоснабжение",
      "Горячее водоснабжение",
      "Водоотведение",
      "Электроснабжение",
      "Газоснабжение",
      "Отопление",
      "Поставка твёрдого топлива при наличии печного отопления",
      "Обращение с твёрдыми коммунальными отходами",
    ]),
  },
  { number: 16, name: "Межповерочный интервал", group: "NSI", elements: Array.from({ length: 16 }, (_, i) => [String(i + 1), `${i + 1} ${yearsWord(i + 1)}`]) },
  {
    number: 22,
    name: "Причина закрытия лицевого счета",
    group: "NSI",
    elements: numbered([
      "Окончание действия договора",
      "Смена собственника помещения",
      "Изменение реквизитов лицевого счета",
      "Объединение лицевых счетов",
      "Снос дома",
      "Ошибка ввода",
    ]),
  },
  { number: 24, name: "Состояние дома", group: "NSI", elements: numbered(["Исправный", "Ветхий", "Аварийный"]) },
  {
    number: 27,
    name: "Тип прибора учета",
    group: "NSI",
    elements: numbered(["Индивидуальный", "Общий (квартирный)", "Комнатный", "Коллективный (общедомовой)"]),
  },
  { number: 30, name: "Характеристика помещения", group: "NSI", elements: numbered(["Отдельная квартира", "Квартира коммунального заселения", "Общежитие"]) },
  {
    number: 32,
    name: "Часовые зоны по Olson",
    group: "NSI",
    elements: numbered([
      "Europe/Kaliningrad",
      "Europe/Moscow",
      "Europe/Samara",
      "Asia/Yekaterinburg",
      "Asia/Omsk",
      "Asia/Krasnoyarsk",
      "Asia/Irkutsk",
      "Asia/Yakutsk",
      "Asia/Vladivostok",
      "Asia/Magadan",
      "Asia/Kamchatka",
    ]),
  },
  {
    number: 50,
    name: "Вид жилищной услуги",
    group: "NSI",
    elements: numbered([
      "Плата за содержание жилого помещения",
      "Плата за наём",
      "Взнос на капитальный ремонт",
      "Вывоз бытовых отходов",
      "Уборка лестничных клеток",
      "Обслуживание лифта",
      "Охрана",
      "Домофон",
      "Антенна",
      "Вывоз крупногабаритного мусора",
      "Дератизация",
      "Техническое обслуживание внутридомового газового оборудования",
    ]),
  },
  {
    number: 54,
    name: "Причина расторжения договора",
    group: "NSI",
    elements: numbered([
      "Истечение срока действия договора",
      "Решение общего собрания собственников помещений",
      "Решение суда",
      "Прекращение действия лицензии",
      "Иное",
    ]),
  },
  {
    number: 58,
    name: "Основание заключения договора",
    group: "NSI",
    elements: numbered([
      "Открытый конкурс органа местного самоуправления",
      "Решение общего собрания собственников помещений",
      "Договор, заключённый застройщиком",
      "Решение органа местного самоуправления о временной управляющей организации",
    ]),
  },
  {
    // Why an entrance, premises or room is annulled (importHouseUOData AnnulmentReason).
    number: 330,
    name: "Причина аннулирования объекта жилищного фонда",
    group: "NSI",
    elements: numbered(["Ошибка ввода", "Объект снесён", "Объект разделён или объединён с другим", "Иное"]),
  },
  {
    number: 95,
    name: "Документ, удостоверяющий личность",
    group: "NSI",
    elements: numbered([
      "Паспорт гражданина Российской Федерации",
      "Свидетельство о рождении",
      "Паспорт иностранного гражданина",
      "Вид на жительство",
      "Военный билет",
      "Удостоверение личности военнослужащего",
    ]),
  },
  {
    number: 224,
    name: "Причина архивации прибора учета",
    group: "NSI",
    elements: numbered(["Истёк срок эксплуатации", "Замена прибора учёта", "Неисправность", "Ошибка ввода", "Снос дома"]),
  },
];

function yearsWord(n: number): string {
  if (n % 10 === 1 && n % 100 !== 11) return "год";
  if ([2, 3, 4].includes(n % 10) && ![12, 13, 14].includes(n % 100)) return "года";
  return "лет";
}

export function requested(req: StandRequest): { registry: Registry; modifiedAfter: number | null } {
  const number = Number(text(child(req.body, "RegistryNumber")));
  const registry = REGISTRIES.find((r) => r.number === number);
  if (!registry) throw new StandError("INT016001", `Справочник с реестровым номером ${number} не найден`);
  const after = text(child(req.body, "ModifiedAfter"));
  return { registry, modifiedAfter: after ? Date.parse(after) : null };
}

export function elements(r: Registry, modifiedAfter: number | null): Array<[string, string]> {
  const list = modifiedAfter !== null && Date.parse(MODIFIED) <= modifiedAfter ? [] : r.elements;
  if (list.length === 0) throw new StandError("INT002012", "Нет объектов для экспорта");
  return list;
}

export function element(r: Registry, [code, value]: [string, string]): XNode {
  return el(
    "nsi-base:NsiElement",
    null,
    leaf("nsi-base:Code", code),
    leaf("nsi-base:GUID", nameGuid(`nsi:${r.number}:${code}`)),
    leaf("nsi-base:Modified", MODIFIED),
    leaf("nsi-base:IsActual", "true"),
    el("nsi-base:NsiElementField", { "xsi:type": "nsi-base:NsiElementStringFieldType" }, leaf("nsi-base:Name", r.name), leaf("nsi-base:Value", value)),
  );
}

export function itemParts(r: Registry, list: Array<[string, string]>): XNode[] {
  return [leaf("nsi-base:NsiItemRegistryNumber", String(r.number)), leaf("nsi-base:Created", MODIFIED), list.map((e) => element(r, e))].flat();
}
