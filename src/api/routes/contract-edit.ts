/** Договоры, изменения: вложения (загрузка файлов) и массовое включение домов в договор. */
import { Contract } from "../../../entities";
import { Attachment } from "../../../entities/attachment";
import { attachmentView, FILE_NAME_HEADER, fileNameOf, MAX_ATTACHMENT_BYTES, removeAttachmentFile, storeAttachment } from "../attachment-files";
import { audit } from "../audit";
import { addHousesToContract } from "../contract-houses";
import { badRequest, conflict, notFound } from "../http";
import { PAGED_QUERY, paged } from "../paging";
import { assertOrganizationVisible } from "../org-scope";
import { Ctx, Route } from "../router";
import { idParam } from "./houses";
import { hydrate, oneAt } from "../../storage/identity/store";
import { requestStand } from "../stand";
import { GisIdentity } from "../../../entities/gis-identity";
import { IsNull, Not } from "typeorm";

const OWNER = "contract";

async function contractOrFail(ctx: Ctx, id: string): Promise<Contract> {
  const c = await ctx.ds.getRepository(Contract).findOneBy({ id: idParam(id, "Договор") });
  if (!c) throw notFound(`Договор ${id}`);
  assertOrganizationVisible(ctx, c.organizationId, `Договор ${id}`);
  return c;
}

const titleOf = (c: Contract) => `Договор ${c.number ?? c.externalId}`;

export const contractEditRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/contracts/{id}/attachments",
    access: "accountant",
    tag: "Договоры",
    paged: true,
    summary: "Вложения договора: имя файла, размер, хеш (ГОСТ Р 34.11-2012), ГУИД вложения в ГИС и когда файл загружен в ГИС",
    query: { ...PAGED_QUERY },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const c = await contractOrFail(ctx, params.id);
      const qb = ds
        .getRepository(Attachment)
        .createQueryBuilder("a")
        .where("a.ownerType = :t AND a.ownerId = :id", { t: OWNER, id: c.id })
        .orderBy("a.id", "ASC");
      return paged(qb, query, async (rows) => (await hydrate(ds, "attachment", rows, requestStand(ctx))).map(attachmentView));
    },
  },
  {
    method: "POST",
    path: "/api/contracts/{id}/attachments",
    access: "operator",
    tag: "Договоры",
    summary: `Загрузить вложение договора: файл — тело запроса (application/octet-stream, до ${MAX_ATTACHMENT_BYTES >> 20} МБ), имя — заголовок ${FILE_NAME_HEADER} (encodeURIComponent); в ГИС файл уходит перед отправкой договора`,
    rawBody: {
      maxBytes: MAX_ATTACHMENT_BYTES,
      headers: { [FILE_NAME_HEADER]: { type: "string", required: true, description: "Имя файла, закодированное encodeURIComponent" } },
    },
    handler: async (ctx) => {
      const c = await contractOrFail(ctx, ctx.params.id);
      const what = `${titleOf(c)}, вложение`;
      const fileName = fileNameOf(ctx.req.headers[FILE_NAME_HEADER.toLowerCase()], what);
      const bytes = ctx.body as Buffer;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw badRequest(`${what} «${fileName}», тело запроса: пустой файл`);
      const a = (await oneAt(ctx.ds, "attachment", (await storeAttachment(ctx.ds, OWNER, c.id, fileName, bytes)).id, requestStand(ctx)))!;
      await audit(ctx.ds, ctx.actor, "contract.attachment.add", `contract:${c.id}`, { attachmentId: a.id, fileName, sizeBytes: bytes.length, hash: a.hash });
      ctx.res.statusCode = 201;
      return attachmentView(a);
    },
  },
  {
    method: "DELETE",
    path: "/api/contracts/{id}/attachments/{attachmentId}",
    access: "operator",
    tag: "Договоры",
    summary: "Удалить вложение договора — только пока оно не загружено в ГИС",
    handler: async (ctx) => {
      const c = await contractOrFail(ctx, ctx.params.id);
      const a = await ctx.ds.getRepository(Attachment).findOneBy({ id: idParam(ctx.params.attachmentId, "Вложение"), ownerType: OWNER, ownerId: c.id });
      if (!a) throw notFound(`Вложение ${ctx.params.attachmentId} договора ${c.id}`);
      // Uploaded to any stand's file store: a contract there cites it.
      const uploaded = await ctx.ds.getRepository(GisIdentity).findOneBy({ objectType: "attachment", objectId: a.id, guid: Not(IsNull()) });
      if (uploaded)
        throw conflict(`${titleOf(c)}, вложение «${a.fileName}»: уже загружено в ГИС (стенд ${uploaded.stand}, ГУИД ${uploaded.guid}), удалить нельзя`);
      await ctx.ds.getRepository(Attachment).delete({ id: a.id });
      await removeAttachmentFile(a);
      await audit(ctx.ds, ctx.actor, "contract.attachment.remove", `contract:${c.id}`, { attachmentId: a.id, fileName: a.fileName, hash: a.hash });
      return { id: a.id, deleted: true };
    },
  },
  {
    method: "POST",
    path: "/api/contracts/{id}/objects",
    access: "operator",
    tag: "Договоры",
    summary: "Включить дома в договор (массово): новые объекты договора с услугами; дома, уже включённые, пропускаются",
    body: {
      houseIds: { type: "array", items: "integer", required: true, description: "Дома (до 10000)" },
      startDate: { type: "string", description: "Дата начала ГГГГ-ММ-ДД (по умолчанию дата вступления договора в силу)" },
      serviceIds: { type: "array", items: "integer", description: "Услуги объектов (по умолчанию услуги других объектов договора)" },
    },
    handler: async (ctx) => {
      const c = await contractOrFail(ctx, ctx.params.id);
      const b = ctx.json(titleOf(c));
      const houseIds = b.intList("houseIds", { required: true, max: 10000 })!;
      const startDate = b.str("startDate", { pattern: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, hint: "ожидается дата ГГГГ-ММ-ДД" });
      const serviceIds = b.intList("serviceIds", { max: 1000 });
      const r = await addHousesToContract(ctx.ds, c, { houseIds, startDate, serviceIds });
      await audit(ctx.ds, ctx.actor, "contract.objects.add", `contract:${c.id}`, {
        added: r.added.length,
        skipped: r.skipped.length,
        houseIds: r.added.slice(0, 200).map((a) => a.houseId),
        startDate: r.startDate,
        serviceIds: r.serviceIds,
      });
      return r;
    },
  },
];
