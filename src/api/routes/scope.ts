/** The header's picker: the organizations and stands the signed-in user may choose between. */
import { Organization } from "../../../entities";
import { STANDS } from "../../../entities/gis-operation";
import { userOrganizations, userStands, whereOrganizations } from "../org-scope";
import { Route } from "../router";

const MAX_ORGANIZATIONS = 500;

export const scopeRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/me/scope",
    access: "accountant",
    tag: "Вход",
    summary:
      "Организации и стенды, доступные пользователю (для выбора в шапке): ограничение пользователя, а без ограничения — наши организации (или все, если наших нет)",
    handler: async (ctx) => {
      const orgs = userOrganizations(ctx);
      const pick = async (oursOnly: boolean) => {
        const qb = whereOrganizations(ctx.ds.getRepository(Organization).createQueryBuilder("o"), "o.id", orgs)
          .select(["o.id", "o.shortName", "o.fullName", "o.ogrn", "o.inn", "o.role"])
          .orderBy("o.shortName", "ASC")
          .addOrderBy("o.fullName", "ASC")
          .take(MAX_ORGANIZATIONS);
        if (oursOnly) qb.andWhere("o.isOurs = :t", { t: true });
        return qb.getMany();
      };
      let list = orgs === null ? await pick(true) : await pick(false);
      if (orgs === null && !list.length) list = await pick(false);
      return {
        limited: orgs !== null,
        organizations: list.map((o) => ({ id: o.id, name: o.shortName ?? o.fullName, ogrn: o.ogrn, inn: o.inn, role: o.role })),
        stands: userStands(ctx) ?? [...STANDS],
      };
    },
  },
];
