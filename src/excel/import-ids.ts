/**
 * `gis-sync excel import-ids`: reads the workbooks GIS processed and writes the identifiers it
 * assigned onto our objects — houses, entrances, premises, rooms, accounts (ГУИД, ЕЛС, ИЖКУ),
 * meters, contracts, payment documents (ИПД). Rows we cannot match and rows GIS rejected are
 * listed with file, sheet and row. The identifiers are one stand's (the stand whose GIS processed
 * the files): they are written to that stand's gis_identity rows, other stands keep theirs.
 */
import fs from "node:fs";
import path from "node:path";
import { DataSource, EntityManager, EntityTarget, In, ObjectLiteral } from "typeorm";
import { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { Account, Contract, ContractObject, Entrance, House, Meter, PaymentDocument, Premise, Room } from "../../entities";
import { IdentityWrite, Identities, Kind, writeIdentities } from "../storage/identity/store";
import { whereOfStand } from "../storage/identity/origin";
import { UserError } from "../util/errors";
import { readAnswer } from "./gis-answer";
import { ProcessedRow, readProcessedWorkbook } from "./processed-reader";
import { InputLimits, inputLimits } from "../util/input-bounds";

export interface RowNote {
  file: string;
  sheet: string;
  row: number;
  /** What the row is about ("ЛС 1600000001", "ул. Ленина, д. 1, кв. 5"). */
  object: string;
  text: string;
}

export interface ImportIdsResult {
  files: string[];
  /** Rows whose identifiers were written. */
  applied: number;
  /** Rows GIS accepted that carry no identifier to keep (readings, bill lines). */
  acceptedWithoutIds: number;
  unprocessed: number;
  rejected: RowNote[];
  unmatched: RowNote[];
  skippedSheets: Array<{ file: string; sheet: string; why: string }>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class Unmatched extends Error {}

/** Finds our objects by what the row says; houses are cached (there are few of them). */
class Finder {
  private houses = new Map<string, House | null>();
  constructor(
    public em: EntityManager,
    private readonly stand: string,
  ) {}

  async house(v: Record<string, string>): Promise<House> {
    const fias = v.fiasHouseGuid?.trim().toLowerCase();
    const address = v.address?.trim();
    const key = `${fias}|${address}`;
    if (!this.houses.has(key)) {
      const repo = this.em.getRepository(House);
      let found: House | null = null;
      if (fias) {
        const list = await repo.find({ where: { fiasHouseGuid: fias }, order: { id: "ASC" } });
        found = list.find((h) => !h.closedDate) ?? list[0] ?? null;
        if (list.length > 1 && address) found = list.find((h) => h.address === address) ?? found;
      }
      if (!found && address) found = await repo.findOne({ where: { address }, order: { id: "ASC" } });
      this.houses.set(key, found);
    }
    const h = this.houses.get(key);
    if (!h) throw new Unmatched(`дом не найден ни по ФИАС ГУИД «${fias ?? ""}», ни по адресу «${address ?? ""}»`);
    return h;
  }

  async premise(v: Record<string, string>): Promise<Premise> {
    const h = await this.house(v);
    const number = v.premiseNumber?.trim();
    if (!number) throw new Unmatched("не указан номер помещения");
    const p = await this.em.getRepository(Premise).findOne({ where: { houseId: h.id, number }, order: { id: "ASC" } });
    if (!p) throw new Unmatched(`помещение № ${number} не найдено в доме «${h.address}»`);
    return p;
  }

  async room(v: Record<string, string>): Promise<Room> {
    const h = await this.house(v);
    const number = v.roomNumber?.trim();
    if (!number) throw new Unmatched("не указан номер комнаты");
    const where: Record<string, unknown> = { houseId: h.id, number };
    if (v.premiseNumber?.trim()) where.premiseId = (await this.premise(v)).id;
    const r = await this.em.getRepository(Room).findOne({ where, order: { id: "ASC" } });
    if (!r) throw new Unmatched(`комната № ${number} не найдена в доме «${h.address}»`);
    return r;
  }

  private accounts = new Map<string, Array<{ id: number; number: string }>>();

  /** One query for a batch of rows: account numbers are not indexed on their own. */
  async prefetchAccounts(numbers: string[]): Promise<void> {
    const wanted = [...new Set(numbers.map((n) => n.trim()).filter((n) => n && !this.accounts.has(n)))];
    if (!wanted.length) return;
    if (this.accounts.size > 100_000) this.accounts.clear();
    for (const n of wanted) this.accounts.set(n, []);
    const rows = await this.em.getRepository(Account).find({ select: { id: true, number: true }, where: { number: In(wanted) } });
    for (const a of rows) this.accounts.get(a.number)?.push(a);
  }

  async account(v: Record<string, string>): Promise<{ id: number; number: string }> {
    const number = v.accountNumber?.trim();
    if (!number) throw new Unmatched("не указан номер ЛС");
    if (!this.accounts.has(number)) await this.prefetchAccounts([number]);
    const list = this.accounts.get(number)!;
    if (list.length === 0) throw new Unmatched(`лицевой счёт № ${number} не найден`);
    if (list.length > 1) throw new Unmatched(`номер ЛС ${number} есть у нескольких организаций — сопоставьте вручную`);
    return list[0];
  }

  async meter(v: Record<string, string>): Promise<Meter> {
    const factoryNumber = v.factoryNumber?.trim();
    if (!factoryNumber) throw new Unmatched("не указан заводской номер ПУ");
    const where: Record<string, unknown> = { factoryNumber };
    if (v.fiasHouseGuid || v.address) where.houseId = (await this.house(v)).id;
    const list = await this.em.getRepository(Meter).find({ where, order: { id: "ASC" } });
    const active = list.filter((m) => m.state === "active");
    if (list.length === 0) throw new Unmatched(`ПУ с заводским номером ${factoryNumber} не найден`);
    if (active.length > 1) throw new Unmatched(`ПУ с заводским номером ${factoryNumber} в доме несколько — сопоставьте вручную`);
    return active[0] ?? list[0];
  }

  async contract(v: Record<string, string>, kind: "management" | "supply"): Promise<Contract> {
    const number = v.contractNumber?.trim();
    const c = number ? await this.em.getRepository(Contract).findOne({ where: { number, kind }, order: { id: "ASC" } }) : null;
    if (!c) throw new Unmatched(`договор № ${number ?? ""} не найден`);
    return c;
  }

  async paymentDocument(v: Record<string, string>): Promise<PaymentDocument> {
    const account = await this.account(v);
    const number = v.documentNumber?.trim();
    // Ours or the stand's own: a document loaded from another stand is not the one this stand's file names.
    const find = (column: "number" | "externalId") =>
      whereOfStand(this.em.getRepository(PaymentDocument).createQueryBuilder("d"), "d", this.stand)
        .andWhere(`d.accountId = :account AND d.${column} = :number`, { account: account.id, number })
        .orderBy("d.id", "ASC")
        .getOne();
    const d = (number && (await find("number"))) || (number && (await find("externalId")));
    if (!d) throw new Unmatched(`платёжный документ № ${number ?? ""} по ЛС ${account.number} не найден`);
    return d;
  }
}

function describe(r: ProcessedRow): string {
  const v = r.values;
  const bits = [
    v.accountNumber && `ЛС ${v.accountNumber}`,
    v.contractNumber && `договор ${v.contractNumber}`,
    v.documentNumber && `ПД ${v.documentNumber}`,
    v.factoryNumber && `ПУ ${v.factoryNumber}`,
    v.address,
    v.entranceNumber && `подъезд ${v.entranceNumber}`,
    v.premiseNumber && `пом. ${v.premiseNumber}`,
    v.roomNumber && `комн. ${v.roomNumber}`,
  ].filter(Boolean);
  return bits.join(", ") || "—";
}

function guid(ids: Record<string, string>, key: string, header: string): string | undefined {
  const g = ids[key];
  if (g === undefined) return undefined;
  if (!GUID.test(g)) throw new Unmatched(`в столбце «${header}» не ГУИД: «${g}»`);
  return g.toLowerCase();
}

/**
 * UPDATE … WHERE id = ? with the id bound as a parameter. TypeORM inlines numbers into the SQL,
 * so every row would prepare a new statement; better-sqlite3 frees evicted ones only when V8
 * collects them — about 4 KB of native memory per row on a million-row file.
 */
async function byId<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, id: number, patch: QueryDeepPartialEntity<T>): Promise<void> {
  await em
    .createQueryBuilder()
    .update(entity)
    .set(patch)
    .where("id = :id", { id: String(id) })
    .execute();
}

/** What GIS accepting a row sets on the stand: the object is in GIS as it was sent. */
const ACCEPTED = { status: "ok" as const, errorCode: null, errorText: null };

/**
 * A batch's identity writes, filed on the stand in one set-based write when the batch ends (a row
 * at a time would be three statements per row on a million-row file).
 */
class Identified {
  writes: IdentityWrite[] = [];
  constructor(private readonly now: Date) {}

  /** Only what GIS gave: an empty answer cell leaves the stand's value as it is. */
  add<K extends Kind>(kind: K, objectId: number, fields: Partial<Record<keyof Identities[K], string | undefined>>, accepted = true): void {
    const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== "")) as Partial<Identities[K]>;
    this.writes.push({ kind, objectId, fields: given, sync: accepted ? { ...ACCEPTED, syncedAt: this.now } : undefined });
  }
}

