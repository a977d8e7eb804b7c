/** The kinds of deadlines a user may be reminded of by e-mail; the ids are stored in reminder_subscription.kinds. */
export const REMINDER_KINDS = ["readings", "paymentDocuments", "paymentsInfo", "certificate", "schedule"] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const REMINDER_KIND_LABELS: Record<ReminderKind, string> = {
  readings: "Окно приёма показаний ПУ",
  paymentDocuments: "Срок размещения платёжных документов",
  paymentsInfo: "Срок размещения информации о платежах",
  certificate: "Окончание действия сертификата подписи",
  schedule: "Ночное задание расписания завершилось ошибкой",
};

export function parseKinds(s: string | null | undefined): ReminderKind[] {
  return (s ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter((k): k is ReminderKind => (REMINDER_KINDS as readonly string[]).includes(k));
}
