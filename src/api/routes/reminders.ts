/**
 * Reminders of deadlines by e-mail: a user's own subscription (profile), an administrator's view of
 * anyone's (users screen), and «Разослать сейчас». E-mail addresses are personal data: audited as
 * "changed", never written into the audit details.
 */
import { DataSource } from "typeorm";
import { ReminderSubscription, User } from "../../../entities";
import { audit } from "../audit";
import { Body, badRequest, notFound } from "../http";
import { Route } from "../router";
import { REMINDER_KINDS, REMINDER_KIND_LABELS, parseKinds } from "../../reminders/kinds";
import { sendReminders } from "../../reminders/send";
import { idParam } from "./houses";

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

const available = REMINDER_KINDS.map((id) => ({ id, label: REMINDER_KIND_LABELS[id] }));

async function view(ds: DataSource, userId: number) {
  const s = await ds.getRepository(ReminderSubscription).findOneBy({ userId });
  return { userId, email: s?.email ?? null, kinds: parseKinds(s?.kinds), available };
}

async function save(ds: DataSource, userId: number, b: Body) {
  const email = b.str("email", { max: 200, pattern: EMAIL, hint: "ожидается адрес e-mail вида name@example.ru" });
  const kinds = b.strList("kinds", { values: REMINDER_KINDS }) ?? [];
  if (kinds.length && !email) throw badRequest("Напоминания, поле email: без адреса напоминания некуда отправлять");
  const repo = ds.getRepository(ReminderSubscription);
  if (!email) await repo.delete({ userId });
  else await repo.save({ userId, email, kinds: kinds.join(","), updatedAt: new Date() });
  return view(ds, userId);
}

const body = {
  email: { type: "string" as const, description: "Адрес e-mail (пусто — отписаться от всего)" },
  kinds: { type: "array" as const, items: "string" as const, description: `Виды напоминаний: ${REMINDER_KINDS.join(", ")}` },
};

export const reminderRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/reminders/subscription",
    access: "accountant",
    tag: "Напоминания",
    summary: "Моя подписка на напоминания о сроках по e-mail",
    handler: async (ctx) => view(ctx.ds, ctx.user!.id),
  },
  {
    method: "PUT",
    path: "/api/reminders/subscription",
    access: "accountant",
    tag: "Напоминания",
    summary: "Изменить мою подписку: адрес e-mail и виды напоминаний",
    body,
    handler: async (ctx) => {
      const r = await save(ctx.ds, ctx.user!.id, ctx.json("Напоминания"));
      await audit(ctx.ds, ctx.actor, "reminders.subscribe", `user:${ctx.user!.login}`, { kinds: r.kinds });
      return r;
    },
  },
  {
    method: "GET",
    path: "/api/users/{id}/reminders",
    access: "admin",
    tag: "Напоминания",
    summary: "Подписка пользователя на напоминания",
    handler: async (ctx) => {
      const u = await ctx.ds.getRepository(User).findOneBy({ id: idParam(ctx.params.id, "Пользователь") });
      if (!u) throw notFound(`Пользователь ${ctx.params.id}`);
      return view(ctx.ds, u.id);
    },
  },
  {
    method: "PUT",
    path: "/api/users/{id}/reminders",
    access: "admin",
    tag: "Напоминания",
    summary: "Изменить подписку пользователя на напоминания",
    body,
    handler: async (ctx) => {
      const u = await ctx.ds.getRepository(User).findOneBy({ id: idParam(ctx.params.id, "Пользователь") });
      if (!u) throw notFound(`Пользователь ${ctx.params.id}`);
      const r = await save(ctx.ds, u.id, ctx.json(`Напоминания пользователя «${u.login}»`));
      await audit(ctx.ds, ctx.actor, "reminders.subscribe", `user:${u.login}`, { kinds: r.kinds });
      return r;
    },
  },
  {
    method: "POST",
    path: "/api/reminders/send",
    access: "admin",
    tag: "Напоминания",
    summary: "Разослать напоминания сейчас (то же, что задание расписания reminders): каждому подписчику — каждый срок один раз",
    handler: async (ctx) => {
      const r = await sendReminders(ctx.ds);
      await audit(ctx.ds, ctx.actor, "reminders.send", null, { sent: r.sent, failed: r.failed });
      return r;
    },
  },
];
