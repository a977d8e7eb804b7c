import fs from "node:fs";
import { Command } from "commander";
import { UserError } from "../../util/errors";
import { FaultConfig, Inspection, RunningStand, demoOrganization, parseFaultSpec, readOrganizationsFile, startStand } from "../../stand";
import { StandOrganization } from "../../stand/types";
import { FORMAT_PACKAGES, formatPackage } from "../../transport/schema/packages";
import { schemaInForce } from "../../transport/schema/validate";

interface StandFlags {
  port: string;
  host: string;
  data?: string;
  orgs?: string;
  orgCert?: string;
  latency?: string;
  verify: boolean;
  strict: boolean;
  validate: boolean;
  faults?: string;
  seed?: string;
  schemaDir?: string;
  formatPackage?: string;
  key?: string;
  cert?: string;
}

/** `--latency MS` (the same for "received" and "in processing") or `--latency R,P`. */
function latency(v: string | undefined): { receivedMs: number; processingMs: number } {
  if (!v) return { receivedMs: 0, processingMs: 0 };
  const parts = v.split(",").map(Number);
  if (parts.length > 2 || parts.some((n) => !Number.isInteger(n) || n < 0))
    throw new UserError("--latency: мс (целое ≥ 0) или два числа через запятую: «получено»,«в обработке»");
  return { receivedMs: parts[0], processingMs: parts[1] ?? parts[0] };
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError("--port: номер порта от 0 до 65535");
  return n;
}

function faults(spec: string | undefined, seed: string | undefined): FaultConfig {
  const s = seed === undefined ? undefined : Number(seed);
  if (s !== undefined && !Number.isInteger(s)) throw new UserError("--seed: целое число");
  try {
    return spec ? parseFaultSpec(spec, s) : { seed: s };
  } catch (e) {
    throw new UserError(`--faults: ${(e as Error).message}`);
  }
}

function organizations(o: StandFlags): StandOrganization[] {
  if (!o.orgs) return [];
  try {
    return readOrganizationsFile(o.orgs);
  } catch (e) {
    throw new UserError(`--orgs: ${(e as Error).message}`);
  }
}

/** The package the stand validates against, checked before it starts; the line it prints about it. */
function schema(o: StandFlags): string {
  if (!o.validate) return "проверка по схеме ВЫКЛЮЧЕНА";
  let s;
  try {
    s = schemaInForce({
      schemaDir: o.schemaDir,
      formatPackage: o.formatPackage === undefined ? undefined : formatPackage(o.formatPackage, "--format-package"),
    });
  } catch (e) {
    throw new UserError(`${o.schemaDir ? "--schema-dir" : "GIS_SCHEMA_DIR"}: ${(e as Error).message}`);
  }
  if (s.mismatch) throw new UserError(`--format-package: ${s.mismatch}; уберите --format-package или укажите пакет ${s.package}`);
  const what = `${s.official ? "официальный пакет" : "встроенные схемы wsdl/, версии пакета"} ${s.package ?? "(номер пакета не определён)"}`;
  return `проверка по схеме: ${what} (${s.dir})${s.versions ? "" : "; таблицы base:version рядом нет — версии не проверяются"}`;
}

async function run(o: StandFlags): Promise<void> {
  for (const [flag, file] of [
    ["--key", o.key],
    ["--cert", o.cert],
    ["--orgs", o.orgs],
    ["--org-cert", o.orgCert],
  ] as const) {
    if (file && !fs.existsSync(file)) throw new UserError(`${flag}: файл ${file} не найден`);
  }
  const schemaLine = schema(o);
  const options = {
    port: port(o.port),
    host: o.host,
    dataFile: o.data,
    organizations: organizations(o),
    latency: latency(o.latency),
    verify: o.verify,
    strict: o.strict,
    validate: o.validate,
    schemaDir: o.schemaDir,
    formatPackage: o.formatPackage,
    faults: faults(o.faults, o.seed),
    keyFile: o.key,
    certFile: o.cert,
  };
  let stand: RunningStand;
  try {
    stand = await startStand(options);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(err.code === "EADDRINUSE" ? `порт ${o.port} занят: укажите другой (--port)` : `стенд не запущен: ${err.message}`);
  }
  if (stand.store.organizations().length === 0) {
    const demo = demoOrganization(o.orgCert ? fs.readFileSync(o.orgCert, "utf8") : undefined);
    stand.store.addOrganization(demo);
    console.log(`Создана демонстрационная организация ${demo.shortName}: orgPPAGUID ${demo.orgPPAGUID}`);
  }
  console.log(`Стенд ГИС ЖКХ слушает ${stand.url}`);
  for (const org of stand.store.organizations()) {
    console.log(`  ${org.shortName} (ОГРН ${org.ogrn}) orgPPAGUID ${org.orgPPAGUID}, сертификатов: ${org.certificateFingerprints.length}`);
  }
  if (o.verify && o.strict && stand.store.organizations().some((x) => x.certificateFingerprints.length === 0)) {
    console.log(
      "  Строгий режим: запросы организации без сертификата будут отклонены (AUT011003) — укажите --org-cert,\n" +
        `  зарегистрируйте сертификат (POST ${stand.url}/stand/admin/organizations) или запустите с --no-strict`,
    );
  }
  const modes = [
    o.verify ? "подписи проверяются" : "проверка подписей ВЫКЛЮЧЕНА",
    o.strict ? "строгий режим сертификатов" : "сертификат организации не проверяется",
    schemaLine,
  ];
  console.log(`  ${modes.join("; ")}${o.data ? `; данные: ${o.data}` : ""}`);
  console.log(`  Осмотр: gis-sync stand inspect --url ${stand.url}`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`\n${signal}: стенд останавливается${o.data ? `, состояние сохраняется в ${o.data}` : ""}…`);
      stand.close().then(resolve, resolve);
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}

