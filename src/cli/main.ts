#!/usr/bin/env node
/**
 * The `gis-sync` command line. Subcommand names and flags are a contract: scripts use them.
 * Each subcommand lives in src/cli/commands/<name>.ts and registers itself here.
 */
import "reflect-metadata";
import { Command } from "commander";
import { registerDemo } from "./commands/demo";
import { registerMigrate } from "./commands/migrate";
import { registerImport } from "./commands/import";
import { registerGenerate } from "./commands/generate";
import { registerStatus } from "./commands/status";
import { registerUser } from "./commands/user";
import { registerArchive } from "./commands/archive";
import { registerKeygen } from "./commands/keygen";
import { registerStand } from "./commands/stand";
import { registerSync } from "./commands/sync";
import { registerExcel } from "./commands/excel";
import { registerFias } from "./commands/fias";
import { registerSchedule } from "./commands/schedule";
import { registerServer } from "./commands/server";
import { registerSettings } from "./commands/settings";
import { registerBackup } from "./commands/backup";
import { registerOrg } from "./commands/org";
import { UserError } from "../util/errors";
import { useRussianHelp } from "./russian-help";

export function buildProgram(): Command {
  const program = useRussianHelp(new Command("gis-sync").description("Синхронизация учётной системы с ГИС ЖКХ"));
  registerDemo(program);
  registerMigrate(program);
  registerImport(program);
  registerGenerate(program);
  registerStatus(program);
  registerUser(program);
  registerArchive(program);
  registerKeygen(program);
  registerStand(program);
  registerSync(program);
  registerExcel(program);
  registerFias(program);
  registerSchedule(program);
  registerServer(program);
  registerSettings(program);
  registerBackup(program);
  registerOrg(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    // Users get a clear sentence; a stack trace only when they ask for it (DEBUG=1).
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`gis-sync: ${msg}\n`);
    if (process.env.DEBUG && e instanceof Error && !(e instanceof UserError)) process.stderr.write(`${e.stack}\n`);
    process.exitCode = e instanceof UserError ? e.exitCode : 1;
  }
}

if (require.main === module) void main(process.argv);
