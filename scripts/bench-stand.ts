/**
 * The stand's throughput, measured with the stand in its own process (as `gis-sync stand` runs) and
 * the clients in this one, so on 2 cores each side has a core:
 *  1. getState answers/s at 0 ms latency: many concurrent keep-alive clients polling finished
 *     messages (answers signed once and cached), and the rate of first answers (each signed anew);
 *  2. an import (nsi importAdditionalServices, 1000 objects per request): the stand's CPU time per
 *     object — intake (parse, schema, signature), handler, signing the result — with signature
 *     verification on and off, next to the client's CPU time per object to build, validate and sign.
 *
 *   node dist/scripts/bench-stand.js [--messages 200] [--clients 64] [--seconds 10] [--imports 10]
 */
import { ChildProcess, fork } from "node:child_process";
import crypto from "node:crypto";
import http from "node:http";
import { exportNsiItem } from "../src/methods/nsi-common/export-nsi-item";
import { importAdditionalServices } from "../src/methods/nsi/import-additional-services";
import { buildMethodRequest } from "../src/transport/messages/build";
import { getState } from "../src/methods/base/get-state";
import { validateRequest } from "../src/transport/schema/validate";
import { generateTestKey } from "../src/signing/keygen";
import { SoftwareSigner } from "../src/signing/software-signer";
import { signEnvelope } from "../src/signing/xades";
import { startStand } from "../src/stand";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

/** Child mode: run a stand, report its URL, answer CPU-usage questions. */
async function serve(): Promise<void> {
  const stand = await startStand({ verify: !process.argv.includes("--no-verify"), log: () => undefined });
  process.on("message", async (m: string) => {
    if (m === "cpu") {
      await stand.idle();
      process.send!({ cpu: process.cpuUsage(), stats: stand.stats() });
    }
    if (m === "close") {
      await stand.close();
      process.exit(0);
    }
  });
  process.send!({ url: stand.url });
}

interface Child {
  proc: ChildProcess;
  url: string;
  ask(): Promise<{ cpu: NodeJS.CpuUsage; stats: ReturnType<Awaited<ReturnType<typeof startStand>>["stats"]> }>;
}

