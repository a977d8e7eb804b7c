/**
 * Deadlines the operator must not miss: the contracts' readings windows, payment documents' and
 * payments information placement days, the signing certificates' expiry, schedules whose last
 * start failed. Listed on the dashboard and e-mailed to subscribers (src/reminders/send.ts); each
 * has a key naming it exactly, so a reminder of it is sent once.
 */
import fs from "node:fs";
import { DataSource, Not } from "typeorm";
import { Contract, OrganizationSigner, Schedule } from "../../entities";
import { readCertificateFile } from "../api/signer-check";
import { getSetting } from "../settings/settings";
import { ReminderKind } from "./kinds";

export interface Deadline {
  kind: ReminderKind;
  /** The day it falls on, YYYY-MM-DD. */
  date: string;
  text: string;
  /** Identity of this deadline (kind, date, what): one reminder per key per user. */
  key: string;
  /** The UI list behind it (a hash route). */
  link: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The next date a day-of-month deadline falls on (from today); a day past the month's end is its last day. */
export function nextDay(now: Date, dayOfMonth: number): string {
  const at = (monthOffset: number) => {
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthOffset + 1, 0)).getUTCDate();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthOffset, Math.min(dayOfMonth, last)));
  };
  let d = at(0);
  if (d.getTime() < Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) d = at(1);
  return day(d);
}

async function contractDeadlines(ds: DataSource, now: Date, organizations: number[] | null): Promise<Deadline[]> {
  const out: Deadline[] = [];
  const qb = ds.getRepository(Contract).createQueryBuilder("c");
  if (organizations) qb.where("c.organizationId IN (:...organizations)", { organizations: organizations.length ? organizations : [-1] });
  const windows = await qb
    .select("c.readingsFromDay", "from")
    .addSelect("c.readingsToDay", "to")
    .addSelect("c.paymentDocumentDay", "pd")
    .addSelect("c.paymentInfoDay", "pi")
    .addSelect("COUNT(*)", "n")
    .groupBy("c.readingsFromDay")
    .addGroupBy("c.readingsToDay")
    .addGroupBy("c.paymentDocumentDay")
    .addGroupBy("c.paymentInfoDay")
    .getRawMany<{ from: number | null; to: number | null; pd: number | null; pi: number | null; n: string }>();
  const add = (kind: ReminderKind, dayOfMonth: number, text: string, what: string) => {
    const date = nextDay(now, dayOfMonth);
    const key = `${kind}:${date}:${what}`;
    const same = out.find((d) => d.key === key);
    if (!same) out.push({ kind, date, text, key, link: "#/contracts" });
  };
  for (const w of windows) {
    if (w.from && w.to) add("readings", Number(w.to), `Окно приёма показаний ${w.from}–${w.to} числа (договоров: ${w.n})`, `${w.from}-${w.to}`);
    if (w.pd) add("paymentDocuments", Number(w.pd), `Срок размещения платёжных документов: ${w.pd} число (договоров: ${w.n})`, String(w.pd));
    if (w.pi) add("paymentsInfo", Number(w.pi), `Срок размещения информации о платежах: ${w.pi} число (договоров: ${w.n})`, String(w.pi));
  }
  return out;
}

async function certificateDeadlines(ds: DataSource, now: Date, organizations: number[] | null): Promise<Deadline[]> {
  const files = new Map<string, string>();
  const main = organizations ? null : await getSetting<string | null>(ds, "signer.certFile").catch(() => null);
  if (main) files.set(main, "signer.certFile");
  const own = await ds
    .getRepository(OrganizationSigner)
    .find({ where: { certFile: Not("") }, select: { organizationId: true, certFile: true } })
    .catch(() => []);
  for (const s of own.filter((x) => !organizations || organizations.includes(x.organizationId)))
    if (s.certFile && !files.has(s.certFile)) files.set(s.certFile, `организация ${s.organizationId}`);
  const out: Deadline[] = [];
  for (const [file, whose] of files) {
    try {
      const c = readCertificateFile(fs.readFileSync(file));
      out.push({
        kind: "certificate",
        date: day(c.notAfter),
        text: `Окончание действия сертификата подписи: ${c.subjectName}`,
        key: `certificate:${day(c.notAfter)}:${c.serialDecimal}`,
        link: "#/settings",
      });
    } catch (e) {
      // Say why: a missing file and a damaged one are fixed differently.
      const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "файл не найден" : (e as Error).message;
      out.push({
        kind: "certificate",
        date: day(now),
        text: `Сертификат подписи не читается (${whose}, ${file}): ${why}`,
        key: `certificate:unreadable:${file}`,
        link: "#/settings",
      });
    }
  }
  return out;
}

async function failedSchedules(ds: DataSource): Promise<Deadline[]> {
  const rows = await ds.getRepository(Schedule).find({ where: { enabled: true, lastOutcome: "error" }, order: { id: "ASC" } });
  return rows
    .filter((s) => s.lastStartedAt)
    .map((s) => ({
      kind: "schedule" as const,
      date: day(s.lastStartedAt!),
      text: `Задание «${s.name}» завершилось ошибкой: ${s.lastResult ?? "без описания"}`,
      key: `schedule:${s.id}:${s.lastStartedAt!.toISOString()}`,
      link: "#/schedules",
    }));
}

/**
 * `organizations`: a user limited to these sees only their contracts' deadlines and their
 * certificates; the installation's own certificate and failed schedules are for unlimited users.
 */
export async function listDeadlines(ds: DataSource, now = new Date(), organizations: number[] | null = null): Promise<Deadline[]> {
  const all = [
    ...(await contractDeadlines(ds, now, organizations)),
    ...(await certificateDeadlines(ds, now, organizations)),
    ...(organizations ? [] : await failedSchedules(ds)),
  ];
  return all.sort((a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key));
}
