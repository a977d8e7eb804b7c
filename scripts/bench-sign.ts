/**
 * Signing throughput (CPU time, one core) with the software GOST signer, for each GOST backend (./src/signing/gost-backend.ts):
 * native (Node's OpenSSL + Debian's gost engine) and pure JS. Per envelope size (~6.5 KB and
 * ~620 KB): signatures/s of the full XAdES-BES signature including the independent pre-send check,
 * the cost of that check alone, the receiver's verifyXades (the stand's intake), and a breakdown
 * (exc-c14n of the container, Streebog of it).
 *
 *   node dist/scripts/bench-sign.js [--n 300] [--large 20] [--key KEY.pem --cert CERT.pem] [--only native|js]
 *
 * Without --key/--cert a throwaway key and certificate are generated in memory (gis-sync keygen's code).
 * The JS row runs in a child process with GIS_SYNC_GOST=js, so hashing is pure JS there too.
 */
import { spawnSync } from "node:child_process";
import { excC14nText } from "../src/signing/c14n";
import { gostBackendStatus, independentBackend, gostBackend } from "../src/signing/gost-backend";
import { generateTestKey } from "../src/signing/keygen";
import { checkSignedEnvelope } from "../src/signing/presend-check";
import { SoftwareSigner } from "../src/signing/software-signer";
import { readCertificate } from "../src/signing/certificate";
import { streebog256 } from "../src/signing/streebog";
import { verifyXades } from "../src/signing/verify";
import { signEnvelope } from "../src/signing/xades";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** An importAccountData-like envelope with `accounts` accounts, in the builder's canonical style. */
function envelope(accounts: number): string {
  const items = Array.from(
    { length: accounts },
    (_, i) =>
      `<hm:Account><hm:AccountNumber>${100000 + i}</hm:AccountNumber><hm:Note>Иванов Иван Иванович &amp; Ко, г. Казань, ул. Баумана, д. ${i}</hm:Note>` +
      `<hm:TransportGUID>00000000-0000-4000-8000-${String(i).padStart(12, "0")}</hm:TransportGUID></hm:Account>`,
  ).join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">` +
    `<soapenv:Header><base:RequestHeader><base:Date>2026-11-23T10:00:00.000+03:00</base:Date><base:MessageGUID>6f1c1b3e-0000-4000-8000-000000000001</base:MessageGUID>` +
    `<base:orgPPAGUID>11111111-2222-3333-4444-555555555555</base:orgPPAGUID></base:RequestHeader></soapenv:Header><soapenv:Body>` +
    `<hm:importAccountRequest xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/" Id="signed-data-container" base:version="13.0.0.1">` +
    `${items}</hm:importAccountRequest></soapenv:Body></soapenv:Envelope>`
  );
}

/** The smallest envelope of at least `bytes` bytes (UTF-8). */
function envelopeOf(bytes: number): string {
  let n = Math.max(1, Math.floor(bytes / 260));
  while (Buffer.byteLength(envelope(n)) < bytes) n++;
  return envelope(n);
}

/** CPU ms (user + system) per call: on a shared machine wall time measures the neighbours too. */
async function timed(count: number, f: () => unknown): Promise<number> {
  const t0 = process.cpuUsage();
  for (let i = 0; i < count; i++) await f();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / count;
}

async function run(): Promise<void> {
  const n = Number(arg("n") ?? 300);
  const large = Number(arg("large") ?? 20);
  const status = gostBackendStatus();
  const key = arg("key");
  const cert = arg("cert");
  let signer: SoftwareSigner;
  if (key && cert) signer = SoftwareSigner.fromFiles(key, cert);
  else {
    const files = await generateTestKey({ commonName: "bench", days: 365 });
    signer = SoftwareSigner.fromPem(files.keyPem, files.certPem);
  }
  const info = readCertificate(signer.certificate);
  console.log(
    `== backend ${status.backend} (signer ${signer.backend}, pre-send check by ${status.independent}); node ${process.version}, OpenSSL ${process.versions.openssl}`,
  );
  console.log(`   ${status.reason}`);
  for (const [label, bytes, count] of [
    ["6.5 KB", 6_656, n],
    ["620 KB", 634_880, large],
  ] as const) {
    if (count <= 0) continue;
    const xml = envelopeOf(bytes);
    const size = Buffer.byteLength(xml);
    const signed = await signEnvelope(xml, signer); // warm-up
    const withCheck = await timed(count, () => signEnvelope(xml, signer));
    const without = await timed(count, () => signEnvelope(xml, signer, undefined, { presendCheck: false }));
    const canonical = excC14nText(xml).canonical;
    const at = signed.indexOf("<ds:Signature ");
    const parts = {
      xml: signed,
      containerId: "signed-data-container",
      signatureAt: at,
      signatureLength: signed.indexOf("</ds:Signature>") + 15 - at,
      signatureId: /<ds:Signature [^>]*Id="([^"]+)"/.exec(signed)![1],
      canonicalContainer: canonical,
      cert: info,
    };
    const reps = Math.max(3, Math.min(count, 50));
    const check = await timed(reps, () => checkSignedEnvelope(parts, independentBackend(), gostBackend(), "full"));
    const light = await timed(reps, () => checkSignedEnvelope(parts, independentBackend(), gostBackend(), "signature"));
    const verify = await timed(reps, () => {
      if (!verifyXades(signed).valid) throw new Error("verifyXades: signature does not verify");
    });
    const c14n = await timed(reps, () => excC14nText(xml).canonical);
    const hash = await timed(reps, () => streebog256(Buffer.from(canonical, "utf8")));
    console.log(
      `${label} (${size} bytes): ${(1000 / withCheck).toFixed(1)} signatures/s per core, ${withCheck.toFixed(2)} CPU ms per envelope with the pre-send check ` +
        `(${without.toFixed(2)} ms without); verifyXades ${verify.toFixed(2)} ms`,
    );
    console.log(
      `   the pre-send check alone: full ${check.toFixed(2)} ms (${((check / without) * 100).toFixed(0)} % of signing), ` +
        `signature mode ${light.toFixed(2)} ms (${((light / without) * 100).toFixed(0)} %)`,
    );
    console.log(`   per envelope: exc-c14n of the container ${c14n.toFixed(2)} ms, Streebog of it ${hash.toFixed(2)} ms`);
  }
  console.log(`   peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

async function main(): Promise<void> {
  const only = arg("only");
  const here = gostBackendStatus().backend;
  if (!only || only === here) await run();
  if (!only && here === "native") {
    const r = spawnSync(process.execPath, [__filename, ...process.argv.slice(2), "--only", "js"], {
      env: { ...process.env, GIS_SYNC_GOST: "js" },
      stdio: "inherit",
    });
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
