import { Command } from "commander";
import { writeTestKey } from "../../signing/keygen";
import { readCertificate } from "../../signing/certificate";
import fs from "node:fs";
import { UserError } from "../../util/errors";

export function registerKeygen(program: Command): void {
  program
    .command("keygen")
    .description("Создать тестовый ключ ГОСТ 2012 и самоподписанный сертификат (только для демо и тестовых стендов)")
    .requiredOption("--out <dir>", "папка для key.pem и cert.pem")
    .option("--cn <name>", "имя владельца сертификата (CN)", "gis-sync тестовый подписант")
    .option("--org <name>", "организация (O)")
    .option("--days <n>", "срок действия, дней", "365")
    .action(async (o: { out: string; cn: string; org?: string; days: string }) => {
      const days = Number(o.days);
      if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UserError("--days: целое от 1 до 3650");
      let files: { key: string; cert: string };
      try {
        files = await writeTestKey(o.out, { commonName: o.cn, organization: o.org, days });
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      const c = readCertificate(fs.readFileSync(files.cert, "utf8"));
      console.log(`Ключ: ${files.key}\nСертификат: ${files.cert}\nВладелец: ${c.subjectName}\nДействует до: ${c.notAfter.toISOString().slice(0, 10)}`);
    });
}
