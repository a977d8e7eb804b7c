/**
 * The storm's GIS: the built-in stand in a process of its own, so killing the client never touches
 * it. Driven over IPC by scripts/storm.ts: register the organizations (and the bundle's readings
 * window), place the managed fund,
 * change faults, hand over its state (the snapshot the agreement check compares), stop.
 */
import "reflect-metadata";
import { Organization } from "../../entities";
import { RunningStand, parseFaultSpec, startStand } from "../../src/stand";
import { setStandRules } from "../../src/stand/rules/settings";
import { registerOrganizations } from "../../src/runtime/demo-environment";
import { seedManagedFund } from "../../src/runtime/demo-fund";
import { openDatabase } from "../../src/storage/database";

type Message =
  | { register: { dbUrl: string; certPem: string; readingsWindow: { fromDay: number; toDay: number } } }
  | { fund: { dbUrl: string } }
  | { faults: "storm" | null }
  | { snapshot: true }
  | { close: true };

function env(name: string): string {
  const v = process.env[name];
  if (v === undefined) throw new Error(`stand-child: ${name} is not set`);
  return v;
}

async function main(): Promise<void> {
  const [receivedMs, processingMs] = env("STORM_LATENCY").split(",").map(Number);
  const faults = parseFaultSpec(env("STORM_FAULTS"), Number(env("STORM_SEED")));
  let stand: RunningStand | null = await startStand({ latency: { receivedMs, processingMs: processingMs ?? receivedMs }, faults, log: () => undefined });
  // Placing the managing organization's fund must not itself hit the faults.
  const quiet = parseFaultSpec("", 1);
  process.on("message", async (m: Message) => {
    try {
      if (!stand) return;
      if ("register" in m) {
        const ds = await openDatabase(m.register.dbUrl);
        const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
        registerOrganizations(stand, await ds.getRepository(Organization).find(), new Map([[ours.id, m.register.certPem]]));
        setStandRules(stand.store, { readingsWindow: m.register.readingsWindow });
        await ds.destroy();
        process.send!({ registered: true });
      } else if ("fund" in m) {
        const ds = await openDatabase(m.fund.dbUrl);
        const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
        const fund = await seedManagedFund(ds, stand, ours.id);
        await ds.destroy();
        process.send!({ seeded: fund });
      } else if ("faults" in m) {
        stand.setFaults(m.faults === "storm" ? faults : quiet);
        process.send!({ faults: true });
      } else if ("snapshot" in m) {
        process.send!({ snapshot: { store: stand.store.toJSON(), inspection: stand.stats() } });
      } else if ("close" in m) {
        const s = stand;
        stand = null;
        await s.close();
        process.exit(0);
      }
    } catch (e) {
      process.send!({ error: (e as Error).stack ?? String(e) });
    }
  });
  process.send!({ url: stand.url });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
