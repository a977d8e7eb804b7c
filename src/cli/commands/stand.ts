import { Command } from "commander";

/** `gis-sync stand --port P`: the built-in GIS ЖКХ stand (to be written). */
export function registerStand(program: Command): void {
  program.command("stand").description("Встроенный стенд ГИС ЖКХ (эмулятор)").option("--port <port>", "TCP port", "8089");
}