/** Collects one accepted row's identifiers; returns false when the row carries none to keep. */
async function applyRow(em: EntityManager, find: Finder, ids: Identified, r: ProcessedRow, answer: Record<string, string>): Promise<boolean> {
  const header = (key: string) => r.sheetDef.columns.find((c) => c.key === key)?.header ?? key;
  const g = guid(answer, "gisGuid", header("gisGuid"));
  switch (r.sheetDef.object) {
    case "house": {
      const h = await find.house(r.values);
      ids.add("house", h.id, { gisHouseGuid: g, gisUniqueNumber: answer.gisUniqueNumber });
      return true;
    }
    case "temp_address": {
      // The FIAS GUID of a temporary address is the house's own (every stand sees the same FIAS).
      const h = await find.house({ address: r.values.address });
      const f = guid(answer, "fiasHouseGuid", header("fiasHouseGuid"));
      if (!f) return false;
      await byId(em, House, h.id, { fiasHouseGuid: f });
      return true;
    }
    case "entrance": {
      const h = await find.house(r.values);
      const e = await em.getRepository(Entrance).findOneBy({ houseId: h.id, number: r.values.entranceNumber?.trim() ?? "" });
      if (!e) throw new Unmatched(`подъезд № ${r.values.entranceNumber ?? ""} не найден в доме «${h.address}»`);
      ids.add("entrance", e.id, { gisGuid: g });
      return true;
    }
    case "premise": {
      const p = await find.premise(r.values);
      ids.add("premise", p.id, { gisGuid: g, gisUniqueNumber: answer.gisUniqueNumber });
      return true;
    }
    case "room": {
      const rm = await find.room(r.values);
      ids.add("room", rm.id, { gisGuid: g, gisUniqueNumber: answer.gisUniqueNumber });
      return true;
    }
    case "account": {
      const a = await find.account(r.values);
      ids.add("account", a.id, { gisAccountGuid: g, unifiedNumber: answer.unifiedNumber });
      return true;
    }
    case "accommodation": {
      if (!answer.utilityServiceId) return false;
      const a = await find.account(r.values);
      ids.add("account", a.id, { utilityServiceId: answer.utilityServiceId }, false);
      return true;
    }
    case "meter": {
      const m = await find.meter(r.values);
      const vg = guid(answer, "gisVersionGuid", header("gisVersionGuid"));
      ids.add("meter", m.id, { gisRootGuid: g, gisVersionGuid: vg, gisNumber: answer.gisNumber });
      return true;
    }
    case "contract": {
      const c = await find.contract(r.values, r.template.kind === "contracts" ? "management" : "supply");
      ids.add("contract", c.id, { gisContractGuid: g });
      return true;
    }
    case "contract_object": {
      const c = await find.contract(r.values, r.template.kind === "contracts" ? "management" : "supply");
      const h = await find.house(r.values);
      const o = await em.getRepository(ContractObject).findOne({ where: { contractId: c.id, houseId: h.id }, order: { id: "ASC" } });
      if (!o) throw new Unmatched(`дом «${h.address}» не найден среди объектов договора № ${c.number}`);
      ids.add("contract_object", o.id, { gisObjectGuid: g });
      return true;
    }
    case "payment_document": {
      const d = await find.paymentDocument(r.values);
      ids.add("payment_document", d.id, { gisPaymentDocumentId: answer.gisPaymentDocumentId, gisGuid: g });
      return true;
    }
    default:
      return false; // readings, bill lines: nothing GIS assigns
  }
}

