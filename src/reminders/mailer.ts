/** The SMTP client (nodemailer) from the «Почта» settings; the password comes from its secret source, never stored. */
import nodemailer, { Transporter } from "nodemailer";
import { DataSource } from "typeorm";
import { getSetting } from "../settings/settings";
import { readSecret } from "../util/secrets";

export interface Mailer {
  from: string;
  transport: Transporter;
}

/** null when no SMTP server is set (mail.host empty): reminders are then only on the dashboard. */
export async function mailerFromSettings(ds: DataSource): Promise<Mailer | null> {
  const host = await getSetting<string | null>(ds, "mail.host");
  if (!host) return null;
  const user = await getSetting<string | null>(ds, "mail.user");
  const source = await getSetting<string | null>(ds, "mail.passwordSource");
  const pass = user && source ? await readSecret(source, "пароль SMTP") : undefined;
  const transport = nodemailer.createTransport({
    host,
    port: await getSetting<number>(ds, "mail.port"),
    secure: await getSetting<boolean>(ds, "mail.secure"),
    auth: user ? { user, pass } : undefined,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return { from: await getSetting<string>(ds, "mail.from"), transport };
}
