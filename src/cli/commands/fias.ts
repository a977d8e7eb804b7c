/**
 * `gis-sync fias …`: FIAS/OKTMO reports and coding of the fund from a ГАР extract (the manual's
 * «Подкачка ФИАС», «Отчёт по проставленным ГУИД ФИАС», «Отчёт по домам с одинаковыми ФИАС»).
 */
import { Command } from "commander";
import { House } from "../../../entities";
import { withDatabase } from "../context";
import { UserError } from "../../util/errors";
import { getSetting } from "../../settings/settings";
import { resolveHouses } from "../../excel/export/selection";
import { writeTable } from "../../excel/table-writer";
import { codeFromGar } from "../../fias/coding";
import { GUID_STATE_TEXT, checkHouseGuids } from "../../fias/check";
import { codingSheet, formatCoding } from "../../fias/coding-output";
import { Presence, coverageReport, coverageSheets, duplicateGuids, duplicateSheet, textTable } from "../../fias/reports";

const HOUSES_HELP = "дома: id или коды учётной системы через запятую (по умолчанию весь фонд)";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkGuid(v: string | undefined, flag: string): string | undefined {
  if (v !== undefined && !GUID.test(v)) throw new UserError(`${flag}: ожидается ГУИД вида xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, получено «${v}»`);
  return v?.toLowerCase();
}

