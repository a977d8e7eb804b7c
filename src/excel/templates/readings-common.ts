import { TemplateDefinition } from "./types";
import { readingSheet } from "./readings";

/** Common-house meter readings (ОДПУ). */
export const readingsCommon: TemplateDefinition = {
  kind: "readings-common",
  title: "Импорт показаний общедомовых приборов учета",
  fileName: "импорт показаний ОДПУ",
  version: "1.0",
  gisTemplate: "Шаблон импорта показаний ОДПУ",
  sheets: [readingSheet("Показания ОДПУ", true)],
};
