/** Reading and writing settings. Values are checked against their definition before they are stored. */
import { DataSource, EntityManager } from "typeorm";
import { Setting } from "../../entities";
import { SettingValue, settingDefinition } from "./definitions";

type Db = DataSource | EntityManager;

export async function getSetting<T extends SettingValue>(db: Db, key: string): Promise<T> {
  const d = settingDefinition(key);
  const row = await db.getRepository(Setting).findOneBy({ key });
  return (row ? JSON.parse(row.value) : d.default) as T;
}

export function checkSettingValue(key: string, value: unknown): SettingValue {
  const d = settingDefinition(key);
  const bad = (why: string) => new Error(`Настройка «${d.label}» (${key}): ${why}`);
  if (value === null) return null;
  switch (d.type) {
    case "int": {
      const n = typeof value === "string" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isInteger(n)) throw bad(`ожидается целое число, получено «${String(value)}»`);
      if ((d.min !== undefined && n < d.min) || (d.max !== undefined && n > d.max))
        throw bad(`значение ${n} вне допустимого диапазона ${d.min ?? "…"}–${d.max ?? "…"}`);
      return n;
    }
    case "bool":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "1") return true;
      if (value === "false" || value === "0") return false;
      throw bad(`ожидается да/нет, получено «${String(value)}»`);
    case "enum":
      if (typeof value !== "string" || !d.values?.includes(value)) throw bad(`допустимые значения: ${d.values?.join(", ")}; получено «${String(value)}»`);
      return value;
    default: {
      if (typeof value !== "string") throw bad("ожидается строка");
      const problem = d.check?.(value);
      if (problem) throw bad(problem);
      return value;
    }
  }
}

export async function setSetting(db: Db, key: string, value: unknown, author: string | null = null): Promise<void> {
  const v = checkSettingValue(key, value);
  await db.getRepository(Setting).save({ key, value: JSON.stringify(v), updatedAt: new Date(), updatedBy: author });
}
