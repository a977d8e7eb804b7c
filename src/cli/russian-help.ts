/**
 * Commander in Russian: its own words (the headings of help, the help option and command, its
 * usage errors) as the rest of the command line speaks to our users. Configured on the program
 * before the commands are added, so every subcommand inherits it.
 */
import { Argument, Command, Option } from "commander";

const TITLES: Record<string, string> = {
  "Usage:": "Использование:",
  "Options:": "Параметры:",
  "Commands:": "Команды:",
  "Arguments:": "Аргументы:",
  "Global Options:": "Общие параметры:",
};

/** Commander's usage errors → the same sentence in Russian (the names stay as typed). */
const ERRORS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^error: required option '(.+)' not specified/, (m) => `ошибка: не указан обязательный параметр ${m[1]}`],
  [/^error: unknown option '(.+?)'(?:\n\(Did you mean (.+)\?\))?/, (m) => `ошибка: неизвестный параметр ${m[1]}${m[2] ? ` (может быть, ${m[2]}?)` : ""}`],
  [/^error: unknown command '(.+?)'(?:\n\(Did you mean (.+)\?\))?/, (m) => `ошибка: неизвестная команда ${m[1]}${m[2] ? ` (может быть, ${m[2]}?)` : ""}`],
  [/^error: missing required argument '(.+)'/, (m) => `ошибка: не указан аргумент ${m[1]}`],
  [/^error: option '(.+)' argument missing/, (m) => `ошибка: у параметра ${m[1]} нет значения`],
  [
    /^error: too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\./,
    (m) => `ошибка: лишние аргументы${m[1] ? ` у ${m[1]}` : ""}: ожидается ${m[2]}, передано ${m[3]}`,
  ],
];

/** An option's or argument's description with commander's additions (choices, default) in Russian. */
function described(text: string, o: { argChoices?: string[]; defaultValue?: unknown; defaultValueDescription?: string }, showDefault: boolean): string {
  const extra: string[] = [];
  if (o.argChoices) extra.push(`варианты: ${o.argChoices.map((c) => JSON.stringify(c)).join(", ")}`);
  if (showDefault && o.defaultValue !== undefined) extra.push(`по умолчанию: ${o.defaultValueDescription ?? JSON.stringify(o.defaultValue)}`);
  return extra.length ? `${text} (${extra.join("; ")})` : text;
}

const optionText = (o: Option): string => described(o.description, o, o.required || o.optional || (o.isBoolean() && typeof o.defaultValue === "boolean"));
const argumentText = (a: Argument): string => described(a.description, a, true);

/** The placeholders commander writes into usage lines. */
const words = (usage: string): string => usage.replace(/\[options\]/g, "[параметры]").replace(/\[command\]/g, "[команда]");

export function russianError(text: string): string {
  for (const [re, say] of ERRORS) {
    const m = text.match(re);
    if (m) return `${say(m)}\n`;
  }
  return text;
}

export function useRussianHelp(program: Command): Command {
  return program
    .helpOption("-h, --help", "показать справку")
    .helpCommand("help [команда]", "справка по команде")
    .configureHelp({
      styleTitle: (title) => TITLES[title] ?? title,
      styleUsage: words,
      styleSubcommandTerm: words,
      optionDescription: optionText,
      argumentDescription: argumentText,
    })
    .configureOutput({ writeErr: (s) => process.stderr.write(russianError(s)) })
    .showHelpAfterError("(справка: добавьте --help)\n");
}
