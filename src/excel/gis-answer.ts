/**
 * What GIS said about one row: accepted (with the identifiers it assigned) or rejected (with its
 * text). Identifiers come from the grey answer columns; when GIS put them into the status text
 * instead ("Загружено. Уникальный номер: …"), they are read from there.
 */
export interface GisAnswer {
  state: "accepted" | "rejected" | "unprocessed";
  /** GIS's status text as written. */
  text: string;
  ids: Record<string, string>;
}

const OK = /^(ок|ok|загружен|успешно|обработан|выполнен|принят|размещен)/i;
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const LABELLED: Array<[string, RegExp]> = [
  ["gisUniqueNumber", /уникальный номер[^:]*:\s*([\wА-Яа-я-]+)/i],
  ["unifiedNumber", /(?:ЕЛС|единый лицевой счет)[^:]*:\s*([\wА-Яа-я]{10})/i],
  ["utilityServiceId", /(?:ИЖКУ|идентификатор ЖКУ)[^:]*:\s*([\wА-Яа-я-]+)/i],
  ["gisPaymentDocumentId", /(?:ИПД|идентификатор платежного документа)[^:]*:\s*([\wА-Яа-я-]+)/i],
  ["gisNumber", /номер ПУ[^:]*:\s*([\wА-Яа-я-]+)/i],
];

export function readAnswer(values: Record<string, string>, answerKeys: string[]): GisAnswer {
  const text = (values.status ?? "").trim();
  const ids: Record<string, string> = {};
  for (const k of answerKeys) if (k !== "status" && values[k]?.trim()) ids[k] = values[k].trim();
  if (!text && Object.keys(ids).length === 0) return { state: "unprocessed", text, ids };
  if (text && !OK.test(text) && Object.keys(ids).length === 0) return { state: "rejected", text, ids };
  for (const [key, re] of LABELLED) {
    const m = re.exec(text);
    if (m && !ids[key] && answerKeys.includes(key)) ids[key] = m[1];
  }
  const g = GUID.exec(text);
  if (g && !ids.gisGuid && answerKeys.includes("gisGuid")) ids.gisGuid = g[0].toLowerCase();
  if (g && !ids.fiasHouseGuid && answerKeys.includes("fiasHouseGuid")) ids.fiasHouseGuid = g[0].toLowerCase();
  return { state: "accepted", text, ids };
}
