import { Command } from "commander";
import { withDatabase } from "../context";
import { User, USER_ROLES, UserRole } from "../../../entities/user";
import { hashPassword } from "../../auth/password";
import { UserError } from "../../util/errors";
import { readSecret } from "../../util/secrets";
import { describeLimits, organizationsOption, standsOption } from "./user-limits";

export function registerUser(program: Command): void {
  const user = program.command("user").description("Пользователи: add, limit, list");
  user
    .command("add <login>")
    .description("Create a user (or reset its password and role); the first administrator: `user add admin --admin`")
    .option("--admin", "role administrator")
    .option("--role <role>", `role: ${USER_ROLES.join(", ")}`, "accountant")
    .option("--name <displayName>", "display name")
    .option("--password <source>", "where the password is: env:VAR, file:/path, or - for standard input", "env:GIS_SYNC_PASSWORD")
    .option("--orgs <list>", "only these organizations (OGRN, comma-separated) or all")
    .option("--stands <list>", "only these stands (prod, sit01, sit02, local) or all")
    .action(async (login: string, o: { admin?: boolean; role: string; name?: string; password: string; orgs?: string; stands?: string }) => {
      const role = (o.admin ? "admin" : o.role) as UserRole;
      if (!USER_ROLES.includes(role)) throw new UserError(`Неизвестная роль «${o.role}»: допустимы ${USER_ROLES.join(", ")}`);
      const password = await readSecret(o.password, "пароль");
      const passwordHash = await hashPassword(password);
      const stands = o.stands === undefined ? undefined : standsOption(o.stands);
      await withDatabase(async (ds) => {
        const repo = ds.getRepository(User);
        const organizationIds = o.orgs === undefined ? undefined : await organizationsOption(ds, o.orgs);
        const existing = await repo.findOneBy({ login });
        await repo.save({
          ...(existing ?? { createdAt: new Date(), active: true }),
          login,
          role,
          passwordHash,
          displayName: o.name ?? existing?.displayName ?? null,
          organizationIds: organizationIds === undefined ? (existing?.organizationIds ?? null) : organizationIds,
          stands: stands === undefined ? (existing?.stands ?? null) : stands,
        });
        console.log(`${existing ? "Обновлён" : "Создан"} пользователь ${login} (роль: ${role})`);
      });
    });
  user
    .command("limit <login>")
    .description("Limit a user to organizations (--orgs OGRN,… or all) and stands (--stands sit01,… or all)")
    .option("--orgs <list>", "organizations by OGRN, comma-separated, or all")
    .option("--stands <list>", "stands, comma-separated, or all")
    .action(async (login: string, o: { orgs?: string; stands?: string }) => {
      if (o.orgs === undefined && o.stands === undefined) throw new UserError("user limit: укажите --orgs и/или --stands (all — без ограничения)");
      const stands = o.stands === undefined ? undefined : standsOption(o.stands);
      await withDatabase(async (ds) => {
        const repo = ds.getRepository(User);
        const u = await repo.findOneBy({ login });
        if (!u) throw new UserError(`Пользователя «${login}» нет (gis-sync user list)`);
        const patch: Partial<User> = {};
        if (o.orgs !== undefined) patch.organizationIds = await organizationsOption(ds, o.orgs);
        if (stands !== undefined) patch.stands = stands;
        await repo.update({ id: u.id }, patch);
        const after = { ...u, ...patch };
        console.log(`Пользователь ${login}: ${await describeLimits(ds, after.organizationIds, after.stands)}`);
      });
    });
  user
    .command("list")
    .description("List users and their roles")
    .action(async () => {
      await withDatabase(async (ds) => {
        for (const u of await ds.getRepository(User).find({ order: { login: "ASC" } }))
          console.log(
            `${u.login}\t${u.role}\t${u.active ? "активен" : "отключён"}\t${u.displayName ?? ""}\t${await describeLimits(ds, u.organizationIds, u.stands)}`,
          );
      });
    });
}
