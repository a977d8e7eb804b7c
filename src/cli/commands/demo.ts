import { Command } from "commander";
export function registerDemo(program: Command): void {
  program.command("demo").description("(being built)").action(() => { throw new Error("not built yet"); });
}
