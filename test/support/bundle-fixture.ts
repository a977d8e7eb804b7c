/** A small hand-written billing bundle with known broken rows, for importer tests. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const GOOD_ORG_INN = "7707083893";

export const FIXTURE: Record<string, string> = {
  organizations: [
    "id;full_name;inn;kpp;ogrn;role;is_ours",
    `org1;ООО "Водоканал";${GOOD_ORG_INN};770701001;1027700132195;RSO;1`,
    "org2;ООО «Расчётный центр»;7707083894;770701001;;RC;0", // line 3: INN check digit wrong (warning)
  ].join("\n"),
  services: ["id;organization_id;code;name;kind;municipal_resource_code", "s1;org1;HVS;Холодное водоснабжение;municipal;1"].join("\n"),
  houses: [
    "id;address;house_type;fias_house_guid;total_area;floors",
    "h1;г. Казань, ул. Ленина, д. 1;MKD;6f2d1a86-1c9b-4b8e-9d1e-0c3f2a9b7e11;1234,5;5",
    "h2;г. Казань, ул. Ленина, д. 2;MKD;not-a-guid;100;5", // line 3: bad GUID (optional: loaded without it)
  ].join("\n"),
  premises: [
    "id;house_id;kind;number;total_area",
    "p1;h1;residential;1;45.5",
    "p2;h1;residential;2;abc", // line 3: not a number (optional: loaded without it)
    "p3;h9;residential;3;50", // line 4: unknown house
    "p4;h1;residential;4;60.25",
  ].join("\n"),
  accounts: [
    "id;organization_id;number;account_type;payer_kind;payer_last_name;total_area;payer_snils",
    "a1;org1;100001;RSO;person;Иванов;45.5;",
    "a2;org1;;RSO;person;Петров;40;", // line 3: number missing
    "a3;org1;100003;RSO;person;Сидорова;60.25;11223344595",
  ].join("\n"),
  account_premises: ["account_id;premise_id;share_percent", "a1;p1;100", "a3;p4;100"].join("\n"),
  meters: [
    "id;organization_id;factory_number;meter_type;service_id;municipal_resource_code;house_id;premise_id;verification_date;verification_interval_months",
    "m1;org1;ХВ-0001;individual;s1;1;h1;p1;2030-05-31;72",
    "m2;org1;;individual;s1;1;h1;p4;;", // line 3: factory number missing
  ].join("\n"),
  meter_accounts: ["meter_id;account_id", "m1;a1"].join("\n"),
  readings: [
    "id;meter_id;reading_date;value_t1;period_year;period_month",
    "r1;m1;2026-01-25;10.5;2026;1",
    "r2;m1;2026-02-25;12.750;2026;2",
    "r3;m1;2026-03-25;11;2026;3", // line 4: decreasing (warning, imported)
    "r4;m1;2026-04-25;-5;2026;4", // line 5: negative
  ].join("\n"),
  payments: [
    "id;organization_id;order_id;order_date;amount;account_id",
    "pay1;org1;0123456789abcdef0123456789abcdef;2026-02-10;1520.40;a1",
    "pay2;org1;0123456789abcdef0123456789abcdee;2026-02-11;0;a1", // line 3: zero amount
  ].join("\n"),
};

/** Every problem the fixture holds: file, line, column, severity. */
export const EXPECTED_ISSUES = [
  ["organizations.csv", 3, "inn", "warning"],
  ["houses.csv", 3, "fias_house_guid", "warning"],
  ["premises.csv", 3, "total_area", "warning"],
  ["premises.csv", 4, "house_id", "error"],
  ["accounts.csv", 3, "number", "error"],
  ["meters.csv", 3, "factory_number", "error"],
  ["readings.csv", 4, "value_t1", "warning"],
  ["readings.csv", 5, "value_t1", "error"],
  ["payments.csv", 3, "amount", "error"],
] as const;

export function writeFixture(files: Record<string, string> = FIXTURE, dir?: string): string {
  const out = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-bundle-"));
  fs.mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(out, `${name}.csv`), `${text}\n`);
  return out;
}
