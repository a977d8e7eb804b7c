/**
 * Every constant an installation can set (the manual's «Настройки»), with its default, allowed
 * range and Russian label. Values are stored as JSON in the `setting` table; absent = default.
 */
import { parseRanges } from "../auth/addresses";
import { DEFAULT_FORMAT_PACKAGE, FORMAT_PACKAGES } from "../transport/schema/packages";
import { DEFAULT_POLL_DELAYS } from "../exchange/backoff";
import { batchMaximum } from "../methods/batch-limits";

export type SettingValue = string | number | boolean | null;

export interface SettingDefinition {
  key: string;
  label: string;
  group: "gis" | "import" | "exchange" | "retention" | "fias" | "signer" | "stand" | "server" | "mail" | "backup";
  default: SettingValue;
  type: "string" | "int" | "bool" | "enum";
  min?: number;
  max?: number;
  values?: readonly string[];
  /** Write-only: never returned by the API or printed (token PIN, passwords). */
  secret?: boolean;
  /** A longer explanation for the operator, in Russian. */
  help?: string;
  /**
   * Names a library or a program the server loads or runs: set only on the server itself
   * (`gis-sync settings set`), never through the web API.
   */
  serverOnly?: boolean;
  /** A further check of a string value: the problem in Russian, or null. */
  check?: (value: string) => string | null;
}

const secretSource = (v: string) => (/^(env:[A-Za-z_][A-Za-z0-9_]*|file:\/.+)$/.test(v) ? null : "ожидается env:ПЕРЕМЕННАЯ или file:/путь");

