/**
 * `gis-sync archive verify | export | prune`. The archive holds payers' personal data: export is
 * for operators answering GIS support, and every export is written to the audit log.
 */
import path from "node:path";
import { Command } from "commander";
import { createArchiveKey } from "../../archive/at-rest";
import { loadConfig } from "../../config";
import { withDatabase } from "../context";
import { anchorArchive, anchorDir, exportArchive, pruneArchive, verifyAnchors, verifyArchive, verifyArchivedSignatures } from "../../archive";
import { signerFromSettings } from "../../runtime/exchange-context";
import { ArchiveEntry } from "../../../entities/archive-entry";
import { getSetting } from "../../settings/settings";
import { AuditLog } from "../../../entities";
import { parseDay } from "../../importer/convert";
import { UserError } from "../../util/errors";

function dayArg(name: string, v: string | undefined, endOfDay = false): Date | undefined {
  if (!v) return undefined;
  const d = parseDay(v);
  if (!d) throw new UserError(`--${name}: «${v}» — не дата (ГГГГ-ММ-ДД)`);
  return new Date(`${d}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z`);
}

function intArg(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UserError(`--${name}: целое число`);
  return Number(v);
}

export function registerArchive(program: Command): void {
  const archive = program.command("archive").description("Архив обмена: проверка цепочки хешей, выгрузка XML для поддержки ГИС, очистка");

  archive
    .command("verify")
    .description("Пройти цепочку хешей и назвать первую изменённую запись; --signatures — также перепроверить подписи ГИС на ответах")
    .option("--signatures", "перепроверить подписи XAdES ГИС на её ответах")
    .option("--operation <id...>", "только эти операции (с --signatures)")
    .option("--anchors <dir>", "папка подписанных отметок, хранимых отдельно (по умолчанию GIS_SYNC_ANCHOR_DIR или <home>/anchors)")
    .action(async (o: { signatures?: boolean; operation?: string[]; anchors?: string }) => {
      await withDatabase(async (ds) => {
        const r = await verifyArchive(ds);
        if (!r.ok) throw new UserError(`Архив изменён: запись ${r.firstBadId} (операция ${r.operationId}): ${r.reason}; до неё проверено ${r.checked}`, 4);
        console.log(`Архив цел: проверено записей ${r.checked}`);
        const a = await verifyAnchors(ds, o.anchors ?? anchorDir());
        console.log(
          `Отметки (подписанные головы цепочки): проверено ${a.checked}${a.pruned ? `, старше срока хранения ${a.pruned}` : ""}${a.newest ? `, последняя от ${a.newest.at} (запись №${a.newest.headId})` : ", нет ни одной — заверьте архив: gis-sync archive anchor"}`,
        );
        for (const p of a.problems) console.log(`  ${p.source}: ${p.reason}`);
        const states = await ds
          .getRepository(ArchiveEntry)
          .createQueryBuilder("e")
          .select("e.signatureState", "state")
          .addSelect("COUNT(*)", "n")
          .where("e.signatureState IS NOT NULL")
          .groupBy("e.signatureState")
          .getRawMany<{ state: string; n: string }>();
        const count = (k: string) => Number(states.find((x) => x.state === k)?.n ?? 0);
        console.log(
          `Подписи ГИС ЖКХ при получении: верны ${count("valid")}, неверны ${count("invalid")}, без подписи ${count("unsigned")}, алгоритм не поддерживается ${count("unsupported")}`,
        );
        if (a.problems.length > 0) throw new UserError(`Архив не сходится с подписанными отметками: ${a.problems.length}`, 4);
        if (!o.signatures) return;
        const s = await verifyArchivedSignatures(ds, o.operation);
        console.log(`Подписи ГИС ЖКХ: проверено ${s.checked}, верны ${s.valid}, без подписи ${s.unsigned}`);
        for (const bad of s.invalid) console.log(`  запись ${bad.entryId} (${bad.kind}, операция ${bad.operationId}): ${bad.errors.join("; ")}`);
        if (s.invalid.length > 0) throw new UserError(`Неверных подписей ГИС ЖКХ: ${s.invalid.length}`, 4);
      });
    });

  archive
    .command("key")
    .description("Создать ключ шифрования XML архива (по умолчанию <home>/keys/archive.key; копию храните отдельно от резервных копий базы)")
    .option("--file <file>", "куда записать (затем укажите его в GIS_SYNC_ARCHIVE_KEY_FILE)")
    .action((o: { file?: string }) => {
      const file = path.resolve(o.file ?? path.join(loadConfig().home, "keys", "archive.key"));
      try {
        createArchiveKey(file);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      console.log(`Ключ шифрования архива записан: ${file}. Новые записи архива хранятся зашифрованными; без этого ключа их не прочесть.`);
    });

  archive
    .command("anchor")
    .description("Подписать вершину цепочки хешей архива ключом организации; отметка хранится в базе и файлом отдельно от неё")
    .option("--dir <dir>", "папка для файла отметки (по умолчанию GIS_SYNC_ANCHOR_DIR или <home>/anchors)")
    .action(async (o: { dir?: string }) => {
      await withDatabase(async (ds) => {
        const a = await anchorArchive(ds, await signerFromSettings(ds), o.dir ?? anchorDir());
        console.log(`Архив заверен: запись №${a.headId}, хеш ${a.headHash.slice(0, 16)}…, отметка ${a.id} → ${o.dir ?? anchorDir()}`);
      });
    });

  archive
    .command("export")
    .description("Выгрузить сообщения операций в XML: <op>-request.xml, -ack.xml, -state-<n>.xml, -result.xml")
    .requiredOption("--dir <dir>", "папка для файлов")
    .option("--operation <id...>", "номера операций")
    .option("--from <date>", "созданные с этой даты (ГГГГ-ММ-ДД)")
    .option("--to <date>", "созданные по эту дату (ГГГГ-ММ-ДД)")
    .option("--method <name>", "метод ГИС, например importAccountData")
    .option("--state <state>", "состояние операции, например failed")
    .option("--stage <stage>", "этап конвейера, например accounts")
    .action(async (o: { dir: string; operation?: string[]; from?: string; to?: string; method?: string; state?: string; stage?: string }) => {
      const filter = {
        operationIds: o.operation,
        from: dayArg("from", o.from),
        to: dayArg("to", o.to, true),
        method: o.method,
        state: o.state,
        stage: o.stage,
      };
      await withDatabase(async (ds) => {
        const r = await exportArchive(ds, o.dir, filter);
        await ds.getRepository(AuditLog).insert({
          createdAt: new Date(),
          actor: `cli:${process.env.USER ?? "unknown"}`,
          action: "archive.export",
          target: o.dir,
          details: JSON.stringify({ filter, operations: r.operations, files: r.files.length }),
        });
        console.log(`Выгружено операций: ${r.operations}, файлов: ${r.files.length} → ${o.dir}`);
      });
    });

  archive
    .command("prune")
    .description("Очистка по сроку хранения (дни, число записей); цепочка остаётся проверяемой от контрольной точки")
    .option("--days <n>", "хранить столько дней (по умолчанию — настройка retention.archiveDays)")
    .option("--max <n>", "хранить не больше стольких записей (по умолчанию — настройка retention.archiveRecords)")
    .action(async (o: { days?: string; max?: string }) => {
      await withDatabase(async (ds) => {
        const days = intArg("days", o.days) ?? (await getSetting<number>(ds, "retention.archiveDays"));
        const maxRecords = intArg("max", o.max) ?? (await getSetting<number>(ds, "retention.archiveRecords"));
        const r = await pruneArchive(ds, { days, maxRecords });
        console.log(r.deleted ? `Удалено записей архива: ${r.deleted}; цепочка продолжается с записи ${r.keptFromId}` : "Удалять нечего");
      });
    });
}
