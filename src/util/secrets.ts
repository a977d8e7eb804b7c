/**
 * Secrets (token PIN, passwords, key passphrases) come from a named source, never from a command
 * line argument that would show in `ps` and shell history: env:VAR, file:/path, or - (stdin).
 */
import fs from "node:fs";
import { UserError } from "./errors";

export async function readSecret(source: string, what: string): Promise<string> {
  let value: string | undefined;
  if (source.startsWith("env:")) {
    value = process.env[source.slice(4)];
    if (value === undefined) throw new UserError(`Не задан ${what}: переменная окружения ${source.slice(4)} не установлена`);
  } else if (source.startsWith("file:")) {
    try {
      value = fs.readFileSync(source.slice(5), "utf8");
    } catch {
      throw new UserError(`Не удалось прочитать ${what} из файла ${source.slice(5)}`);
    }
  } else if (source === "-") {
    value = fs.readFileSync(0, "utf8");
  } else {
    throw new UserError(`Источник «${what}» должен быть env:ПЕРЕМЕННАЯ, file:/путь или - (стандартный ввод)`);
  }
  return value.replace(/\r?\n$/, "");
}