export function registerFias(program: Command): void {
  const fias = program.command("fias").description("ФИАС и ОКТМО: отчёты и простановка кодов по выгрузке ГАР");
  const report = fias.command("report").description("Отчёты ФИАС");

  report
    .command("coverage", { isDefault: true })
    .description("Населённые пункты, улицы и дома с ГУИД ФИАС и ОКТМО и без них")
    .option("--houses <list>", HOUSES_HELP)
    .option("--only <with|without>", "только с ГУИД (with) или только без него (without)")
    .option("--ignore-archived", "не включать архивные адреса (закрытые дома, «!Архив»)")
    .option("--out <file>", "записать отчёт в Excel (.xlsx)")
    .action(async (o: { houses?: string; only?: string; ignoreArchived?: boolean; out?: string }) => {
      if (o.only && !["with", "without"].includes(o.only)) throw new UserError(`--only: допустимо with или without, получено «${o.only}»`);
      await withDatabase(async (ds) => {
        const r = await coverageReport(ds, await resolveHouses(ds, o.houses), (o.only ?? "all") as Presence, !!o.ignoreArchived);
        const row = (x: { address: string; guid: string | null; oktmo: string | null; houses: number }) => [x.address, x.guid, x.oktmo, x.houses];
        console.log(`По населённым пунктам:\n${textTable(["Адрес", "ГУИД", "ОКТМО", "Домов"], r.settlements.map(row))}\n`);
        console.log(`По улицам:\n${textTable(["Адрес", "ГУИД", "ОКТМО", "Домов"], r.streets.map(row))}\n`);
        console.log(
          `По домам:\n${textTable(
            ["Адрес", "ГУИД", "ОКТМО"],
            r.houses.map((x) => [x.address, x.guid, x.oktmo]),
          )}`,
        );
        if (o.out) {
          await writeTable(o.out, coverageSheets(r), "xlsx");
          console.log(`\nФайл: ${o.out}`);
        }
      });
    });

  report
    .command("duplicates")
    .description("Дома с одинаковым ФИАС ГУИД")
    .option("--houses <list>", HOUSES_HELP)
    .option("--scope <selection|database>", "искать внутри выбранного фонда или из выбранного фонда по всей базе", "selection")
    .option("--ignore-archived", "исключить архивные адреса (закрытые дома, «!Архив»)")
    .option("--out <file>", "записать отчёт в Excel (.xlsx)")
    .action(async (o: { houses?: string; scope: string; ignoreArchived?: boolean; out?: string }) => {
      if (!["selection", "database"].includes(o.scope)) throw new UserError(`--scope: допустимо selection или database, получено «${o.scope}»`);
      await withDatabase(async (ds) => {
        const rows = await duplicateGuids(ds, await resolveHouses(ds, o.houses), o.scope as "selection" | "database", !!o.ignoreArchived);
        const mode = o.scope === "selection" ? "внутри выбранного фонда" : "из выбранного фонда по всей базе данных";
        console.log(`Дома с одинаковым ФИАС ГУИД (режим поиска: ${mode}):`);
        console.log(
          textTable(
            ["ФИАС ГУИД", "Адрес", "ОКТМО", "Дом (id)"],
            rows.map((r) => [r.guid, r.address, r.oktmo, r.houseId]),
          ),
        );
        if (o.out) {
          await writeTable(o.out, [duplicateSheet(rows, ["Отчёт по домам с одинаковым ФИАС", `Режим поиска: ${mode}`])], "xlsx");
          console.log(`\nФайл: ${o.out}`);
        }
      });
    });

  fias
    .command("code")
    .description("Проставить ФИАС ГУИД и ОКТМО по выгрузке ГАР: населённые пункты → улицы → дома")
    .requiredOption("--gar <dir>", "каталог выгрузки ГАР (корень или папка региона)")
    .option("--houses <list>", HOUSES_HELP)
    .option("--apply", "записать точные совпадения в базу (без флага — пробный прогон)")
    .option("--accept-proposals", "записывать и неполные совпадения (предложенный вариант)")
    .option("--overwrite", "заменять ФИАС ГУИД, уже проставленный дому, если ГАР говорит иначе")
    .option("--skip-zero", "исключить дома с номером 0")
    .option("--ignore-archived", "не обрабатывать архивные адреса")
    .option("--region <code>", "код региона (по умолчанию — настройка fias.regionCode)")
    .option("--main-guid <guid>", "ГУИД основного населённого пункта (по умолчанию — настройка fias.mainSettlementGuid)")
    .option("--out <file>", "записать результат по каждому дому в Excel (.xlsx)")
    .action(
      async (o: {
        gar: string;
        houses?: string;
        apply?: boolean;
        acceptProposals?: boolean;
        overwrite?: boolean;
        skipZero?: boolean;
        ignoreArchived?: boolean;
        region?: string;
        mainGuid?: string;
        out?: string;
      }) => {
        checkGuid(o.mainGuid, "--main-guid");
        await withDatabase(async (ds) => {
          const results = await codeFromGar(ds, {
            garDir: o.gar,
            regionCode: o.region ?? (await getSetting<string | null>(ds, "fias.regionCode")),
            mainSettlementGuid: o.mainGuid ?? (await getSetting<string | null>(ds, "fias.mainSettlementGuid")),
            houses: await resolveHouses(ds, o.houses),
            apply: !!o.apply,
            acceptProposals: !!o.acceptProposals,
            overwrite: !!o.overwrite,
            skipZeroHouses: !!o.skipZero,
            ignoreArchived: !!o.ignoreArchived,
          });
          console.log(formatCoding(results, !!o.apply));
          if (o.out) {
            await writeTable(o.out, [codingSheet(results)], "xlsx");
            console.log(`Файл: ${o.out}`);
          }
        });
      },
    );

  fias
    .command("check")
    .description("Проверить ФИАС ГУИД домов по выгрузке ГАР и проставить ОКТМО по ФИАС ГУИД")
    .requiredOption("--gar <dir>", "каталог выгрузки ГАР (корень или папка региона)")
    .option("--houses <list>", HOUSES_HELP)
    .option("--apply", "записать ОКТМО из ГАР, где он отличается")
    .option("--region <code>", "код региона (по умолчанию — настройка fias.regionCode)")
    .option("--out <file>", "записать результат в Excel (.xlsx)")
    .action(async (o: { gar: string; houses?: string; apply?: boolean; region?: string; out?: string }) => {
      await withDatabase(async (ds) => {
        const checks = await checkHouseGuids(ds, {
          garDir: o.gar,
          regionCode: o.region ?? (await getSetting<string | null>(ds, "fias.regionCode")),
          houses: await resolveHouses(ds, o.houses),
          apply: !!o.apply,
        });
        const bad = checks.filter((c) => c.state !== "ok");
        const oktmo = checks.filter((c) => c.state === "ok" && c.garOktmo && c.garOktmo !== c.ourOktmo);
        console.log(
          `Домов с ФИАС ГУИД: ${checks.length}; действующих: ${checks.length - bad.length}; с ошибкой: ${bad.length}; ОКТМО отличается: ${oktmo.length}`,
        );
        if (bad.length || oktmo.length) {
          console.log(
            textTable(
              ["Дом (id)", "Адрес", "ФИАС ГУИД", "Результат", "ОКТМО в базе", "ОКТМО в ГАР"],
              [...bad, ...oktmo].map((c) => [c.houseId, c.address, c.guid, GUID_STATE_TEXT[c.state], c.ourOktmo, c.garOktmo]),
            ),
          );
        }
        console.log(
          o.apply ? `ОКТМО записан: ${checks.filter((c) => c.written).length} домов.` : "Пробный прогон: в базу ничего не записано (добавьте --apply).",
        );
        if (o.out) {
          await writeTable(
            o.out,
            [
              {
                name: "Проверка ФИАС",
                caption: ["Проверка ФИАС ГУИД домов по выгрузке ГАР"],
                columns: [
                  { key: "houseId", header: "Дом (id)", width: 8 },
                  { key: "address", header: "Адрес", width: 50 },
                  { key: "guid", header: "ФИАС ГУИД", width: 38 },
                  { key: "state", header: "Результат", width: 50 },
                  { key: "ourOktmo", header: "ОКТМО в базе", width: 14 },
                  { key: "garOktmo", header: "ОКТМО в ГАР", width: 14 },
                ],
                rows: checks.map((c) => ({
                  houseId: c.houseId,
                  address: c.address,
                  guid: c.guid,
                  state: GUID_STATE_TEXT[c.state],
                  ourOktmo: c.ourOktmo,
                  garOktmo: c.garOktmo,
                })),
              },
            ],
            "xlsx",
          );
          console.log(`Файл: ${o.out}`);
        }
      });
    });

  fias
    .command("set")
    .description("Проставить дому выбранный вариант вручную (ГУИД дома, улицы, населённого пункта, ОКТМО)")
    .requiredOption("--house <id>", "дом: id или код учётной системы")
    .option("--guid <guid>", "ФИАС ГУИД дома")
    .option("--street <guid>", "ФИАС ГУИД улицы")
    .option("--settlement <guid>", "ФИАС ГУИД населённого пункта")
    .option("--oktmo <code>", "ОКТМО (8 или 11 цифр)")
    .action(async (o: { house: string; guid?: string; street?: string; settlement?: string; oktmo?: string }) => {
      const patch: Partial<House> = {};
      if (o.guid) patch.fiasHouseGuid = checkGuid(o.guid, "--guid");
      if (o.street) patch.fiasStreetGuid = checkGuid(o.street, "--street");
      if (o.settlement) patch.fiasSettlementGuid = checkGuid(o.settlement, "--settlement");
      if (o.oktmo) {
        if (!/^(\d{8}|\d{11})$/.test(o.oktmo)) throw new UserError(`--oktmo: ожидается 8 или 11 цифр, получено «${o.oktmo}»`);
        patch.oktmo = o.oktmo;
      }
      if (!Object.keys(patch).length) throw new UserError("Укажите хотя бы одно из --guid, --street, --settlement, --oktmo");
      await withDatabase(async (ds) => {
        const [id] = (await resolveHouses(ds, o.house))!;
        await ds.getRepository(House).update({ id }, patch);
        console.log(`Дом ${o.house}: записано ${Object.keys(patch).join(", ")}`);
      });
    });
}
