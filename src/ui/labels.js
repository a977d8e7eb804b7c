// Russian words for every value an operator reads: one table per kind of value, one `label(kind, v)`
// to look them up (the raw value comes back when a word is missing, so nothing disappears), dates in
// Moscow time as дд.мм.гггг чч:мм, and a comparison that sorts codes 1, 2, 10, 11.

export const LABELS = {
  orgRole: {
    UO: "Управляющая организация",
    RSO: "Ресурсоснабжающая организация",
    TSZH: "ТСЖ",
    ZHK: "ЖК",
    ZHSK: "ЖСК",
    RC: "Расчётный центр",
    IS_OPERATOR: "Оператор ИС",
  },
  accountType: {
    UO: "ЛС управляющей организации",
    RSO: "ЛС ресурсоснабжающей организации",
    KR: "ЛС капремонта",
    RC: "ЛС расчётного центра",
    OGV_OMS: "ЛС ОГВ / ОМС",
    TKO: "ЛС по обращению с ТКО",
  },
  userRole: { accountant: "бухгалтер", operator: "оператор", admin: "администратор" },
  houseType: { MKD: "многоквартирный", ZHD: "жилой дом" },
  premiseKind: { residential: "жилое", non_residential: "нежилое", common: "общее имущество" },
  serviceKind: { housing: "жилищная", municipal: "коммунальная", additional: "дополнительная", capital_repair: "капремонт" },
  meterType: { individual: "индивидуальный", common_house: "общедомовой", collective: "коллективный", room: "комнатный" },
  readingSource: { billing: "из расчётов", citizen: "от жителя", control: "контрольное", verification: "при поверке" },
  contractKind: { management: "Договор управления", supply: "Договор ресурсоснабжения", charter: "Устав" },
  paymentDocumentState: { to_issue: "к выставлению", issued: "выставлен", to_withdraw: "к отзыву", withdrawn: "отозван" },
  acknowledgmentState: { pending: "ожидает", acknowledged: "сквитировано", to_cancel: "к отмене", cancelled: "отменено", impossible: "невозможно" },
  runState: { running: "выполняется", done: "успешно", done_with_errors: "с ошибками", failed: "не выполнен", cancelled: "отменён", waiting: "ожидает" },
  importState: { running: "выполняется", ok: "успешно", ok_with_errors: "успешно, с ошибками", failed: "сбой" },
  operationState: {
    created: "создана",
    validated: "проверена",
    signed: "подписана",
    sent: "отправлена",
    processing: "в обработке в ГИС",
    reconciling: "сверка",
    done: "ответ обработан",
    done_with_errors: "обработан, есть ошибки",
    failed: "ошибка",
    cancelled: "отменена",
  },
  syncStatus: { not_sent: "не выгружалось", in_progress: "в обработке", ok: "выгружено", ok_nested_errors: "выгружено, ошибки во вложенных", error: "ошибка" },
  stage: {
    services: "Услуги и НСИ",
    contracts: "Договоры",
    fund: "Жилой фонд",
    accounts: "Лицевые счета",
    meters: "Приборы учёта",
    readings: "Показания",
    bills: "Платёжные документы",
    payments: "Платежи",
    kvitirovanie: "Квитирование",
  },
  stand: { prod: "промышленный", sit01: "тестовый SIT-01", sit02: "тестовый SIT-02", local: "встроенный" },
  queue: { prepare: "формирование", send: "отправка", poll: "получение ответов", apply: "обработка ответов" },
  archiveKind: {
    request: "Запрос",
    signed_request: "Подписанный запрос",
    ack: "Квитанция о приёме",
    state: "Ответ getState",
    result: "Результат",
    fault: "Ошибка SOAP",
  },
  mode: { sync: "Синхронизировать", push: "Отправить изменения", pull: "Запросить из ГИС" },
  runMode: { sync: "Синхронизация", push: "Отправка изменений", pull: "Запрос из ГИС" },
  auditAction: {
    login: "вход",
    "login.failed": "неудачный вход",
    logout: "выход",
    "password.change": "смена пароля",
    "run.start": "запуск обмена",
    "run.cancel": "остановка обмена",
    "operation.retry": "повтор операции",
    "operation.cancel": "отмена операции",
    "archive.export": "выгрузка архива XML",
    "queue.clear": "очистка очереди",
    "setting.change": "изменение настройки",
    "workers.stop-all": "остановка рабочих процессов",
    "workers.start-all": "запуск рабочих процессов",
    "schedule.run": "запуск расписания вручную",
    "schedule.add": "новое расписание",
    "schedule.change": "изменение расписания",
    "schedule.remove": "удаление расписания",
    "user.add": "новый пользователь",
    "user.change": "изменение пользователя",
    "contract.attachment.add": "вложение к договору",
    "contract.attachment.remove": "удаление вложения договора",
    "contract.objects.add": "объекты договора",
    "import.upload": "загрузка выгрузки",
    "excel.export": "выгрузка шаблона Excel",
    "excel.import-ids": "загрузка идентификаторов ГИС",
    "fias.code": "простановка ФИАС",
  },
  // Keys of audit details, so «{"from":1,"to":2}» reads as «было: 1; стало: 2».
  detailKey: {
    from: "было",
    to: "стало",
    via: "через",
    ip: "адрес",
    role: "роль",
    name: "название",
    jobType: "задание",
    stand: "стенд",
    mode: "режим",
    stages: "этапы",
    runId: "запуск",
    method: "метод",
    active: "активен",
    displayName: "имя",
    passwordHash: "пароль",
    secret: "секрет",
    set: "задан",
    organizationId: "организация",
    houseIds: "дома",
    count: "количество",
    file: "файл",
    reason: "причина",
  },
  attemptOutcome: { pending: "ожидает ответа", cancelled: "отменено", skipped: "пропущено", unknown: "неизвестно" },
  trigger: { api: "веб-интерфейс", cli: "командная строка", schedule: "по расписанию", reconcile: "сверка" },
  via: { web: "веб-интерфейс", cli: "командная строка" },
};

