import { STATUS, TemplateDefinition, ans, opt, req } from "./types";

/** Payment documents (платёжные документы) of a month with their service lines. */
export const paymentDocuments: TemplateDefinition = {
  kind: "payment-documents",
  title: "Импорт платежных документов",
  fileName: "импорт платежных документов",
  version: "1.0",
  gisTemplate: "Шаблон импорта платежных документов",
  sheets: [
    {
      name: "Платежные документы",
      object: "payment_document",
      columns: [
        req("accountNumber", "Номер ЛС", 16),
        opt("unifiedNumber", "Единый лицевой счет", 14),
        req("address", "Адрес", 50),
        req("period", "Расчетный период (ММ.ГГГГ)", 12),
        req("documentNumber", "Номер платежного документа", 18),
        req("totalPayable", "Сумма к оплате, руб.", 12),
        opt("debt", "Задолженность за предыдущие периоды, руб.", 12),
        opt("advance", "Аванс на начало периода, руб.", 12),
        req("bankBik", "БИК банка", 12),
        req("operatingAccount", "Расчетный счет", 22),
        ans("gisPaymentDocumentId", "Идентификатор платежного документа", 22),
        ans("gisGuid", "ГУИД платежного документа", 38),
        STATUS,
      ],
    },
    {
      name: "Начисления",
      object: "payment_document_line",
      columns: [
        req("documentNumber", "Номер платежного документа", 18),
        req("service", "Услуга", 30),
        opt("volume", "Объем", 12),
        opt("tariff", "Тариф, руб.", 12),
        req("charged", "Начислено, руб.", 12),
        opt("recalculation", "Перерасчеты, руб.", 12),
        req("total", "Итого к оплате, руб.", 12),
        STATUS,
      ],
    },
  ],
};
