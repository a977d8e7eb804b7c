/**
 * The `reminders` job: the deadlines due soon, e-mailed to each active user who subscribes to their
 * kind. Each (user, deadline) is recorded in reminder_sent before the e-mail goes, so it is sent
 * once; a failed send keeps its row without sentAt and is tried again by the next run. A user gets
 * one e-mail per run listing all their new deadlines.
 */
import { DataSource, In } from "typeorm";
import { ReminderSent, ReminderSubscription, User } from "../../entities";
import { getSetting } from "../settings/settings";
import { Deadline, listDeadlines } from "./deadlines";
import { REMINDER_KIND_LABELS, parseKinds } from "./kinds";
import { Mailer, mailerFromSettings } from "./mailer";

export interface ReminderRunResult {
  sent: number;
  failed: number;
  text: string;
}

const DAY_MS = 86_400_000;
const CERTIFICATE_DAYS = 30;

/** Is the deadline close enough to remind of now? Failed schedules: at once; certificates: 30 days ahead. */
export function isDue(d: Deadline, now: Date, daysAhead: number): boolean {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = (Date.parse(`${d.date}T00:00:00Z`) - today) / DAY_MS;
  if (d.kind === "schedule") return true;
  if (d.kind === "certificate") return days <= CERTIFICATE_DAYS;
  return days >= 0 && days <= daysAhead;
}

const ruDay = (iso: string) => iso.split("-").reverse().join(".");

export function reminderMail(list: Deadline[]): { subject: string; text: string } {
  const subject = list.length === 1 ? `Напоминание gis-sync: ${list[0].text}` : `Напоминания gis-sync: сроков — ${list.length}`;
  const lines = list.map((d) => `• ${ruDay(d.date)} — ${REMINDER_KIND_LABELS[d.kind]}: ${d.text}`);
  const text = `Здравствуйте!\n\nСроки по обмену с ГИС ЖКХ:\n\n${lines.join("\n")}\n\nСписок сроков — на странице «Сводка» веб-интерфейса gis-sync. Подписка на напоминания меняется там же, в профиле пользователя.\n`;
  return { subject, text };
}

export async function sendReminders(ds: DataSource, o: { now?: Date; mailer?: Mailer | null } = {}): Promise<ReminderRunResult> {
  const now = o.now ?? new Date();
  const subs = await ds.getRepository(ReminderSubscription).find();
  const users = new Map((await ds.getRepository(User).find({ where: { id: In(subs.map((s) => s.userId)), active: true } })).map((u) => [u.id, u]));
  const active = subs.filter((s) => users.has(s.userId) && s.email && parseKinds(s.kinds).length);
  if (!active.length) return { sent: 0, failed: 0, text: "напоминания: подписчиков нет" };
  const daysAhead = await getSetting<number>(ds, "mail.remindDaysAhead");
  const due = (await listDeadlines(ds, now)).filter((d) => isDue(d, now, daysAhead));
  // A user limited to organizations is reminded only of theirs (src/api/org-scope.ts keeps the same rule on screen).
  const theirs = new Map<number, Set<string>>();
  for (const u of users.values()) {
    const orgs = u.organizationIds?.split(",").map(Number).filter(Number.isInteger);
    if (orgs?.length) theirs.set(u.id, new Set((await listDeadlines(ds, now, orgs)).map((d) => d.key)));
  }
  const mailer = o.mailer === undefined ? await mailerFromSettings(ds) : o.mailer;
  if (!mailer) return { sent: 0, failed: 0, text: `напоминания не отправлены: не задан SMTP-сервер (mail.host); сроков к напоминанию: ${due.length}` };
  const repo = ds.getRepository(ReminderSent);
  let sent = 0;
  let failed = 0;
  let mails = 0;
  try {
    for (const s of active) {
      const kinds = parseKinds(s.kinds);
      const limit = theirs.get(s.userId);
      const mine = due.filter((d) => kinds.includes(d.kind) && (!limit || limit.has(d.key)));
      if (!mine.length) continue;
      const done = await repo.find({ where: { userId: s.userId, deadlineKey: In(mine.map((d) => d.key)) } });
      const fresh = mine.filter((d) => !done.some((r) => r.deadlineKey === d.key && r.sentAt));
      if (!fresh.length) continue;
      // Claimed before sending: a second run at the same time finds the rows and skips them.
      const claimed: ReminderSent[] = [];
      for (const d of fresh) {
        const old = done.find((r) => r.deadlineKey === d.key);
        if (old) {
          claimed.push(old);
          continue;
        }
        const row = repo.create({
          userId: s.userId,
          deadlineKey: d.key,
          kind: d.kind,
          dueDate: d.date,
          email: s.email,
          createdAt: now,
          sentAt: null,
          error: null,
        });
        // The unique (userId, deadlineKey) refuses a second claim: another run has it.
        if (
          await repo.insert(row).then(
            () => true,
            () => false,
          )
        )
          claimed.push(row);
      }
      if (!claimed.length) continue;
      const claimedKeys = new Set(claimed.map((c) => c.deadlineKey));
      fresh.splice(0, fresh.length, ...fresh.filter((d) => claimedKeys.has(d.key)));
      const mail = reminderMail(fresh);
      try {
        await mailer.transport.sendMail({ from: mailer.from, to: s.email, subject: mail.subject, text: mail.text });
        await repo.update({ id: In(claimed.map((c) => c.id)) }, { sentAt: new Date(), error: null, email: s.email });
        sent += fresh.length;
        mails++;
      } catch (e) {
        await repo.update({ id: In(claimed.map((c) => c.id)) }, { error: String((e as Error).message).slice(0, 2000) });
        failed += fresh.length;
      }
    }
  } finally {
    if (o.mailer === undefined) mailer.transport.close();
  }
  const text = `напоминания: писем ${mails}, сроков отправлено ${sent}${failed ? `, не отправлено ${failed} (повтор при следующем запуске)` : ""}`;
  return { sent, failed, text };
}
