import { Command } from "commander";

export function registerGenerate(program: Command): void {
  program.command("generate").description("(being built)").action(() => {
    throw new Error("not built yet");
  });
}
