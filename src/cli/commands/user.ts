import { Command } from "commander";
import { withDatabase } from "../context";
import { User, USER_ROLES, UserRole } from "../../../entities/user";
import { hashPassword } from "../../auth/password";
import { UserError } from "../../util/errors";
import { readSecret } from "../../util/secrets";

export function registerUser(program: Command): void {
  const user = program.command("user").description("Пользователи: add, list");
  user
    .command("add <login>")
    .description("Create a user (or reset its password and role); the first administrator: `user add admin --admin`")
    .option("--admin", "role administrator")
    .option("--role <role>", `role: ${USER_ROLES.join(", ")}`, "accountant")
    .option("--name <displayName>", "display name")
    .option("--password <source>", "where the password is: env:VAR, file:/path, or - for standard input", "env:GIS_SYNC_PASSWORD")
    .action(async (login: string, o: { admin?: boolean; role: string; name?: string; password: string }) => {
      const role = (o.admin ? "admin" : o.role) as UserRole;
      if (!USER_ROLES.includes(role)) throw new UserError(`Неизвестная роль «${o.role}»: допустимы ${USER_ROLES.join(", ")}`);
      const password = await readSecret(o.password, "пароль");
      const passwordHash = await hashPassword(password);
      await withDatabase(async (ds) => {
        const repo = ds.getRepository(User);
        const existing = await repo.findOneBy({ login });
        await repo.save({
          ...(existing ?? { createdAt: new Date(), active: true }),
          login,
          role,
          passwordHash,
          displayName: o.name ?? existing?.displayName ?? null,
        });
        console.log(`${existing ? "Обновлён" : "Создан"} пользователь ${login} (роль: ${role})`);
      });
    });
  user
    .command("list")
    .description("List users and their roles")
    .action(async () => {
      await withDatabase(async (ds) => {
        for (const u of await ds.getRepository(User).find({ order: { login: "ASC" } }))
          console.log(`${u.login}\t${u.role}\t${u.active ? "активен" : "отключён"}\t${u.displayName ?? ""}`);
      });
    });
}
