/**
 * `gis-sync archive verify`: walks the chain from the retention checkpoint in id order, a page at
 * a time (memory does not grow with the archive), and names the first entry that does not fit.
 */
import { DataSource, MoreThanOrEqual } from "typeorm";
import { ArchiveEntry } from "../../entities/archive-entry";
import { entryHash } from "./chain";
import { readCheckpoint } from "./checkpoint";

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadId?: number;
  operationId?: string;
  reason?: string;
}

const PAGE = 500;

export async function verifyArchive(ds: DataSource): Promise<VerifyResult> {
  const checkpoint = await readCheckpoint(ds);
  const repo = ds.getRepository(ArchiveEntry);
  let expectedPrev = checkpoint.prevHash;
  let nextId = checkpoint.fromId;
  let checked = 0;
  let first = true;
  for (;;) {
    const page = await repo.find({ where: { id: MoreThanOrEqual(nextId) }, order: { id: "ASC" }, take: PAGE });
    for (const e of page) {
      const bad = (reason: string): VerifyResult => ({ ok: false, checked, firstBadId: e.id, operationId: e.operationId, reason });
      if (e.prevHash !== expectedPrev) {
        return bad(
          first && checkpoint.fromId > 0
            ? "первые записи после очистки по сроку хранения удалены или изменены"
            : "цепочка разорвана: предыдущая запись удалена или изменена",
        );
      }
      first = false;
      if (entryHash(e.prevHash, e) !== e.hash) return bad("содержимое записи изменено после сохранения");
      if (e.sizeBytes !== Buffer.byteLength(e.body, "utf8")) return bad("размер тела не совпадает с сохранённым");
      expectedPrev = e.hash;
      checked++;
    }
    if (page.length < PAGE) break;
    nextId = page[page.length - 1].id + 1;
  }
  return { ok: true, checked };
}
