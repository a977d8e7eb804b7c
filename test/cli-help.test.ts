/**
 * The command line speaks one language: every command's, argument's and option's description is in
 * Russian (names, flags and values stay as typed), and commander's own words are too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Command } from "commander";
import { buildProgram } from "../src/cli/main";
import { russianError } from "../src/cli/russian-help";

const RUSSIAN = /[А-Яа-яЁё]/;

function* commands(c: Command, path: string[] = []): Generator<[string, Command]> {
  for (const sub of c.commands) {
    const name = [...path, sub.name()];
    yield [name.join(" "), sub];
    yield* commands(sub, name);
  }
}

test("cli: every description is in Russian, help included", () => {
  const program = buildProgram();
  const english: string[] = [];
  for (const [name, c] of [["gis-sync", program] as [string, Command], ...commands(program)]) {
    if (!RUSSIAN.test(c.description())) english.push(`${name}: ${c.description()}`);
    for (const o of c.options) if (!RUSSIAN.test(o.description)) english.push(`${name} ${o.flags}: ${o.description}`);
    for (const a of c.registeredArguments) if (a.description && !RUSSIAN.test(a.description)) english.push(`${name} <${a.name()}>: ${a.description}`);
    const help = c.helpInformation();
    for (const word of ["Usage:", "Options:", "Commands:", "display help", "(default:"]) assert.ok(!help.includes(word), `${name}: «${word}» in its help`);
  }
  assert.deepEqual(english, []);
});

test("cli: commander's usage errors are said in Russian", () => {
  assert.equal(russianError("error: required option '--stand <stand>' not specified\n"), "ошибка: не указан обязательный параметр --stand <stand>\n");
  assert.equal(russianError("error: unknown command 'sinc'\n(Did you mean sync?)\n"), "ошибка: неизвестная команда sinc (может быть, sync?)\n");
  assert.equal(russianError("error: missing required argument 'stages'\n"), "ошибка: не указан аргумент stages\n");
});
