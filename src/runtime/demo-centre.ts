/**
 * The settlement centre's demo installation: which organizations it sends for (the ones marked ours
 * besides the centre itself, the managing organization first — it places the housing fund the
 * supplier then finds in GIS), and the files an operator attaches to the managing organization's
 * contracts before GIS takes them (the scan of each management contract; GIS requires it).
 */
import fs from "node:fs";
import path from "node:path";
import { DataSource, In } from "typeorm";
import { Attachment } from "../../entities/attachment";
import { Contract } from "../../entities/contract";
import { Organization } from "../../entities/organization";
import { attachmentsDir } from "../exchange/attachments";
import { UserError } from "../util/errors";

export interface CentreOrganizations {
  /** The installation's operator (role RC), when the bundle names one. */
  centre: Organization | null;
  /** The organizations the centre sends for, the managing ones first. */
  served: Organization[];
}

export async function centreOrganizations(ds: DataSource): Promise<CentreOrganizations> {
  const ours = await ds.getRepository(Organization).find({ where: { isOurs: true }, order: { id: "ASC" } });
  const centre = ours.find((o) => o.role === "RC") ?? null;
  const served = ours.filter((o) => o !== centre).sort((a, b) => Number(b.role === "UO") - Number(a.role === "UO"));
  if (served.length === 0) throw new UserError("В демонстрационной выгрузке нет ни одной организации, за которую отправляются данные");
  return { centre, served };
}

/** A minimal one-page PDF naming the contract: the scan the operator would attach. */
function contractPdf(c: Contract): Buffer {
  const text = `Dogovor upravleniya ${c.externalId} ot ${c.signedDate ?? ""}`.replace(/[()\\]/g, "");
  const stream = `BT /F1 14 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/** Attaches a contract file to every management contract that has none yet (made once; GIS_SYNC_HOME/attachments/contracts). */
export async function attachContractScans(ds: DataSource, home: string): Promise<number> {
  const contracts = await ds.getRepository(Contract).find({ where: { kind: "management" }, order: { id: "ASC" } });
  if (contracts.length === 0) return 0;
  const have = new Set(
    (await ds.getRepository(Attachment).find({ select: { ownerId: true }, where: { ownerType: "contract", ownerId: In(contracts.map((c) => c.id)) } })).map(
      (a) => a.ownerId,
    ),
  );
  const dir = path.join(attachmentsDir(home), "contracts");
  let added = 0;
  for (const c of contracts) {
    if (have.has(c.id)) continue;
    const name = `${c.externalId.replace(/[^\w-]/g, "_")}.pdf`;
    const bytes = contractPdf(c);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), bytes);
    await ds.getRepository(Attachment).insert({
      ownerType: "contract",
      ownerId: c.id,
      fileName: name,
      storagePath: `contracts/${name}`,
      name: `Договор управления № ${c.number ?? c.externalId}`,
      description: "Договор управления многоквартирным домом",
      documentType: null,
      sizeBytes: bytes.length,
      hash: null,
      uploadedAt: null,
    });
    added++;
  }
  return added;
}