function formatInspection(s: Inspection): string {
  const lines: string[] = [];
  const table = (title: string, rec: Record<string, number>) => {
    lines.push(title);
    const keys = Object.keys(rec).sort();
    if (keys.length === 0) lines.push("  —");
    for (const k of keys) lines.push(`  ${k.padEnd(48)} ${rec[k]}`);
  };
  table("Объекты на стенде:", s.tables);
  lines.push(`Организаций: ${s.organizations}; сообщений: ${s.messages}; в обработке: ${s.inFlight}`);
  const sc = s.settings.schema;
  lines.push(sc ? `Схема: ${sc.official ? "официальный пакет" : "wsdl/, версии пакета"} ${sc.package ?? "?"} (${sc.dir})` : "Схема: проверка выключена");
  lines.push(
    s.duplicates.length === 0
      ? "Дубликатов нет"
      : `ДУБЛИКАТЫ (${s.duplicates.length}): ${s.duplicates
          .slice(0, 20)
          .map((d) => `${d.kind} ${d.key}`)
          .join(", ")}`,
  );
  table("Получено запросов:", s.received);
  table("Отклонено по кодам:", s.rejected.byCode);
  for (const e of s.rejected.log.slice(-20)) lines.push(`  ${e.time} ${e.operation} ${e.code}: ${e.text}`);
  const counts = s.faults.counts as Record<string, number>;
  if (Object.keys(counts).length > 0) table("Внесённые сбои:", counts);
  return lines.join("\n");
}

async function inspect(o: { url: string; json?: boolean }): Promise<void> {
  let s: Inspection;
  try {
    const res = await fetch(`${o.url.replace(/\/+$/, "")}/stand/admin/inspect`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    s = (await res.json()) as Inspection;
  } catch (e) {
    throw new UserError(`стенд по адресу ${o.url} не ответил: ${(e as Error).message}`);
  }
  console.log(o.json ? JSON.stringify(s, null, 2) : formatInspection(s));
}

/** `gis-sync stand --port P`: the built-in GIS ЖКХ stand; `gis-sync stand inspect --url URL`. */
export function registerStand(program: Command): void {
  const stand = program
    .command("stand")
    .description("Встроенный стенд ГИС ЖКХ (эмулятор): те же адреса SOAP, подписи, асинхронная обработка, сбои по заказу")
    .option("--port <port>", "TCP-порт", "8081")
    .option("--host <host>", "адрес для приёма соединений", "127.0.0.1")
    .option("--data <file>", "состояние стенда из этого файла и сохранение в него (периодически и при выходе)")
    .option("--orgs <file>", "JSON-массив организаций для регистрации (ogrn, inn, kpp, fullName, shortName, roles, certificatePem)")
    .option("--org-cert <file>", "сертификат (PEM) демо-организации, создаваемой, если организации не заданы")
    .option("--latency <ms>", "время в RequestState 1 и 2, мс (или R,P)")
    .option("--no-verify", "не проверять подписи запросов (для замеров клиента)")
    .option("--no-strict", "принимать любую верную подпись, не только сертификаты организации")
    .option("--no-validate", "не проверять запросы по схеме")
    .option(
      "--faults <spec>",
      "сбои по заказу: вид=доля,… (http500 http502 http503 timeout reset malformed exp001000 lostAck), scope=send|getState|all, ops=a+b, throttle=N",
    )
    .option("--seed <n>", "зерно случайного выбора сбоев")
    .option(
      "--schema-dir <dir>",
      "папка официального пакета WSDL/XSD ГИС для проверки запросов, base:version — по таблице request-versions рядом (по умолчанию GIS_SCHEMA_DIR или wsdl/ проекта)",
    )
    .option(
      "--format-package <version>",
      `с wsdl/ проекта: чья таблица base:version действует (${FORMAT_PACKAGES.join(", ")}; по умолчанию ${FORMAT_PACKAGES[0]})`,
    )
    .option("--key <file>", "ключ подписи стенда (PEM); без него — новый тестовый")
    .option("--cert <file>", "сертификат стенда (PEM)")
    .action(run);
  stand
    .command("inspect")
    .description("Что хранит и что получил работающий стенд: объекты, дубликаты, отклонённые запросы по кодам")
    .requiredOption("--url <url>", "адрес стенда, например http://127.0.0.1:8081")
    .option("--json", "вывод в JSON")
    .action(inspect);
}
