import { Command } from "commander";

export function registerImport(program: Command): void {
  program.command("import").description("(being built)").action(() => {
    throw new Error("not built yet");
  });
}
