/**
 * The error codes and texts the stand answers with. Where GIS's code and text are known (from
 * shared/reference/gis-behaviour.md and the desktop product's manual) they are GIS's, word for
 * word. GIS publishes no catalogue for the rest, so the stand uses a code of the same family (SRV =
 * business rule of a service; 004 house-management fund, 006 meters, 008 bills, 009 payments) and
 * says so here — clients must treat them as "a business rule refused the item", not rely on the number.
 */

export interface GisErrorText {
  code: string;
  description: string;
}

const e = (code: string, description: string): GisErrorText => ({ code, description });

/** Known GIS codes. */
export const GIS = {
  /** "no objects found" for an export — an empty result, not a failure. */
  noObjects: () => e("INT002012", "Нет объектов для экспорта"),
  /** A GUID the registry does not know. */
  notFound: (what: string, guid: string) => e("INT002000", `Объект не найден: ${what} с идентификатором ${guid}`),
  /** An РСО sending areas of premises. */
  areaForbidden: () => e("INT004153", "Для текущей роли запрещено редактировать значение площади (TotalArea)"),
  /** Payment document withdrawn a second time. */
  alreadyWithdrawn: (id: string) => e("SRV008070", `Платежный документ ${id} уже отозван`),
  /**
   * INT008255 (16.x formats, importAccountRequest): since 15.11 Accommodation is optional in the schema — it is
   * ignored when the account is being closed — and this control requires it otherwise. GIS publishes the
   * code, not its text; the text is the stand's.
   */
  accommodationRequired: () =>
    e("INT008255", "Не указано помещение лицевого счета (Accommodation): помещение, комната или дом обязательны, если лицевой счет не закрывается"),
  /**
   * SRV008203 (since 15.6.0.1, importPaymentDocumentRequest): a check GIS names in the changelog without saying
   * what it checks; the stand has no rule that raises it, it is here so rules and tests use GIS's number.
   */
  paymentDocumentRefused: (detail: string) => e("SRV008203", `Платежный документ не прошел контроль: ${detail}`),
  /** Services of a payment document that no approved contract/charter of the sender has for the house. */
  servicesNotInContract: (names: string) =>
    e("SRV008076", `Некорректный набор услуг в платежном документе: услуги ${names} отсутствуют в утвержденном договоре (уставе) по дому`),
} as const;

/** Codes chosen by the stand (see the file comment). */
export const STAND = {
  /** A house placed by an organization with no approved, running contract/charter covering it. */
  houseNotManaged: (fias: string) =>
    e("SRV004001", `Дом ${fias} отсутствует в утвержденных действующих договорах управления (уставах) или договорах ресурсоснабжения организации`),
  /** Approval of a contract that is not waiting for it. */
  contractNotApprovable: (status: string) => e("SRV004002", `Утверждение невозможно: договор в статусе ${status}`),
  /** A supply resource contract without objects (it needs its houses to be of use). */
  contractWithoutObjects: () => e("SRV004003", "Не указаны объекты жилищного фонда договора ресурсоснабжения (ObjectAddress)"),
  /** A second premises (or room) with the same number in the house (premises). */
  numberTaken: (what: string, number: string) => e("SRV004006", `${what} с номером ${number} уже размещено в доме; для изменения укажите его идентификатор`),
  /** A change of (or an account on) an entrance, premises or room annulled in GIS. */
  fundObjectAnnulled: (what: string, number: string) => e("SRV004007", `${what} ${number} аннулировано в ГИС ЖКХ, изменение невозможно`),
  /** An account that names no premises, room or house: GIS's own code is known now (INT008255). */
  accountWithoutAccommodation: () => GIS.accommodationRequired(),
  /** Closing an account twice. */
  accountClosed: (els: string) => e("SRV004005", `Лицевой счет ${els} закрыт, изменение невозможно`),
  /** A second meter with the same factory number for the same resource in the house. */
  meterNumberTaken: (number: string, resource: string) =>
    e("SRV006001", `Прибор учета с заводским номером ${number} по коммунальному ресурсу ${resource} уже размещен в доме`),
  /** A meter for a resource the sender's contract/charter does not supply in that house. */
  meterServiceNotInContract: (resource: string) =>
    e("SRV006002", `Коммунальная услуга по ресурсу ${resource} отсутствует в договоре управления (уставе) или договоре ресурсоснабжения по дому`),
  /** Replacing a meter by itself or by one in the archive. */
  meterReplacementInvalid: () => e("SRV006004", "Заменяющий прибор учета должен быть другим действующим прибором учета"),
  /** Correcting all characteristics (UpdateBeforeDevicesValues) of a meter GIS already has readings of. */
  meterHasReadings: () => e("SRV006005", "По прибору учета внесены показания: изменение характеристик возможно только в UpdateAfterDevicesValues"),
  /** Changing a meter that is in the archive. */
  meterArchived: () => e("SRV006003", "Прибор учета находится в архиве, изменение невозможно"),
  /** Requisites that fail the Russian bank account check digit against the BIK. */
  badRequisites: (bik: string, account: string) => e("SRV008001", `Платежные реквизиты не найдены или некорректны: БИК ${bik}, расчетный счет ${account}`),
  /** Payment document of a closed account. */
  accountNotActive: (guid: string) => e("SRV008002", `Лицевой счет ${guid} закрыт`),
  /** The same OrderID notified twice. */
  orderIdTaken: (orderId: string) => e("SRV009001", `Извещение о принятии к исполнению распоряжения с OrderID ${orderId} уже размещено`),
  /** Cancelling a notification that is already cancelled. */
  orderCancelled: (orderId: string) => e("SRV009002", `Извещение с OrderID ${orderId} уже аннулировано`),
  /** Kvitirovanie that would take a notice beyond its amount. */
  ackBeyondAmount: (orderId: string) => e("SRV009003", `Сумма квитирования превышает сумму извещения с OrderID ${orderId}`),
  /** AckCancellation of a document the notice is not acknowledged with. */
  nothingToCancel: (orderId: string, document: string) => e("SRV009004", `Извещение с OrderID ${orderId} не сквитировано с платежным документом ${document}`),
} as const;

/** SRV007013 — readings outside the window, in GIS's words (the manual's example). */
export function readingsWindowClosed(collective: boolean, month: number, year: number, from: string, to: string, utc: string): GisErrorText {
  const kind = collective ? "коллективным (общедомовым)" : "индивидуальным";
  return e(
    "SRV007013",
    `Истек период сдачи текущих показаний по ${kind} приборам учета за ${month} ${year} г. ` +
      `Сдача показаний по ${kind} приборам учета возможна в период с ${from} по ${to} по часовому поясу, в котором расположен дом (${utc})`,
  );
}
