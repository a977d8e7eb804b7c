/**
 * Changing a setting the one way the settings screen, the API and `gis-sync settings set` share:
 * the value checked against its definition, null (or the CLI's --default) back to the default, a
 * server-only setting refused when the change comes over the web, an audit row for every change
 * (a secret's audit says only whether it is set). `settingView` is how a setting is shown.
 */
import { DataSource } from "typeorm";
import { AuditLog, Setting } from "../../entities";
import { SETTINGS, SettingDefinition, SettingValue } from "./definitions";
import { checkSettingValue, getSetting, setSetting } from "./settings";

export type SettingProblem = "unknown" | "invalid" | "server_only";

export class SettingError extends Error {
  constructor(
    readonly problem: SettingProblem,
    message: string,
  ) {
    super(message);
    this.name = "SettingError";
  }
}

export function findSetting(key: string): SettingDefinition {
  const d = SETTINGS.find((s) => s.key === key);
  if (!d) throw new SettingError("unknown", `Настройка «${key}» не найдена (список: gis-sync settings list)`);
  return d;
}

export interface SettingView {
  key: string;
  label: string;
  group: string;
  type: string;
  min?: number;
  max?: number;
  values?: readonly string[];
  default: SettingValue;
  secret: boolean;
  serverOnly: boolean;
  isSet?: boolean;
  value?: SettingValue;
  isDefault?: boolean;
  updatedAt?: Date | null;
  updatedBy?: string | null;
}

/** A setting as the API and the CLI show it: secrets say only whether they are set. */
export async function settingView(ds: DataSource, key: string): Promise<SettingView> {
  const d = findSetting(key);
  const row = await ds.getRepository(Setting).findOneBy({ key });
  const base = {
    key,
    label: d.label,
    group: d.group,
    type: d.type,
    min: d.min,
    max: d.max,
    values: d.values,
    default: d.secret ? null : d.default,
    secret: !!d.secret,
    serverOnly: !!d.serverOnly,
  };
  if (d.secret) return { ...base, isSet: !!row && JSON.parse(row.value) !== null };
  return { ...base, value: row ? JSON.parse(row.value) : d.default, isDefault: !row, updatedAt: row?.updatedAt ?? null, updatedBy: row?.updatedBy ?? null };
}

export interface ChangeOptions {
  actor: string;
  /** "web": the API (server-only settings refused); "cli": the command line on the server. */
  via: "web" | "cli";
  /** Extra audit details (the client address). */
  details?: Record<string, unknown>;
}

/** Set (or, with null, reset to default) one setting; audited. Throws SettingError naming the setting. */
export async function changeSetting(ds: DataSource, key: string, raw: unknown, o: ChangeOptions): Promise<SettingView> {
  const d = findSetting(key);
  if (d.serverOnly && o.via === "web") {
    throw new SettingError(
      "server_only",
      `Настройка «${d.label}» (${d.key}) называет библиотеку или программу, которую запускает сервер: ` +
        `её задают только на сервере — gis-sync settings set ${d.key} ЗНАЧЕНИЕ — а не через веб-интерфейс`,
    );
  }
  let value: SettingValue;
  try {
    value = checkSettingValue(d.key, raw);
  } catch (e) {
    throw new SettingError("invalid", (e as Error).message);
  }
  const before = d.secret ? null : await getSetting(ds, d.key);
  if (value === null) await ds.getRepository(Setting).delete({ key: d.key });
  else await setSetting(ds, d.key, value, o.actor);
  await ds.getRepository(AuditLog).insert({
    createdAt: new Date(),
    actor: o.actor,
    action: "setting.change",
    target: d.key,
    details: JSON.stringify({ ...(d.secret ? { secret: true, set: value !== null } : { from: before, to: value }), via: o.via, ...o.details }),
  });
  return settingView(ds, d.key);
}
