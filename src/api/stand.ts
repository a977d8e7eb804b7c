/**
 * The stand a request reads: every list, card, dashboard figure and roll-up shows that stand's GIS
 * identity and sync status, never another's. The header's picker sends it as `?stand=`; without
 * it, the server's stand (or, for a user not given that one, the first stand the user is given).
 */
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { STANDS, Stand } from "../../entities/gis-operation";
import { Kind, hydrate, statusExpr } from "../storage/identity/store";
import { whereOfStand } from "../storage/identity/origin";
import { ApiError, Query } from "./http";
import { Page, paged } from "./paging";
import { userStands } from "./org-scope";
import type { Ctx, ParamSpec } from "./router";

/** The request's stand: `?stand=` checked against STANDS and the user's stands (403 for one not given). */
export function requestStand(ctx: Pick<Ctx, "user" | "query" | "defaultStand">): Stand {
  const mine = userStands(ctx);
  const asked = ctx.query.str("stand", { values: STANDS }) as Stand | undefined;
  if (asked) {
    if (mine !== null && !mine.includes(asked))
      throw new ApiError(403, "forbidden", `Стенд ${asked}: пользователю ${ctx.user?.login ?? ""} не дан — доступны ${mine.join(", ") || "никакие"}`);
    return asked;
  }
  if (mine === null || mine.includes(ctx.defaultStand)) return ctx.defaultStand;
  if (!mine.length) throw new ApiError(403, "forbidden", `Пользователю ${ctx.user?.login ?? ""} не дан ни один стенд`);
  return mine[0];
}

/** The query parameter every stand-dependent route takes (for the OpenAPI description). */
export const STAND_QUERY: Record<"stand", ParamSpec> = {
  stand: { type: "string", enum: STANDS, description: "Стенд ГИС ЖКХ, чьи идентификаторы и статусы показать (по умолчанию стенд сервера)" },
};

/** Keeps rows of `alias` whose status on the stand is one of `statuses` (none given: no filter). */
export function whereStatus<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  statuses: string | readonly string[] | undefined,
  stand: string,
): SelectQueryBuilder<T> {
  const list = statuses === undefined ? [] : typeof statuses === "string" ? [statuses] : [...statuses];
  if (!list.length) return qb;
  const p = `${alias}_st`;
  return qb.andWhere(`${statusExpr(qb, alias, stand)} IN (:...${p})`, { [p]: list });
}

/**
 * A page of objects of `kind`, each with the stand's identity and sync state (then mapped, if asked);
 * rows made from another stand's answer (origin.ts) are not on it.
 */
export async function pagedAt<K extends Kind, T extends ObjectLiteral, R = T>(
  qb: SelectQueryBuilder<T>,
  q: Query,
  kind: K,
  stand: string,
  map?: (rows: T[]) => Promise<R[]> | R[],
): Promise<Page<R>> {
  whereOfStand(qb, qb.alias, stand);
  return paged(qb, q, async (rows) => {
    await hydrate(qb.connection.manager, kind, rows as never, stand);
    return map ? map(rows) : (rows as unknown as R[]);
  });
}
