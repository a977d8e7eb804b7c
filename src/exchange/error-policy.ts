/**
 * What to do when GIS (or the network) says no: a table from error code — exact, or a family
 * prefix — to an action, seeded with what public GIS clients learned (see
 * ../shared/reference/gis-behaviour.md) and editable per installation through the setting
 * `exchange.errorPolicy` (a JSON array of rules that take precedence over the defaults).
 *
 * Two rules the table cannot break: an export is safe to repeat; an import whose outcome is
 * unknown (the request may have reached GIS) is never blindly resent but reconciled by an export —
 * unless its method is safe to repeat (GIS takes it twice without harm: readings).
 */
import { UserError } from "../util/errors";

export const ACTIONS = [
  "resend_rebuilt", // new MessageGUID and Date, re-sign, resend after a delay (same signed bytes loop forever)
  "retry_later", // GIS is in maintenance: try the same step again much later
  "empty_result", // "no objects": an empty answer, not a failure
  "empty_dictionary", // NSI dictionary empty / not available
  "abort_rights", // the organization has not granted the information system its rights
  "abort_format", // the message broke the format: a bug on our side
  "abort", // stop the operation, tell the operator
  "mark_withdrawn", // the payment document is already withdrawn in GIS
  "prerequisite_missing", // something GIS needs first (contract/charter services) is missing
  "wait_window", // readings outside the entry window: they wait for the next one
  "reconcile", // import outcome unknown: export the objects, resend only those GIS lacks
  "item_error", // the object gets the code and text; no retry
] as const;
export type ErrorAction = (typeof ACTIONS)[number];

export interface PolicyRule {
  /** An exact code (SRV008070) or a family prefix ending in * (AUT011*). */
  code: string;
  action: ErrorAction;
  /** For the operator, in Russian. */
  text: string;
  /** For repeating actions: how many attempts in all before the operation fails. */
  maxAttempts?: number;
}

export const DEFAULT_POLICY: PolicyRule[] = [
  {
    code: "EXP001000",
    action: "resend_rebuilt",
    maxAttempts: 5,
    text: "ГИС ЖКХ перегружена или сбой при передаче: сообщение будет пересобрано, подписано заново и отправлено повторно",
  },
  { code: "EXP00200*", action: "resend_rebuilt", maxAttempts: 5, text: "Временная ошибка ГИС ЖКХ: повторная отправка позже" },
  { code: "INT002012", action: "empty_result", text: "Нет объектов для экспорта" },
  { code: "INT002000", action: "empty_result", text: "Объект не найден в реестре ГИС ЖКХ" },
  { code: "INT002018", action: "resend_rebuilt", maxAttempts: 3, text: "Ошибка интеграции ГИС ЖКХ: повторная отправка" },
  { code: "INT002029", action: "retry_later", maxAttempts: 10, text: "ГИС ЖКХ на техническом обслуживании: повтор позже" },
  { code: "INT016001", action: "empty_dictionary", text: "Справочник ГИС ЖКХ пуст" },
  { code: "INT016041", action: "empty_dictionary", text: "Справочник ГИС ЖКХ недоступен" },
  {
    code: "AUT011*",
    action: "abort_rights",
    text: "Организация не предоставила информационной системе права на эту операцию в ГИС ЖКХ (личный кабинет организации → права информационных систем)",
  },
  { code: "FMT001*", action: "abort_format", text: "Сообщение не соответствует формату ГИС ЖКХ — ошибка программы; сообщите разработчикам номер операции" },
  { code: "FIL00100*", action: "abort", text: "Ошибка файлового хранилища ГИС ЖКХ" },
  { code: "SRV007013", action: "wait_window", text: "Истёк период сдачи показаний: показания будут переданы в следующем окне" },
  { code: "SRV008070", action: "mark_withdrawn", text: "Платёжный документ уже отозван в ГИС ЖКХ" },
  {
    code: "SRV008076",
    action: "prerequisite_missing",
    text: "Не размещён или не утверждён договор/устав с этими услугами: сначала разместите услуги договора",
  },
  // New server checks of the 16.x formats (16.3.0.0/changelog.txt names them; GIS publishes no text): the item is
  // refused by a business rule, nothing to repeat — the object keeps the code until its data change.
  {
    code: "INT008255",
    action: "item_error",
    text: "Лицевой счёт без помещения: в форматах 16.x помещение (Accommodation) необязательно по схеме, но ГИС ЖКХ требует его для незакрываемого счёта (контроль INT008255) — привяжите счёт к помещению, комнате или дому",
  },
  {
    code: "SRV008203",
    action: "item_error",
    text: "Платёжный документ отклонён контролем ГИС ЖКХ SRV008203 (добавлен в форматах 15.6.0.1): причина — в тексте ошибки ГИС; исправьте документ и отправьте снова",
  },
];

export interface Failure {
  /** GIS error code, when GIS gave one. */
  code?: string | null;
  httpStatus?: number | null;
  /** ECONNRESET, ETIMEDOUT, ECONNREFUSED… when the call failed before an answer. */
  networkError?: string | null;
  /** Whether the request body may have reached GIS (known false only when the connection never opened). */
  requestMayHaveArrived?: boolean;
  phase: "send" | "poll";
  methodKind: "import" | "export";
  /** An import GIS may take twice without harm (readings): sent again rather than reconciled. */
  safeToRepeat?: boolean;
  /** Attempts made so far, this one included. */
  attempt: number;
}