/** The .xlsx files of a folder (or one file). */
export function workbooksIn(target: string): string[] {
  if (!fs.existsSync(target)) throw new UserError(`Каталог «${target}» не найден`);
  if (fs.statSync(target).isFile()) return [target];
  const files = fs
    .readdirSync(target)
    .filter((f) => /\.xlsx$/i.test(f) && !f.startsWith("~$"))
    .sort()
    .map((f) => path.join(target, f));
  if (!files.length) throw new UserError(`В каталоге «${target}» нет файлов .xlsx`);
  return files;
}

/** Reads the processed workbooks of `target` and writes the identifiers onto `stand`'s view of our objects. */
export async function importIds(ds: DataSource, stand: string, target: string, limits?: InputLimits): Promise<ImportIdsResult> {
  const files = workbooksIn(target);
  const bounds = limits ?? (await inputLimits(ds));
  const result: ImportIdsResult = { files, applied: 0, acceptedWithoutIds: 0, unprocessed: 0, rejected: [], unmatched: [], skippedSheets: [] };
  for (const file of files) {
    const find = new Finder(ds.manager, stand);
    const onSkip = (sheet: string, why: string) => result.skippedSheets.push({ file: path.basename(file), sheet, why });
    const handle = async (em: EntityManager, ids: Identified, r: ProcessedRow) => {
      const answerKeys = r.sheetDef.columns.filter((c) => c.role === "answer").map((c) => c.key);
      const answer = readAnswer(r.values, answerKeys);
      const note = (text: string): RowNote => ({ file: r.file, sheet: r.sheet, row: r.row, object: describe(r), text });
      if (answer.state === "unprocessed") {
        result.unprocessed++;
        return;
      }
      if (answer.state === "rejected") {
        result.rejected.push(note(answer.text));
        return;
      }
      try {
        if (await applyRow(em, find, ids, r, answer.ids)) result.applied++;
        else result.acceptedWithoutIds++;
      } catch (e) {
        if (e instanceof Unmatched) result.unmatched.push(note(e.message));
        else throw e;
      }
    };
    // One transaction per 500 rows: a whole-file transaction kept every dirty page in SQLite's
    // memory (≈4 KB a row). Writing an identifier twice is harmless, so a file that fails half
    // way is simply loaded again.
    let batch: ProcessedRow[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await ds.transaction(async (em) => {
        find.em = em;
        await find.prefetchAccounts(batch.map((r) => r.values.accountNumber ?? ""));
        const ids = new Identified(new Date());
        for (const r of batch) await handle(em, ids, r);
        await writeIdentities(em, stand, ids.writes);
      });
      batch = [];
    };
    for await (const r of readProcessedWorkbook(file, onSkip, bounds)) {
      batch.push(r);
      if (batch.length >= 500) await flush();
    }
    await flush();
  }
  return result;
}

export function formatImportIds(r: ImportIdsResult): string {
  const out = [
    `Прочитано файлов: ${r.files.length}. Записаны идентификаторы: ${r.applied} строк; принято без идентификаторов: ${r.acceptedWithoutIds}; не обработано ГИС: ${r.unprocessed}.`,
  ];
  for (const s of r.skippedSheets) out.push(`Пропущен лист «${s.sheet}» файла «${s.file}»: ${s.why}`);
  if (r.rejected.length) {
    out.push(`\nОтклонено ГИС ЖКХ (${r.rejected.length}):`);
    for (const n of r.rejected) out.push(`  ${n.file}, лист «${n.sheet}», строка ${n.row}: ${n.object} — ${n.text}`);
  }
  if (r.unmatched.length) {
    out.push(`\nНе сопоставлены с базой (${r.unmatched.length}):`);
    for (const n of r.unmatched) out.push(`  ${n.file}, лист «${n.sheet}», строка ${n.row}: ${n.object} — ${n.text}`);
  }
  return out.join("\n");
}
