/**
 * `gis-sync status [--stand S] [--json]`: what is in the database and where it stands with one GIS
 * stand — that stand's view only (an object sent to "local" is still not_sent for sit01).
 */
import { Command } from "commander";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { databaseSummary, formatSummary } from "../../status/database-summary";
import { UserError } from "../../util/errors";
import { withDatabase } from "../context";

/** The stand a command reads when not told: prod, as `gis-sync server` and `gis-sync worker`. */
export const DEFAULT_STATUS_STAND: Stand = "prod";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("Что есть в базе и в каком состоянии обмен со стендом ГИС")
    .option("--stand <stand>", `стенд, чьи идентификаторы и статусы показать: ${STANDS.join(" | ")}`, DEFAULT_STATUS_STAND)
    .option("--json", "вывод в JSON")
    .action(async (o: { stand: string; json?: boolean }) => {
      if (!(STANDS as readonly string[]).includes(o.stand)) throw new UserError(`--stand: ${STANDS.join(", ")}`);
      await withDatabase(async (ds) => {
        const rows = await databaseSummary(ds, o.stand);
        console.log(o.json ? JSON.stringify(rows, null, 2) : `Стенд ${o.stand}\n${formatSummary(rows)}`);
      });
    });
}
