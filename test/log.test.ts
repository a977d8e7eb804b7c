import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import winston from "winston";
import { log, maskUrlPassword, redact } from "../src/log";

test("secrets never reach a log line", () => {
  const out = JSON.stringify(redact({ dbUrl: "postgres://gis:TopSecret@db:5432/x", tokenPin: "1234", nested: { password: "p", keyPass: "k" }, ok: "visible" }));
  assert.doesNotMatch(out, /TopSecret|1234|"p"|"k"/);
  assert.match(out, /postgres:\/\/gis:\*\*\*@db:5432\/x/);
  assert.match(out, /visible/);
});

test("a password with an un-encoded @, / or ? does not leak its tail", () => {
  assert.equal(maskUrlPassword("postgres://gis:p@ss@db:5432/x"), "postgres://gis:***@db:5432/x");
  assert.equal(maskUrlPassword("postgres://gis:a@b@c@db/x?ssl=true"), "postgres://gis:***@db/x?ssl=true");
  assert.equal(maskUrlPassword("mssql://sa:pa/ss@db:1433/x"), "mssql://sa:***@db:1433/x");
  assert.equal(maskUrlPassword("mysql://u:pa?ss@db/x"), "mysql://u:***@db/x");
  assert.equal(maskUrlPassword("http://127.0.0.1:8081/ext-bus"), "http://127.0.0.1:8081/ext-bus", "no password, nothing masked");
  assert.equal(maskUrlPassword("postgres://postgres@127.0.0.1:5432/db"), "postgres://postgres@127.0.0.1:5432/db");
  const line = String(redact("Cannot open database postgres://gis:Sup3r@Secret@db:5432/gis: refused"));
  assert.doesNotMatch(line, /Sup3r|Secret@/);
  assert.match(line, /postgres:\/\/gis:\*\*\*@db:5432\/gis: refused/);
});

test("personal data is masked: SNILS, identity documents and names by key, SNILS and GIS XML in text", () => {
  const out = JSON.stringify(
    redact({
      account: {
        number: "12345",
        payerLastName: "Иванов",
        payerFirstName: "Иван",
        payerMiddleName: "Иванович",
        payerSnils: "11223344595",
        payerDocumentSeries: "9204",
        payerDocumentNumber: "123456",
        unifiedNumber: "00АА777777",
      },
      person: { surname: "Петров", firstName: "Пётр", patronymic: "Петрович", snils: "112-233-445 95", fullName: "Петров Пётр Петрович" },
      text: "СНИЛС 112-233-445 95 и 11223344595 неверны; ГУИД 0d2bb8a4-6f6b-4a3b-9a4e-223344559512 не тронут",
      xml:
        "<hcs:Ind><hcs:Surname>Сидоров</hcs:Surname><hcs:FirstName>Сидор</hcs:FirstName><hcs:SNILS>11223344595</hcs:SNILS>" +
        "<hcs:ID><hcs:Type>1</hcs:Type><hcs:Series>9204</hcs:Series><hcs:Number>654321</hcs:Number></hcs:ID></hcs:Ind>",
    }),
  );
  for (const secret of ["Иванов", 'Иван"', "Иванович", "11223344595", "112-233-445 95", "9204", "123456", "654321", "Петров", "Пётр", "Сидоров", "Сидор<"])
    assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
  assert.match(out, /"number":"12345"/, "an account number is not personal data");
  assert.match(out, /00АА777777/);
  assert.match(out, /0d2bb8a4-6f6b-4a3b-9a4e-223344559512/, "digits inside a GUID are not a SNILS");
  assert.match(out, /<hcs:Type>1<\/hcs:Type>/);
});

test("the logger itself writes masked lines", () => {
  const lines: string[] = [];
  const sink = new winston.transports.Stream({
    stream: new Writable({
      write(c, _e, cb) {
        lines.push(String(c));
        cb();
      },
    }),
  });
  log.add(sink);
  const level = log.level;
  log.level = "info";
  try {
    log.info("payer 11223344595 at postgres://gis:p@ss@db/x", { payerLastName: "Иванов", account: { payerDocumentNumber: "123456" } });
  } finally {
    log.remove(sink);
    log.level = level;
  }
  const all = lines.join("");
  assert.ok(all.length > 0);
  assert.doesNotMatch(all, /11223344595|Иванов|123456|ss@db/);
});
