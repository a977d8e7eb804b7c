/**
 * The one place an operator's edit marks an object for «Отправить изменения»: its sync changedAt
 * moves past syncedAt, so push selects it (src/stages/select.ts). A new object has no identity on
 * any stand, so it is "not sent" everywhere without writing one.
 */
import { EntityMetadata } from "typeorm";
import { Values } from "../importer/rules";

export function markChanged(meta: EntityMetadata, row: Values, now: Date, _created: boolean): Values {
  if (!meta.embeddeds.some((e) => e.propertyName === "sync")) return row;
  return { ...row, sync: { changedAt: now } };
}
