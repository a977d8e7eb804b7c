/**
 * Cards of meters, entrances, premises, rooms and organizations, as one stand sees them (the
 * request's `?stand=`): the object's own fields with Russian labels and its linked objects named,
 * its GIS identity and sync status on that stand. And objects named the way an operator knows
 * them (`/api/object-names`), for the exchange viewer.
 */
import { DataSource } from "typeorm";
import { MeterAccount } from "../../../entities";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { fieldLabel } from "../../edit/labels";
import { FIELDS, Kind, oneAt } from "../../storage/identity/store";
import { badRequest, notFound } from "../http";
import { NAMED_KINDS, ObjectName, objectNames } from "../object-names";
import { assertObjectVisible, userOrganizations } from "../org-scope";
import { Ctx, Route } from "../router";
import { idParam } from "./houses";
import { requestStand } from "../stand";

export const CARD_KINDS = ["meter", "entrance", "premise", "room", "organization"] as const;
type CardKind = (typeof CARD_KINDS)[number];
const TITLE: Record<CardKind, string> = {
  meter: "Прибор учёта",
  entrance: "Подъезд",
  premise: "Помещение",
  room: "Комната",
  organization: "Организация",
};

/** Russian names of the identity fields a card shows. */
const IDENTITY_LABEL: Record<string, string> = {
  gisGuid: "ГУИД ГИС",
  gisUniqueNumber: "Уникальный номер ГИС",
  gisRootGuid: "Корневой ГУИД ГИС",
  gisVersionGuid: "ГУИД версии ГИС",
  gisNumber: "Номер ПУ в ГИС",
  gisOrgRootEntityGuid: "Корневой ГУИД в реестре организаций",
  gisOrgVersionGuid: "ГУИД версии в реестре организаций",
  gisOrgPpaGuid: "Идентификатор зарегистрированной организации (orgPPAGUID)",
  gisDataProviderGuid: "Идентификатор поставщика данных",
};

/** A field holding another object's id, and that object's kind. */
const REF_KIND: Record<string, string> = {
  houseId: "house",
  entranceId: "entrance",
  premiseId: "premise",
  roomId: "room",
  organizationId: "organization",
  replacedByMeterId: "meter",
  serviceId: "service",
};

interface CardField {
  field: string;
  label: string;
  value: unknown;
  ref?: ObjectName | null;
}

async function card(ds: DataSource, ctx: Ctx, kind: CardKind, id: number, stand: Stand) {
  const title = TITLE[kind];
  await assertObjectVisible(ctx, kind, id, `${title} ${id}`);
  const o = (await oneAt(ds, kind as Kind, id, stand)) as unknown as (Record<string, unknown> & { id: number; sync: Record<string, unknown> }) | null;
  if (!o) throw notFound(`${title} ${id}`);
  const identityFields = Object.keys(FIELDS[kind] as Record<string, string>);
  const own = ds
    .getMetadata(kind)
    .columns.filter((c) => !c.embeddedMetadata && c.propertyName !== "id" && !identityFields.includes(c.propertyName))
    .map((c) => c.propertyName);
  const refs = own.filter((f) => REF_KIND[f] && o[f] !== null && o[f] !== undefined).map((f) => ({ kind: REF_KIND[f], id: Number(o[f]) }));
  // A meter's accounts: the operator knows a meter by the accounts it counts for.
  const accountIds =
    kind === "meter" ? (await ds.getRepository(MeterAccount).find({ where: { meterId: id }, select: { accountId: true } })).map((m) => m.accountId) : [];
  const names = await objectNames(ds, [...refs, ...accountIds.map((a) => ({ kind: "account", id: a }))], userOrganizations(ctx));
  const self = (await objectNames(ds, [{ kind, id }], null)).get(`${kind}:${id}`);
  const fields: CardField[] = own.map((f) => ({
    field: f,
    label: fieldLabel(kind, f),
    value: o[f] ?? null,
    ...(REF_KIND[f] ? { ref: o[f] === null || o[f] === undefined ? null : (names.get(`${REF_KIND[f]}:${o[f]}`) ?? null) } : {}),
  }));
  return {
    kind,
    id,
    stand,
    title: `${title}: ${self?.name ?? id}`,
    name: self?.name ?? String(id),
    houseId: self?.houseId ?? null,
    object: o,
    fields,
    identity: identityFields.map((f) => ({ field: f, label: IDENTITY_LABEL[f] ?? f, value: o[f] ?? null })),
    sync: o.sync,
    accounts: accountIds.map((a) => names.get(`account:${a}`)).filter(Boolean),
  };
}

/** "account:52,meter:3" → [{kind, id}] (at most 200). */
function parseRefs(text: string | undefined): Array<{ kind: string; id: number }> {
  if (!text) return [];
  const list = text.split(",").filter(Boolean);
  if (list.length > 200) throw badRequest("Параметр refs: не больше 200 объектов");
  return list.map((x) => {
    const m = /^([a-z_]+):(\d+)$/.exec(x.trim());
    if (!m) throw badRequest(`Параметр refs: ожидается вид:номер через запятую (account:52), получено «${x}»`);
    return { kind: m[1], id: Number(m[2]) };
  });
}

export function cardRoutes(defaultStand: Stand): Route[] {
  return [
    {
      method: "GET",
      path: "/api/cards/{kind}/{id}",
      access: "accountant",
      tag: "Объекты",
      summary: `Карточка объекта (${CARD_KINDS.join(", ")}) на стенде: поля, связанные объекты по именам, идентификаторы ГИС и статус выгрузки на этом стенде`,
      query: { stand: { type: "string", enum: STANDS, description: "Стенд (по умолчанию — стенд сервера)" } },
      handler: async (ctx) => {
        const kind = ctx.params.kind as CardKind;
        if (!CARD_KINDS.includes(kind)) throw badRequest(`Карточка: вид «${ctx.params.kind}» неизвестен — ${CARD_KINDS.join(", ")}`);
        return card(ctx.ds, ctx, kind, idParam(ctx.params.id, TITLE[kind]), requestStand(ctx));
      },
    },
    {
      method: "GET",
      path: "/api/object-names",
      access: "accountant",
      tag: "Объекты",
      summary: `Объекты по именам, которые знает оператор (номер ЛС, адрес дома, заводской номер ПУ, номер и период ПД) вместо внутренних номеров; refs — вид:номер через запятую (${NAMED_KINDS.join(", ")})`,
      query: { refs: { type: "string", required: true, description: "Объекты: account:52,house:3 (не больше 200)" } },
      handler: async (ctx) => {
        const refs = parseRefs(ctx.query.str("refs", { max: 10000 }));
        return { items: [...(await objectNames(ctx.ds, refs, userOrganizations(ctx))).values()] };
      },
    },
  ];
}
