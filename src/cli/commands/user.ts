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
    .description("Создать пользователя (или сменить пароль и роль); первый администратор: `user add admin --admin`")
    .option("--admin", "роль «администратор»")
    .option("--role <role>", `роль: ${USER_ROLES.join(", ")}`, "accountant")
    .option("--name <displayName>", "отображаемое имя")
    .option("--password <source>", "откуда взять пароль: env:ПЕРЕМЕННАЯ, file:/путь или - (стандартный ввод)", "env:GIS_SYNC_PASSWORD")
    .option("--orgs <list>", "только эти организации (ОГРН через запятую) или all")
    .option("--stands <list>", "только эти стенды (prod, sit01, sit02, local) или all")
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
    .description("Ограничить пользователя организациями (--orgs ОГРН,… или all) и стендами (--stands sit01,… или all)")
    .option("--orgs <list>", "организации: ОГРН через запятую или all")
    .option("--stands <list>", "стенды через запятую или all")
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
    .description("Пользователи и их роли")
    .action(async () => {
      await withDatabase(async (ds) => {
        for (const u of await ds.getRepository(User).find({ order: { login: "ASC" } }))
          console.log(
            `${u.login}\t${u.role}\t${u.active ? "активен" : "отключён"}\t${u.displayName ?? ""}\t${await describeLimits(ds, u.organizationIds, u.stands)}`,
          );
      });
    });
}
