/**
 * `gis-sync archive export`: an operation's messages as the XML files GIS support asks for —
 * <operation>-request.xml, -signed-request.xml, -ack.xml, -state-<n>.xml, -result.xml, -fault.xml.
 * Operations and their messages are read a page at a time.
 */
import fs from "node:fs";
import path from "node:path";
import { DataSource } from "typeorm";
import { ArchiveEntry } from "../../entities/archive-entry";
import { GisOperation } from "../../entities/gis-operation";

export interface ExportFilter {
  operationIds?: string[];
  from?: Date;
  to?: Date;
  method?: string;
  state?: string;
  stage?: string;
}

export interface ExportResult {
  operations: number;
  files: string[];
}

const PAGE = 200;

function fileName(opId: string, e: ArchiveEntry, stateNo: number): string {
  switch (e.kind) {
    case "request":
      return `${opId}-request.xml`;
    case "signed_request":
      return `${opId}-signed-request.xml`;
    case "ack":
      return `${opId}-ack.xml`;
    case "state":
      return `${opId}-state-${stateNo}.xml`;
    case "result":
      return `${opId}-result.xml`;
    case "fault":
      return `${opId}-fault-${e.seq}.xml`;
  }
}

export async function exportArchive(ds: DataSource, dir: string, f: ExportFilter = {}): Promise<ExportResult> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let operations = 0;
  let after = "";
  for (;;) {
    const q = ds.getRepository(GisOperation).createQueryBuilder("o").where("o.id > :after", { after }).orderBy("o.id", "ASC").take(PAGE);
    if (f.operationIds?.length) q.andWhere("o.id IN (:...ids)", { ids: f.operationIds });
    if (f.from) q.andWhere("o.createdAt >= :from", { from: f.from });
    if (f.to) q.andWhere("o.createdAt <= :to", { to: f.to });
    if (f.method) q.andWhere("o.method = :method", { method: f.method });
    if (f.state) q.andWhere("o.state = :state", { state: f.state });
    if (f.stage) q.andWhere("o.stage = :stage", { stage: f.stage });
    const ops = await q.getMany();
    for (const op of ops) {
      operations++;
      let stateNo = 0;
      const entries = await ds.getRepository(ArchiveEntry).find({ where: { operationId: op.id }, order: { seq: "ASC" } });
      for (const e of entries) {
        if (e.kind === "state") stateNo++;
        const name = fileName(op.id, e, stateNo);
        fs.writeFileSync(path.join(dir, name), e.body, "utf8");
        files.push(name);
      }
    }
    if (ops.length < PAGE) break;
    after = ops[ops.length - 1].id;
  }
  return { operations, files };
}