export interface Decision {
  action: ErrorAction;
  text: string;
  /** When to try again, for repeating actions. */
  retryInMs?: number;
}

export interface PolicyOptions {
  /** Delays for resends, by attempt (the last repeats). */
  resendDelaysMs: number[];
  retryLaterMs: number;
  transportMaxAttempts: number;
}

export const DEFAULT_POLICY_OPTIONS: PolicyOptions = {
  resendDelaysMs: [10_000, 60_000, 300_000, 900_000],
  retryLaterMs: 1_800_000,
  transportMaxAttempts: 5,
};

/** Overrides from the setting: checked so a typo does not silently change what the exchange does. */
export function parsePolicyOverrides(json: string | null | undefined): PolicyRule[] {
  if (!json) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new UserError(`Настройка exchange.errorPolicy: не JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(raw)) throw new UserError("Настройка exchange.errorPolicy: ожидается массив правил [{code, action, text?, maxAttempts?}]");
  return raw.map((r, i) => {
    const where = `Настройка exchange.errorPolicy, правило ${i + 1}`;
    if (!r || typeof r !== "object") throw new UserError(`${where}: ожидается объект`);
    const { code, action, text, maxAttempts } = r as Record<string, unknown>;
    if (typeof code !== "string" || !/^[A-Z]{3}\d{0,6}\*?$/.test(code))
      throw new UserError(`${where}: code «${String(code)}» — код ГИС вида SRV008070 или семейство AUT011*`);
    if (typeof action !== "string" || !(ACTIONS as readonly string[]).includes(action)) {
      throw new UserError(`${where} (${code}): action «${String(action)}» — допустимо: ${ACTIONS.join(", ")}`);
    }
    if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || (maxAttempts as number) < 1 || (maxAttempts as number) > 100)) {
      throw new UserError(`${where} (${code}): maxAttempts — целое от 1 до 100`);
    }
    const fallback = DEFAULT_POLICY.find((d) => d.code === code)?.text ?? `Ошибка ГИС ЖКХ ${code}`;
    return { code, action: action as ErrorAction, text: typeof text === "string" && text ? text : fallback, maxAttempts: maxAttempts as number | undefined };
  });
}

export class ErrorPolicy {
  private readonly rules: PolicyRule[];

  constructor(
    overrides: PolicyRule[] = [],
    private readonly opts: PolicyOptions = DEFAULT_POLICY_OPTIONS,
  ) {
    this.rules = [...overrides, ...DEFAULT_POLICY];
  }

  /** The rule for a code: overrides first, then exact before family, longer family before shorter. */
  ruleFor(code: string): PolicyRule | null {
    const exact = this.rules.find((r) => r.code === code);
    if (exact) return exact;
    const families = this.rules.filter((r) => r.code.endsWith("*") && code.startsWith(r.code.slice(0, -1)));
    families.sort((a, b) => b.code.length - a.code.length);
    return families[0] ?? null;
  }

  private delay(attempt: number): number {
    const d = this.opts.resendDelaysMs;
    return d[Math.min(Math.max(attempt - 1, 0), d.length - 1)];
  }

  decide(f: Failure): Decision {
    const transport = !f.code && (f.networkError || (f.httpStatus !== null && f.httpStatus !== undefined && (f.httpStatus >= 500 || f.httpStatus === 429)));
    if (transport) {
      const what = f.networkError ? `сбой соединения (${f.networkError})` : `HTTP ${f.httpStatus}`;
      if (f.attempt >= this.opts.transportMaxAttempts) {
        return { action: "abort", text: `ГИС ЖКХ недоступна: ${what}; попытки исчерпаны (${f.attempt})` };
      }
      // A poll (getState) and an export are safe to repeat. A sent import may already be in GIS.
      if (f.phase === "send" && f.methodKind === "import" && f.requestMayHaveArrived !== false && !f.safeToRepeat) {
        return {
          action: "reconcile",
          text: `Результат отправки неизвестен (${what}): сначала проверим в ГИС ЖКХ, что уже принято, и отправим только недостающее`,
        };
      }
      return { action: "resend_rebuilt", text: `ГИС ЖКХ недоступна: ${what}; повтор`, retryInMs: this.delay(f.attempt) };
    }
    if (!f.code) return { action: "abort", text: `Непредвиденный ответ ГИС ЖКХ${f.httpStatus ? ` (HTTP ${f.httpStatus})` : ""}` };
    const rule = this.ruleFor(f.code);
    if (!rule) return { action: "item_error", text: `Ошибка ГИС ЖКХ ${f.code}` };
    const repeating = rule.action === "resend_rebuilt" || rule.action === "retry_later";
    if (repeating && f.attempt >= (rule.maxAttempts ?? this.opts.transportMaxAttempts)) {
      return { action: "abort", text: `${rule.text}. Попытки исчерпаны (${f.attempt})` };
    }
    if (rule.action === "resend_rebuilt") return { action: rule.action, text: rule.text, retryInMs: this.delay(f.attempt) };
    if (rule.action === "retry_later") return { action: rule.action, text: rule.text, retryInMs: this.opts.retryLaterMs };
    return { action: rule.action, text: rule.text };
  }
}
