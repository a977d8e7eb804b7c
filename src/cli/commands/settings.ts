/**
 * `gis-sync settings list|get|set`: every setting read and set from the command line, so a
 * deployment can be scripted. Values are checked exactly as on the settings screen; every change is
 * audited (actor cli:<OS user>). Server-only settings (a PKCS#11 library, a signing program) are set
 * here, never through the web.
 */
import os from "node:os";
import { Command } from "commander";
import { SETTINGS } from "../../settings/definitions";
import { SettingError, SettingView, changeSetting, findSetting, settingView } from "../../settings/change";
import { UserError } from "../../util/errors";
import { withDatabase } from "../context";

const shown = (v: SettingView): string =>
  v.secret ? (v.isSet ? "(задано, не показывается)" : "(не задано)") : v.value === null || v.value === undefined ? "(пусто)" : String(v.value);

function line(v: SettingView): string {
  const range = v.min !== undefined ? ` [${v.min}–${v.max}]` : v.values ? ` [${v.values.join(", ")}]` : "";
  const marks = [v.isDefault ? "по умолчанию" : null, v.serverOnly ? "только на сервере" : null].filter(Boolean).join(", ");
  return `${v.key} = ${shown(v)}${marks ? `  (${marks})` : ""}\n    ${v.label}${range}`;
}

function asUserError(e: unknown): never {
  if (e instanceof SettingError) throw new UserError(e.message, 2);
  throw e;
}

export function registerSettings(program: Command): void {
  const cmd = program.command("settings").description("Настройки: просмотр и изменение (как на экране «Настройки», с записью в журнал аудита)");
  cmd
    .command("list")
    .description("Все настройки: значение, по умолчанию ли, допустимый диапазон")
    .option("--json", "вывод в JSON")
    .action(async (o: { json?: boolean }) => {
      await withDatabase(async (ds) => {
        const all: SettingView[] = [];
        for (const d of SETTINGS) all.push(await settingView(ds, d.key));
        console.log(o.json ? JSON.stringify(all, null, 2) : all.map(line).join("\n"));
      });
    });
  cmd
    .command("get <key>")
    .description("Одна настройка (секреты не показываются: только «задано»)")
    .option("--json", "вывод в JSON")
    .action(async (key: string, o: { json?: boolean }) => {
      try {
        findSetting(key);
      } catch (e) {
        asUserError(e);
      }
      await withDatabase(async (ds) => {
        const v = await settingView(ds, key);
        console.log(o.json ? JSON.stringify(v, null, 2) : line(v));
      });
    });
  cmd
    .command("set <key> [value]")
    .description("Изменить настройку; --default возвращает значение по умолчанию")
    .option("--default", "вернуть значение по умолчанию")
    .option("--json", "вывод в JSON")
    .action(async (key: string, value: string | undefined, o: { default?: boolean; json?: boolean }) => {
      if (value === undefined && !o.default) throw new UserError(`settings set ${key}: укажите значение или --default`, 2);
      if (value !== undefined && o.default) throw new UserError(`settings set ${key}: значение и --default вместе не указываются`, 2);
      await withDatabase(async (ds) => {
        const v = await changeSetting(ds, key, o.default ? null : value, { actor: `cli:${os.userInfo().username}`, via: "cli" }).catch(asUserError);
        console.log(o.json ? JSON.stringify(v, null, 2) : `Сохранено: ${line(v)}`);
      });
    });
}