/** The Russian word for a value of the given kind; the value itself when there is none. */
export function label(kind, v) {
  if (v === null || v === undefined || v === "") return "";
  return LABELS[kind]?.[v] ?? String(v);
}

/** `<option>` pairs [value, word] for a select. */
export const options = (kind) => Object.entries(LABELS[kind] ?? {});

const MSK = new Intl.DateTimeFormat("ru-RU", {
  timeZone: "Europe/Moscow",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/**
 * A moment as дд.мм.гггг чч:мм in Moscow time. A string without a zone (SQLite's "2026-12-01 21:00:00")
 * is UTC, as the server writes it: read naively it would be local time and show hours early.
 */
export function fmtTime(v) {
  if (!v) return "";
  let s = v;
  if (typeof s === "string" && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s = `${s.replace(" ", "T")}Z`;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? String(v) : MSK.format(d).replace(", ", "\u00a0");
}

const collator = new Intl.Collator("ru", { numeric: true, sensitivity: "base" });
/** Sorts codes and names the way people count: 1, 2, 10, 11; 1.2 before 1.10. */
export const byCode = (a, b) => collator.compare(String(a ?? ""), String(b ?? ""));

/** Audit or run details as «ключ: значение; …» instead of raw JSON. */
export function readableDetails(details) {
  let d = details;
  if (typeof d === "string") {
    try {
      d = JSON.parse(d);
    } catch {
      return d;
    }
  }
  if (d === null || d === undefined) return "";
  if (typeof d !== "object") return String(d);
  return Object.entries(d)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => {
      const word = LABELS.detailKey[k] ?? k;
      const value =
        k === "via"
          ? label("via", v)
          : k === "stand"
            ? label("stand", v)
            : k === "role"
              ? label("userRole", v)
              : k === "stages" && Array.isArray(v)
                ? v.map((s) => label("stage", s)).join(", ")
                : typeof v === "boolean"
                  ? v
                    ? "да"
                    : "нет"
                  : Array.isArray(v)
                    ? v.join(", ")
                    : typeof v === "object"
                      ? readableDetails(v)
                      : String(v);
      return `${word}: ${value}`;
    })
    .join("; ");
}
