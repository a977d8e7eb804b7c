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
  const archive = program.command("archive").description("The exchange archive: verify the hash chain, export XML for GIS support, prune");

  archive
    .command("verify")
    .description("Walk the hash chain and name the first altered entry; --signatures also re-checks GIS's signatures on its answers")
    .option("--signatures", "re-verify the XAdES signatures GIS put on its answers")
    .option("--operation <id...>", "only these operations (with --signatures)")
    .option("--anchors <dir>", "folder of the signed anchors kept apart (default GIS_SYNC_ANCHOR_DIR or <home>/anchors)")
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
    .description("Make the key that encrypts the archive's XML at rest (default <home>/keys/archive.key; keep a copy apart from the database backups)")
    .option("--file <file>", "where to write it (then set GIS_SYNC_ARCHIVE_KEY_FILE to it)")
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
    .description("Sign the archive's hash-chain head with the organization's key; kept in the database and as a file apart from it")
    .option("--dir <dir>", "folder for the anchor file (default GIS_SYNC_ANCHOR_DIR or <home>/anchors)")
    .action(async (o: { dir?: string }) => {
      await withDatabase(async (ds) => {
        const a = await anchorArchive(ds, await signerFromSettings(ds), o.dir ?? anchorDir());
        console.log(`Архив заверен: запись №${a.headId}, хеш ${a.headHash.slice(0, 16)}…, отметка ${a.id} → ${o.dir ?? anchorDir()}`);
      });
    });

  archive
    .command("export")
    .description("Write operations' messages as XML files: <op>-request.xml, -ack.xml, -state-<n>.xml, -result.xml")
    .requiredOption("--dir <dir>", "output folder")
    .option("--operation <id...>", "operation ids")
    .option("--from <date>", "created on or after (YYYY-MM-DD)")
    .option("--to <date>", "created on or before (YYYY-MM-DD)")
    .option("--method <name>", "GIS method, e.g. importAccountData")
    .option("--state <state>", "operation state, e.g. failed")
    .option("--stage <stage>", "pipeline stage, e.g. accounts")
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
    .description("Apply retention (days, record count); the chain stays verifiable from a checkpoint")
    .option("--days <n>", "keep this many days (default: setting retention.archiveDays)")
    .option("--max <n>", "keep at most this many entries (default: setting retention.archiveRecords)")
    .action(async (o: { days?: string; max?: string }) => {
      await withDatabase(async (ds) => {
        const days = intArg("days", o.days) ?? (await getSetting<number>(ds, "retention.archiveDays"));
        const maxRecords = intArg("max", o.max) ?? (await getSetting<number>(ds, "retention.archiveRecords"));
        const r = await pruneArchive(ds, { days, maxRecords });
        console.log(r.deleted ? `Удалено записей архива: ${r.deleted}; цепочка продолжается с записи ${r.keptFromId}` : "Удалять нечего");
      });
    });
}