function addressList(v: string): string | null {
  try {
    parseRanges(v);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const def = (d: SettingDefinition) => d;

/**
 * A batch setting: its upper bound is the schema's, read from the method modules when the range is
 * first asked for (a getter, so the definitions load without loading every method).
 */
const batch = (d: Omit<SettingDefinition, "max"> & { max: number }): SettingDefinition => {
  const fallback = d.max;
  return Object.defineProperty({ ...d }, "max", { enumerable: true, get: () => batchMaximum(d.key) ?? fallback }) as SettingDefinition;
};

export const SETTINGS: SettingDefinition[] = [
  // «ГИС ЖКХ»
  def({ key: "gis.timeZone", label: "Часовая зона", group: "gis", default: "Europe/Moscow", type: "string" }),
  def({ key: "gis.ourOrganizationId", label: "Наша организация", group: "gis", default: null, type: "int" }),
  def({
    key: "gis.role",
    label: "Тип организации (роль в ГИС ЖКХ)",
    group: "gis",
    default: "UO",
    type: "enum",
    values: ["UO", "RSO", "TSZH", "ZHK", "ZHSK", "RC", "IS_OPERATOR"],
  }),
  def({ key: "gis.informationSystemName", label: "Информационная система (название)", group: "gis", default: "gis-sync", type: "string" }),
  def({
    key: "gis.formatPackage",
    label: "Пакет форматов ГИС ЖКХ (версия WSDL/XSD)",
    group: "gis",
    default: DEFAULT_FORMAT_PACKAGE,
    type: "enum",
    values: FORMAT_PACKAGES,
    help:
      "По какой версии форматов ГИС ЖКХ строятся запросы: каждый метод отправляет base:version, принятую в этом пакете, " +
      "и запросы проверяются по его таблице версий. 16.3.0.0 — текущие форматы (март 2026); 14.4.0.1 — прежние, для стендов и " +
      "систем, ещё не перешедших на новые. Каталог официального пакета (gis.schemaDir или GIS_SCHEMA_DIR) должен быть того же пакета.",
  }),
  def({ key: "gis.schemaDir", label: "Каталог официального пакета WSDL/XSD (пусто — встроенный)", group: "gis", default: null, type: "string" }),
  // «Импорт»
  def({ key: "import.verificationDateIsNext", label: "В дате поверки ПУ указана дата следующей поверки", group: "import", default: false, type: "bool" }),
  // Bounded input (src/util/input-bounds.ts): uploads and imported files past these are refused before they are read.
  def({ key: "import.maxUploadMb", label: "Загружаемый файл: не больше, МБ", group: "import", default: 200, type: "int", min: 1, max: 10240 }),
  def({
    key: "import.maxUnzippedMb",
    label: "Архив и книга Excel: распакованное содержимое не больше, МБ",
    group: "import",
    default: 1024,
    type: "int",
    min: 1,
    max: 65536,
  }),
  def({ key: "import.maxZipEntries", label: "Архив: файлов в нём не больше", group: "import", default: 10000, type: "int", min: 1, max: 1000000 }),
  def({ key: "import.maxSharedStrings", label: "Книга Excel: общих строк не больше", group: "import", default: 2000000, type: "int", min: 1, max: 100000000 }),
  def({ key: "import.maxSharedStringsMb", label: "Книга Excel: общие строки не больше, МБ", group: "import", default: 256, type: "int", min: 1, max: 16384 }),
  def({ key: "import.maxCsvColumns", label: "CSV: столбцов не больше", group: "import", default: 1000, type: "int", min: 1, max: 100000 }),
  def({ key: "import.maxCsvRecordKb", label: "CSV: строка файла не длиннее, КБ", group: "import", default: 1024, type: "int", min: 1, max: 1048576 }),
  // The schedule's «import» job: a folder of bundle files, or the billing database through a mapping.
  def({ key: "import.scheduleFolder", label: "Загрузка по расписанию: каталог выгрузки", group: "import", default: null, type: "string" }),
  def({
    key: "import.scheduleSqlUrl",
    label: "Загрузка по расписанию: база учётной системы (env:ПЕРЕМЕННАЯ или file:/путь с адресом)",
    group: "import",
    default: null,
    type: "string",
    serverOnly: true,
    check: secretSource,
  }),
  def({
    key: "import.scheduleSqlMap",
    label: "Загрузка по расписанию: файл соответствия mapping.json",
    group: "import",
    default: null,
    type: "string",
    serverOnly: true,
  }),
  // «Обмен с ГИС»: batch limits, with the manual's defaults where the schema allows them; the upper bound is the schema's maxOccurs.
  batch({ key: "batch.accounts", label: "Лицевые счета в одном запросе", group: "exchange", default: 100, type: "int", min: 1, max: 100 }),
  batch({ key: "batch.meters", label: "Приборы учёта в одном запросе", group: "exchange", default: 100, type: "int", min: 1, max: 100 }),
  batch({ key: "batch.readings", label: "Показания ПУ в одном запросе", group: "exchange", default: 1000, type: "int", min: 1, max: 1000 }),
  batch({ key: "batch.paymentDocuments", label: "Платёжные документы в одном запросе", group: "exchange", default: 500, type: "int", min: 1, max: 1000 }),
  batch({ key: "batch.paymentNotices", label: "Извещения об оплате в одном запросе", group: "exchange", default: 250, type: "int", min: 1, max: 1000 }),
  batch({ key: "batch.acknowledgments", label: "Квитирование в одном запросе", group: "exchange", default: 100, type: "int", min: 1, max: 1000 }),
  batch({ key: "batch.receiveReadings", label: "Получение показаний ПУ: элементов в запросе", group: "exchange", default: 100, type: "int", min: 1, max: 100 }),
  batch({
    key: "batch.receivePaymentDocuments",
    label: "Получение платёжных документов: элементов в запросе",
    group: "exchange",
    default: 1000,
    type: "int",
    min: 1,
    max: 1000,
  }),
  def({
    key: "exchange.errorPolicy",
    label: "Политика ошибок ГИС: правила поверх встроенных (JSON [{code, action, text, maxAttempts}])",
    group: "exchange",
    default: "",
    type: "string",
  }),
  // Short first polls (most answers of a small request are ready within seconds), then GIS's long tail; GIS's own advice is 10s,60s,5m,15m,30m.
  def({
    key: "exchange.pollDelays",
    label: "Интервалы опроса getState (через запятую; рекомендация ГИС: 10s,60s,5m,15m,30m)",
    group: "exchange",
    default: DEFAULT_POLL_DELAYS,
    type: "string",
  }),
  def({
    key: "exchange.learnPollTimes",
    label: "Опрашивать ближе к ожидаемому времени обработки (по истории метода)",
    group: "exchange",
    default: true,
    type: "bool",
  }),
  def({
    key: "exchange.maxPollsPerSecond",
    label: "Не более запросов getState в секунду к одной службе ГИС (0 — без ограничения)",
    group: "exchange",
    default: 50,
    type: "int",
    min: 0,
    max: 1000,
  }),
  def({
    key: "exchange.resendDelays",
    label: "Паузы перед повторной отправкой после сбоя связи или EXP001000 (через запятую: 10s,60s,5m,15m)",
    group: "exchange",
    default: "10s,60s,5m,15m",
    type: "string",
  }),
  def({
    key: "exchange.unreachableSeconds",
    label: "Через сколько секунд без ответа стенда ГИС ЖКХ запуск обмена прекращается с сообщением",
    group: "exchange",
    default: 180,
    type: "int",
    min: 1,
    max: 86400,
  }),
  def({
    key: "exchange.maxInFlightPerOrganization",
    label: "Не более операций одной организации в обработке ГИС одновременно (0 — без ограничения)",
    group: "exchange",
    default: 100,
    type: "int",
    min: 0,
    max: 100000,
    help: "Расчётный центр отправляет за многие организации: крупная не занимает весь поток обмена, остальные идут рядом.",
  }),
  def({ key: "exchange.maxWaitHours", label: "Сколько часов ждать результата операции", group: "exchange", default: 24, type: "int", min: 1, max: 168 }),
  def({
    key: "exchange.verboseLog",
    label: "Подробное логирование",
    group: "exchange",
    default: false,
    type: "bool",
    help:
      "Уровень журнала сервера debug вместо info: видны каждый запрос к ГИС, опрос и переход операции. " +
      "Действует на веб-сервер сразу, на процессы обмена — с их следующего запуска. Переменная LOG_LEVEL важнее этой настройки.",
  }),
  def({
    key: "kvit.automaticInGis",
    label:
      "В ГИС ЖКХ включено автоматическое квитирование (личный кабинет, «Настройки организации»): оплату, равную сумме платёжного документа, ГИС квитирует сама",
    group: "exchange",
    default: true,
    type: "bool",
  }),
  def({
    key: "payments.asExecutor",
    label: "Оплату наших касс размещать как исполнитель услуг (importSupplierNotificationsOfOrderExecution), а не как платёжный агент",
    group: "exchange",
    default: false,
    type: "bool",
  }),
  def({
    key: "payments.checkDocumentDetails",
    label: "Перед размещением оплаты сверять реквизиты платёжного документа с ГИС (exportPaymentDocumentDetails)",
    group: "exchange",
    default: false,
    type: "bool",
  }),
  def({
    key: "pipeline.overlap",
    label: "Этапы обмена по домам внахлёст: ЛС дома отправляются, как только размещён дом, ПУ — как только его ЛС, и т. д.",
    group: "exchange",
    default: true,
    type: "bool",
    help:
      "Дома запуска делятся на группы (по числу ЛС в одном запросе); каждая группа проходит этапы fund → accounts → meters → " +
      "readings → bills сама, не дожидаясь остальных. Порядок ГИС для каждого объекта сохраняется. Выключено — этап начинается, " +
      "когда закончен предыдущий по всем домам.",
  }),
  def({
    key: "pipeline.maxInFlight",
    label: "Запросов одного запуска в работе у ГИС одновременно (0 — без ограничения)",
    group: "exchange",
    default: 200,
    type: "int",
    min: 0,
    max: 100000,
    help: "Отправленные и ещё не применённые операции одного запуска. Остальные ждут, пока ГИС ответит на отправленные; 1 — строго по одному запросу.",
  }),
  def({
    key: "exchange.omitPremiseAreasForRso",
    label: "Не размещать в ГИС площади помещений (только для РСО)",
    group: "exchange",
    default: false,
    type: "bool",
  }),
  // Retention: the manual's defaults, 30 days or 10,000 records.
  def({ key: "retention.queueDays", label: "Очередь заданий: хранить дней", group: "retention", default: 30, type: "int", min: 1, max: 3650 }),
  def({ key: "retention.queueRecords", label: "Очередь заданий: не более записей", group: "retention", default: 10000, type: "int", min: 100, max: 10000000 }),
  def({ key: "retention.messagesDays", label: "Сообщения / лог: хранить дней", group: "retention", default: 30, type: "int", min: 1, max: 3650 }),
  def({
    key: "retention.messagesRecords",
    label: "Сообщения / лог: не более записей",
    group: "retention",
    default: 10000,
    type: "int",
    min: 100,
    max: 10000000,
  }),
  def({ key: "retention.archiveDays", label: "Архив запросов и ответов: хранить дней", group: "retention", default: 30, type: "int", min: 1, max: 36500 }),
  def({
    key: "retention.archiveRecords",
    label: "Архив запросов и ответов: не более записей",
    group: "retention",
    default: 1000000,
    type: "int",
    min: 1000,
    max: 1000000000,
  }),
  def({ key: "retention.historyDays", label: "История действий: хранить дней", group: "retention", default: 365, type: "int", min: 1, max: 36500 }),
  // Signature: where the organization's key lives.
  def({
    key: "signer.kind",
    label: "Подпись: программный ключ, токен PKCS#11 или внешняя программа",
    group: "signer",
    default: "software",
    type: "enum",
    values: ["software", "pkcs11", "command"],
  }),
  def({ key: "signer.keyFile", label: "Подпись: файл ключа (PKCS#8 PEM)", group: "signer", default: null, type: "string" }),
  def({ key: "signer.certFile", label: "Подпись: файл сертификата (PEM)", group: "signer", default: null, type: "string" }),
  def({ key: "signer.pkcs11Library", label: "Токен: путь к библиотеке PKCS#11", group: "signer", default: null, type: "string", serverOnly: true }),
  def({ key: "signer.tokenLabel", label: "Токен: метка", group: "signer", default: null, type: "string" }),
  def({ key: "signer.keyId", label: "Токен: идентификатор ключа (hex)", group: "signer", default: null, type: "string" }),
  def({ key: "signer.pinSource", label: "Токен: PIN — env:ПЕРЕМЕННАЯ или file:/путь", group: "signer", default: null, type: "string", secret: true }),
  def({
    key: "signer.command",
    label: "Внешняя программа подписи (данные на stdin, подпись на stdout)",
    group: "signer",
    default: null,
    type: "string",
    serverOnly: true,
  }),
  // Transport to the stand.
  def({
    key: "transport.mode",
    label: "Соединение с ГИС: proxy (локальный ГОСТ TLS-прокси), basic (тестовые стенды), direct (PKCS#12), plain",
    group: "gis",
    default: "proxy",
    type: "enum",
    values: ["proxy", "basic", "direct", "plain"],
  }),
  def({
    key: "transport.certFingerprint",
    label: "Отпечаток сертификата (SHA-1) для заголовка X-Client-Cert-Fingerprint",
    group: "gis",
    default: null,
    type: "string",
  }),
  def({ key: "transport.basicUser", label: "Тестовый стенд: пользователь Basic", group: "gis", default: null, type: "string" }),
  def({
    key: "transport.basicPasswordSource",
    label: "Тестовый стенд: пароль Basic — env:ПЕРЕМЕННАЯ или file:/путь",
    group: "gis",
    default: null,
    type: "string",
    secret: true,
  }),
  def({ key: "transport.timeoutSeconds", label: "Ожидание ответа ГИС, секунд", group: "gis", default: 180, type: "int", min: 10, max: 900 }),
  // Worker pools: the manual's «отправка запросов: не более N процессов», «получение ответов»…
  def({ key: "workers.send", label: "Отправка запросов: не более N одновременно", group: "exchange", default: 4, type: "int", min: 1, max: 50 }),
  def({ key: "workers.poll", label: "Получение ответов: не более N одновременно", group: "exchange", default: 8, type: "int", min: 1, max: 100 }),
  def({ key: "workers.prepare", label: "Формирование запросов: процессов", group: "exchange", default: 1, type: "int", min: 1, max: 16 }),
  def({
    key: "workers.jobLockSeconds",
    label: "Через сколько секунд задание упавшего процесса передаётся другому",
    group: "exchange",
    default: 30,
    type: "int",
    min: 1,
    max: 600,
  }),
  def({
    key: "workers.sweepSeconds",
    label: "Проверка незавершённых операций (восстановление после сбоев), раз в N секунд",
    group: "exchange",
    default: 15,
    type: "int",
    min: 1,
    max: 3600,
  }),
  def({ key: "workers.apply", label: "Обработка ответов: процессов", group: "exchange", default: 2, type: "int", min: 1, max: 16 }),
  // The server: who may say where a request came from, and who may read /metrics besides 127.0.0.1.
  def({
    key: "server.trustedProxies",
    label: "Доверенные обратные прокси: адреса или подсети через запятую (адрес клиента берётся из X-Forwarded-For только от них)",
    group: "server",
    default: "",
    type: "string",
    check: addressList,
  }),
  def({
    key: "server.metricsTokenSource",
    label: "Токен доступа к /metrics (Authorization: Bearer) — env:ПЕРЕМЕННАЯ или file:/путь",
    group: "server",
    default: null,
    type: "string",
    secret: true,
    check: secretSource,
  }),
  // «Почта»: reminders of deadlines by e-mail (src/reminders/).
  def({ key: "mail.host", label: "SMTP-сервер (пусто — письма не отправляются)", group: "mail", default: null, type: "string" }),
  def({ key: "mail.port", label: "SMTP: порт", group: "mail", default: 587, type: "int", min: 1, max: 65535 }),
  def({
    key: "mail.secure",
    label: "SMTP: TLS с самого начала (порт 465); иначе STARTTLS, когда сервер его предлагает",
    group: "mail",
    default: false,
    type: "bool",
  }),
  def({ key: "mail.user", label: "SMTP: пользователь (пусто — без входа)", group: "mail", default: null, type: "string" }),
  def({
    key: "mail.passwordSource",
    label: "SMTP: пароль — env:ПЕРЕМЕННАЯ или file:/путь",
    group: "mail",
    default: null,
    type: "string",
    secret: true,
    check: secretSource,
  }),
  def({
    key: "mail.from",
    label: "Адрес отправителя (From)",
    group: "mail",
    default: "gis-sync@localhost",
    type: "string",
    check: (v) => (/^[^\s@]+@[^\s@]+$|<[^\s@]+@[^\s@]+>$/.test(v) ? null : "ожидается адрес e-mail"),
  }),
  def({
    key: "mail.remindDaysAhead",
    label: "Напоминать о сроке за дней",
    group: "mail",
    default: 3,
    type: "int",
    min: 0,
    max: 60,
    help: "Срок попадает в письмо, когда до него осталось не больше стольких дней; окончание сертификата — за 30 дней. Каждый срок приходит каждому подписчику один раз.",
  }),
  // «Резервные копии»: the `backup` job type (src/backup/scheduled.ts).
  def({
    key: "backup.folder",
    label: "Папка резервных копий (пусто — <GIS_SYNC_HOME>/backups)",
    group: "backup",
    default: null,
    type: "string",
    serverOnly: true,
  }),
  def({ key: "backup.keep", label: "Хранить последних копий", group: "backup", default: 7, type: "int", min: 1, max: 1000 }),
  // «ФИАС»
  def({ key: "fias.regionCode", label: "Код региона", group: "fias", default: null, type: "string" }),
  def({ key: "fias.mainSettlementGuid", label: "ГУИД основного населённого пункта", group: "fias", default: null, type: "string" }),
];

export function settingDefinition(key: string): SettingDefinition {
  const d = SETTINGS.find((s) => s.key === key);
  if (!d) throw new Error(`Unknown setting "${key}"`);
  return d;
}
