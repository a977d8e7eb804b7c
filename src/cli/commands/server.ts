/**
 * `gis-sync server [--port P] [--host H] [--stand S]`: the REST API and the web UI in one process.
 * It queues work; `gis-sync worker` processes (or `--workers`) do it.
 */
import { Command } from "commander";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { warmDashboard } from "../../api/routes/dashboard";
import { startServer } from "../../api/server";
import { openPipeline, PipelineRuntime } from "../../runtime/pipeline-runtime";
import { UserError } from "../../util/errors";
import { withDatabase } from "../context";

export function registerServer(program: Command): void {
  program
    .command("server")
    .description("REST API (/api, описание — /api/openapi.json) и веб-интерфейс")
    .option("--port <port>", "порт (по умолчанию PORT или 8080)")
    .option("--host <host>", "адрес для приёма соединений", "127.0.0.1")
    .option("--stand <stand>", "стенд по умолчанию для запусков из интерфейса: prod | sit01 | sit02 | local", "prod")
    .option("--workers", "также обработчики конвейера этого стенда в этом процессе")
    .action(async (o: { port?: string; host: string; stand: string; workers?: boolean }) => {
      if (!(STANDS as readonly string[]).includes(o.stand)) throw new UserError(`--stand: ${STANDS.join(", ")}`);
      await withDatabase(async (ds, config) => {
        const port = o.port !== undefined ? Number(o.port) : config.port;
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError("--port: номер порта от 0 до 65535");
        const stand = o.stand as Stand;
        const runtimes: Partial<Record<Stand, PipelineRuntime>> = {};
        // A server that cannot start (port taken, a worker pool's key file missing) closes what it opened and exits.
        try {
          if (o.workers) runtimes[stand] = await openPipeline(ds, { stand, redisUrl: config.redisUrl, workers: true });
          const server = await startServer({ ds, port, host: o.host, redisUrl: config.redisUrl, runtimes, defaultStand: stand });
          try {
            warmDashboard(ds, stand);
            process.stderr.write(`gis-sync server: ${server.url} (API ${server.url}/api, описание ${server.url}/api/openapi.json)\n`);
            await new Promise<void>((resolve) => {
              process.once("SIGINT", resolve);
              process.once("SIGTERM", resolve);
            });
          } finally {
            await server.close();
          }
        } finally {
          for (const rt of Object.values(runtimes)) await rt?.close();
        }
      });
    });
}