function spawnStand(verify: boolean): Promise<Child> {
  const proc = fork(__filename, ["--serve", ...(verify ? [] : ["--no-verify"])], { stdio: "inherit" });
  return new Promise((resolve) => {
    proc.once("message", (m: { url: string }) =>
      resolve({
        proc,
        url: m.url,
        ask: () =>
          new Promise((r) => {
            proc.once("message", r as never);
            proc.send("cpu");
          }),
      }),
    );
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, path: string, action: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, url),
      { method: "POST", agent, headers: { "Content-Type": "text/xml; charset=utf-8", SOAPAction: `"${action}"` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const ackGuid = (xml: string) => {
  const m = /<base:MessageGUID>([^<]+)<\/base:MessageGUID><base:RequesterMessageGUID>/.exec(xml);
  if (!m) throw new Error(`no Ack: ${xml.slice(0, 400)}`);
  return m[1];
};

async function registerOrg(url: string, certPem: string, orgPPAGUID: string): Promise<void> {
  const res = await fetch(`${url}/stand/admin/organizations`, {
    method: "POST",
    body: JSON.stringify({
      orgPPAGUID,
      ogrn: "1021602843470",
      inn: "1655065057",
      kpp: "165501001",
      fullName: "АО «Казанские коммунальные сети»",
      roles: ["RSO"],
      certificatePem: certPem,
    }),
  });
  if (!res.ok) throw new Error(`register org: HTTP ${res.status}`);
}

async function pool(n: number, concurrency: number, f: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await f(next++);
    }),
  );
}

async function main(): Promise<void> {
  const messages = arg("messages", 200);
  const clients = arg("clients", 64);
  const seconds = arg("seconds", 10);
  const imports = arg("imports", 10);
  const k = await generateTestKey({ commonName: "bench client", days: 30 });
  const signer = SoftwareSigner.fromPem(k.keyPem, k.certPem, { selfCheck: false });
  const orgPPAGUID = crypto.randomUUID();

  // 1. getState
  const a = await spawnStand(true);
  await registerOrg(a.url, k.certPem, orgPPAGUID);
  const guids: string[] = [];
  await pool(messages, 4, async () => {
    const b = buildMethodRequest(exportNsiItem, {}, { registryNumber: 32, listGroup: "NSI" });
    guids.push(ackGuid((await post(a.url, b.path, b.soapAction, await signEnvelope(b.xml, signer))).body));
  });
  await a.ask(); // every message processed
  const states = guids.map((g) => getState("nsi-common", g));
  let t0 = performance.now();
  await pool(states.length, 8, async (i) => {
    const r = await post(a.url, states[i].path, states[i].soapAction, states[i].xml);
    if (!r.body.includes("RequestState>3<")) throw new Error("expected RequestState 3");
  });
  const firstRate = states.length / ((performance.now() - t0) / 1000);
  const cpu0 = (await a.ask()).cpu;
  let answers = 0;
  const until = performance.now() + seconds * 1000;
  t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < until; i++) {
        const s = states[i % states.length];
        const r = await post(a.url, s.path, s.soapAction, s.xml);
        if (r.status !== 200) throw new Error(`getState HTTP ${r.status}`);
        answers++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu1 = (await a.ask()).cpu;
  const standCpuPerAnswer = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / 1000 / answers;
  a.proc.send("close");
  console.log(`getState, 0 ms latency, ${clients} keep-alive clients, ${messages} finished messages:`);
  console.log(`  ${Math.round(answers / elapsed)} answers/s (cached signed answers; stand CPU ${standCpuPerAnswer.toFixed(3)} ms per answer)`);
  console.log(`  first answers (each signed anew): ${Math.round(firstRate)}/s`);

  // 2. import: 1000 objects per request
  const objects = 1000;
  const build = () =>
    buildMethodRequest(
      importAdditionalServices,
      { orgPPAGUID },
      {
        services: Array.from({ length: objects }, (_, i) => ({
          transportGuid: crypto.randomUUID(),
          name: `Дополнительная услуга № ${i} «Обслуживание» & ремонт`,
          okei: "796",
        })),
      },
    );
  const c0 = process.cpuUsage();
  const signed: Array<{ path: string; action: string; xml: string }> = [];
  for (let i = 0; i < imports; i++) {
    const b = build();
    const problems = await validateRequest(b.xml, "nsi");
    if (problems.length > 0) throw new Error(`invalid import: ${problems[0].message}`);
    signed.push({ path: b.path, action: b.soapAction, xml: await signEnvelope(b.xml, signer) });
  }
  const c1 = process.cpuUsage(c0);
  const clientMsPerObject = (c1.user + c1.system) / 1000 / (imports * objects);
  console.log(
    `\nimport (nsi importAdditionalServices, ${objects} objects per request, ${imports} requests, ${Math.round(signed[0].xml.length / 1024)} KB each):`,
  );
  console.log(`  client: build + validate + sign ${clientMsPerObject.toFixed(4)} ms CPU per object`);
  for (const verify of [true, false]) {
    const s = await spawnStand(verify);
    await registerOrg(s.url, k.certPem, orgPPAGUID);
    const before = (await s.ask()).cpu;
    const sent: string[] = [];
    for (const r of signed) {
      // A fresh MessageGUID per stand run is not needed: each stand process starts empty.
      sent.push(ackGuid((await post(s.url, r.path, r.action, r.xml)).body));
    }
    for (const g of sent) {
      const q = getState("nsi", g, { orgPPAGUID });
      const r = await post(s.url, q.path, q.soapAction, q.xml);
      if (!r.body.includes("RequestState>3<")) throw new Error("import not processed");
    }
    const after = await s.ask();
    const ms = (after.cpu.user + after.cpu.system - before.user - before.system) / 1000;
    const t = after.stats.timings;
    console.log(
      `  stand, verification ${verify ? "on " : "off"}: ${(ms / (imports * objects)).toFixed(4)} ms CPU per object ` +
        `(intake ${(t.intakeMs.importAdditionalServices / objects).toFixed(4)}, handler ${(t.handlerMs.importAdditionalServices / objects).toFixed(4)} ms per object; the rest signs the results)`,
    );
    s.proc.send("close");
  }
  agent.destroy();
}

if (process.argv.includes("--serve")) void serve();
else
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
