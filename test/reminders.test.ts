/**
 * Reminders of deadlines by e-mail, through a real SMTP server (smtp-server on a random port, with
 * a login): the demo's contracts give a readings window, a test certificate about to expire and a
 * failed schedule give the rest; each subscriber receives only the kinds they chose, each deadline
 * once; a failed send is retried by the next run; the `reminders` schedule job does the same; the
 * deadlines list reads the demo's own certificate and says why one cannot be read.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { DataSource } from "typeorm";
import { ReminderSent, ReminderSubscription, Schedule, User } from "../entities";
import { writeDemoBundle } from "../src/generator/demo";
import { importPath } from "../src/importer/import-run";
import { listDeadlines } from "../src/reminders/deadlines";
import { sendReminders } from "../src/reminders/send";
import { defaultRunJob } from "../src/schedule/run-job";
import { setSetting } from "../src/settings/settings";
import { generateTestKey } from "../src/signing/keygen";
import { DB_KINDS, withTestDb } from "./support/databases";
import { REDIS_URL } from "./support/pipeline-env";
import { startSmtpSink } from "./support/smtp-sink";

// 23 December: the demo's readings window (15–25) closes in two days.
const NOW = new Date(Date.UTC(2026, 11, 23, 6, 0, 0));

async function user(ds: DataSource, login: string, active = true): Promise<User> {
  return ds.getRepository(User).save({ login, displayName: login, role: "accountant", passwordHash: "x", active, createdAt: NOW, lastLoginAt: null });
}

async function seed(ds: DataSource, dir: string) {
  await writeDemoBundle(path.join(dir, "bundle"));
  await importPath(ds, path.join(dir, "bundle"), { author: "test" });
  const key = await generateTestKey({ commonName: "ООО «Срочный сертификат»", days: 10 });
  fs.writeFileSync(path.join(dir, "cert.pem"), key.certPem);
  await setSetting(ds, "signer.certFile", path.join(dir, "cert.pem"));
  await ds.getRepository(Schedule).save({
    name: "Ночная отправка показаний",
    jobType: "send-readings",
    enabled: true,
    stand: "local",
    daysOfWeek: "1,2,3,4,5,6,7",
    mode: "once",
    timeOfDay: "02:00",
    lastStartedAt: new Date(Date.UTC(2026, 11, 22, 23, 0, 0)),
    lastOutcome: "error",
    lastResult: "стенд не отвечает",
  } as Partial<Schedule>);
}

async function smtpSettings(ds: DataSource, port: number) {
  process.env.GIS_SYNC_TEST_SMTP_PASSWORD = "smtp secret 1";
  await setSetting(ds, "mail.host", "127.0.0.1");
  await setSetting(ds, "mail.port", port);
  await setSetting(ds, "mail.user", "robot");
  await setSetting(ds, "mail.passwordSource", "env:GIS_SYNC_TEST_SMTP_PASSWORD");
  await setSetting(ds, "mail.from", "gis-sync@kks.example");
}

for (const kind of DB_KINDS) {
  test(`${kind}: subscribers receive their deadlines by e-mail, each once; a failed send is retried`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-reminders-"));
    let sink = await startSmtpSink({ user: "robot", password: "smtp secret 1" });
    try {
      await withTestDb(kind, async (ds) => {
        await seed(ds, dir);
        await smtpSettings(ds, sink.port);
        const accountant = await user(ds, "buh");
        const admin = await user(ds, "admin1");
        const gone = await user(ds, "gone", false);
        const subs = ds.getRepository(ReminderSubscription);
        await subs.save({ userId: accountant.id, email: "buh@kks.example", kinds: "readings,paymentDocuments,certificate", updatedAt: NOW });
        await subs.save({ userId: admin.id, email: "admin@kks.example", kinds: "schedule", updatedAt: NOW });
        await subs.save({ userId: gone.id, email: "gone@kks.example", kinds: "readings", updatedAt: NOW });

        const first = await sendReminders(ds, { now: NOW });
        assert.equal(first.failed, 0, first.text);
        const mails = await sink.waitFor(2);
        const toBuh = mails.find((m) => m.to.includes("buh@kks.example"))!;
        const toAdmin = mails.find((m) => m.to.includes("admin@kks.example"))!;
        assert.ok(toBuh && toAdmin, JSON.stringify(mails.map((m) => m.to)));
        assert.equal(toBuh.user, "robot", "logged in with the password from its env: source");
        assert.equal(toBuh.from, "gis-sync@kks.example");
        assert.equal(toBuh.subject, "Напоминания gis-sync: сроков — 2");
        assert.match(toBuh.text, /25\.12\.2026 — Окно приёма показаний ПУ: Окно приёма показаний 15–25 числа/);
        assert.match(toBuh.text, /Окончание действия сертификата подписи: cn=ООО «Срочный сертификат»/);
        assert.doesNotMatch(toBuh.text, /платёжных документов/, "1 January is more than 3 days away");
        assert.match(toAdmin.subject, /^Напоминание gis-sync: Задание «Ночная отправка показаний» завершилось ошибкой: стенд не отвечает$/);
        assert.equal(first.sent, 3);

        // The next day's run: the same deadlines, nothing new.
        const second = await sendReminders(ds, { now: new Date(NOW.getTime() + 86_400_000) });
        assert.equal(second.sent, 0, second.text);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(sink.mails.length, 2, "each deadline reaches each user once");

        // The SMTP server is down: the new subscriber's reminder is recorded as not sent, then sent by the next run.
        const late = await user(ds, "late");
        await subs.save({ userId: late.id, email: "late@kks.example", kinds: "readings", updatedAt: NOW });
        await sink.close();
        const failed = await sendReminders(ds, { now: NOW });
        assert.equal(failed.failed, 1, failed.text);
        const row = await ds.getRepository(ReminderSent).findOneByOrFail({ userId: late.id });
        assert.equal(row.sentAt, null);
        assert.ok(row.error);
        sink = await startSmtpSink({ user: "robot", password: "smtp secret 1" });
        await setSetting(ds, "mail.port", sink.port);
        // The same path the schedule takes: job type `reminders`.
        const run = defaultRunJob({ ds, redisUrl: REDIS_URL, now: () => NOW });
        const job = await run({ id: 1, jobType: "reminders", stand: "prod", scope: null } as Schedule, { trigger: "test", firedAt: NOW });
        assert.equal(job.outcome, "ok", job.text);
        const [retried] = await sink.waitFor(1);
        assert.deepEqual(retried.to, ["late@kks.example"]);
        assert.match(retried.subject, /Окно приёма показаний 15–25 числа/);
        assert.ok((await ds.getRepository(ReminderSent).findOneByOrFail({ userId: late.id })).sentAt);
        assert.equal(await ds.getRepository(ReminderSent).countBy({ userId: gone.id }), 0, "inactive users are not reminded");
      });
    } finally {
      await sink.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("sqlite: deadlines read a PEM certificate and say why one cannot be read; no SMTP server, no e-mail", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-deadlines-"));
  try {
    await withTestDb("sqlite", async (ds) => {
      const key = await generateTestKey({ commonName: "АО «ККС»", organization: "Акционерное общество «Казанские коммунальные сети»", days: 365 });
      fs.writeFileSync(path.join(dir, "demo-cert.pem"), key.certPem);
      await setSetting(ds, "signer.certFile", path.join(dir, "demo-cert.pem"));
      const [cert] = await listDeadlines(ds, NOW);
      assert.equal(cert.kind, "certificate");
      assert.match(cert.text, /^Окончание действия сертификата подписи: cn=АО «ККС»/);
      assert.equal(cert.link, "#/settings");
      await setSetting(ds, "signer.certFile", path.join(dir, "missing.pem"));
      const [missing] = await listDeadlines(ds, NOW);
      assert.match(missing.text, /Сертификат подписи не читается .*missing\.pem\): файл не найден/);
      const u = await user(ds, "buh");
      await ds.getRepository(ReminderSubscription).save({ userId: u.id, email: "buh@kks.example", kinds: "certificate", updatedAt: NOW });
      const r = await sendReminders(ds, { now: NOW });
      assert.match(r.text, /не задан SMTP-сервер \(mail\.host\)/);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
