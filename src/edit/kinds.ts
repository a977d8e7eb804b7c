/**
 * The objects an operator enters and edits by hand — every one the pipeline sends to GIS. Each
 * kind's fields are the billing bundle's (src/bundle/format.ts), so a form, the importer and the
 * field markers agree on what a field is and how it is checked; a few fields the bundle does not
 * carry (a contract's annulment reason, a meter's replacement…) are added here.
 */
import { EntityTarget, ObjectLiteral } from "typeorm";
import { Account, Contract, Entrance, House, Meter, Organization, Premise, Room } from "../../entities";
import { FieldSpec, FieldType, fileSpec } from "../bundle/format";

export interface EditKind {
  /** field_policy.entityType, gis_operation_item.objectType and the table name. */
  entity: string;
  target: EntityTarget<ObjectLiteral>;
  /** The bundle file whose columns are this kind's fields. */
  file: string;
  /** The API's path segment: /api/{plural}, /api/{plural}/{id}. */
  plural: string;
  /** Russian name of one object: «Лицевой счёт». */
  title: string;
  /** The object in words, for messages: «Лицевой счёт 1234». */
  name(o: ObjectLiteral): string;
  /** Fields outside the bundle an operator may enter (never imported). */
  extra: FieldSpec[];
  /** Fields set once, when the object is created. */
  fixed: string[];
  /** The pipeline stage that sends it (for «Отправить» after an edit). */
  stage: string;
}

const f = (column: string, property: string, type: FieldType): FieldSpec => ({ column, property, type });
const str = (max: number): FieldType => ({ kind: "string", max });

export const EDIT_KINDS: EditKind[] = [
  {
    entity: "organization",
    target: Organization,
    file: "organizations",
    plural: "organizations",
    title: "Организация",
    name: (o) => `Организация ${o.shortName ?? o.fullName ?? ""}`.trim(),
    extra: [],
    fixed: [],
    stage: "services",
  },
  {
    entity: "contract",
    target: Contract,
    file: "contracts",
    plural: "contracts",
    title: "Договор",
    name: (o) => `${o.kind === "charter" ? "Устав" : "Договор"} ${o.number ?? "б/н"}`,
    extra: [
      f("annulment_reason", "annulmentReason", str(1000)),
      f("payment_info_day", "paymentInfoDay", { kind: "int", min: 1, max: 31 }),
      f("note", "note", str(4000)),
    ],
    fixed: ["organizationId", "kind"],
    stage: "contracts",
  },
  {
    entity: "house",
    target: House,
    file: "houses",
    plural: "houses",
    title: "Дом",
    name: (o) => `Дом ${o.address ?? ""}`.trim(),
    extra: [],
    fixed: [],
    stage: "fund",
  },
  {
    entity: "entrance",
    target: Entrance,
    file: "entrances",
    plural: "entrances",
    title: "Подъезд",
    name: (o) => `Подъезд ${o.number ?? ""}`.trim(),
    extra: [],
    fixed: ["houseId"],
    stage: "fund",
  },
  {
    entity: "premise",
    target: Premise,
    file: "premises",
    plural: "premises",
    title: "Помещение",
    name: (o) => `Помещение ${o.number ?? ""}`.trim(),
    extra: [f("annulment_reason_code", "annulmentReasonCode", str(20))],
    fixed: ["houseId"],
    stage: "fund",
  },
  {
    entity: "room",
    target: Room,
    file: "rooms",
    plural: "rooms",
    title: "Комната",
    name: (o) => `Комната ${o.number ?? ""}`.trim(),
    extra: [],
    fixed: ["houseId"],
    stage: "fund",
  },
  {
    entity: "account",
    target: Account,
    file: "accounts",
    plural: "accounts",
    title: "Лицевой счёт",
    name: (o) => `Лицевой счёт ${o.number ?? ""}`.trim(),
    extra: [f("is_accounts_divided", "isAccountsDivided", { kind: "bool" }), f("note", "note", str(4000))],
    fixed: ["organizationId"],
    stage: "accounts",
  },
  {
    entity: "meter",
    target: Meter,
    file: "meters",
    plural: "meters",
    title: "Прибор учёта",
    name: (o) => `Прибор учёта ${o.factoryNumber ?? ""}`.trim(),
    extra: [
      f("last_verification_date", "lastVerificationDate", { kind: "date" }),
      f("replaced_by_meter_id", "replacedByMeterId", { kind: "ref", file: "meters" }),
    ],
    fixed: ["organizationId"],
    stage: "meters",
  },
];

export function editKind(entity: string): EditKind | undefined {
  return EDIT_KINDS.find((k) => k.entity === entity);
}

/** Every field of a kind an operator can see in its form: the bundle's (with a property) and the extras. */
export function editFields(k: EditKind): FieldSpec[] {
  const own = fileSpec(k.file).fields.filter((x) => x.property && x.property !== "externalId");
  return [...own, ...k.extra.filter((x) => !own.some((o) => o.property === x.property))];
}
