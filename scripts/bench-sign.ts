/**
 * Signing throughput with the software GOST signer (pure JS): N typical envelopes of ~5 KB and
 * M of ~500 KB, each a full XAdES-BES signature (fast exc-c14n of the container, Streebog-256,
 * SignedProperties, GOST R 34.10-2012 signature of SignedInfo).
 *
 *   node dist/scripts/bench-sign.js [--n 1000] [--large 100] [--key KEY.pem --cert CERT.pem] [--native] [--no-self-check]
 *
 * Without --key/--cert a throwaway key and certificate are generated in memory (gis-sync keygen's code).
 * --native loads Debian's gost engine into Node's OpenSSL for Streebog (src/signing/streebog.ts).
 * A breakdown per size shows where the time goes: c14n (text walker), Streebog of the container, the rest.
 */
import { excC14nDom, excC14nText } from "../src/signing/c14n";
import { generateTestKey } from "../src/signing/keygen";
import { SoftwareSigner } from "../src/signing/software-signer";
import { streebog256, streebogBackend } from "../src/signing/streebog";
import { signEnvelope } from "../src/signing/xades";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** An importAccountData-like envelope with `accounts` accounts, in the builder's canonical style. */
function envelope(accounts: number): string {
  const items = Array.from({ length: accounts }, (_, i) =>
    `<hm:Account><hm:AccountNumber>${100000 + i}</hm:AccountNumber><hm:Note>Иванов Иван Иванович &amp; Ко, г. Казань, ул. Баумана, д. ${i}</hm:Note>` +
    `<hm:TransportGUID>00000000-0000-4000-8000-${String(i).padStart(12, "0")}</hm:TransportGUID></hm:Account>`).join("");
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">` +
    `<soapenv:Header><base:RequestHeader><base:Date>2026-11-23T10:00:00.000+03:00</base:Date><base:MessageGUID>6f1c1b3e-0000-4000-8000-000000000001</base:MessageGUID>` +
    `<base:orgPPAGUID>11111111-2222-3333-4444-555555555555</base:orgPPAGUID></base:RequestHeader></soapenv:Header><soapenv:Body>` +
    `<hm:importAccountRequest xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/" Id="signed-data-container" base:version="13.0.0.1">` +
    `${items}</hm:importAccountRequest></soapenv:Body></soapenv:Envelope>`;
}

function time<T>(f: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t0) / 1e6];
}

async function main(): Promise<void> {
  const n = Number(arg("n") ?? 1000);
  const large = Number(arg("large") ?? 100);

  let signer: SoftwareSigner;
  const key = arg("key");
  const cert = arg("cert");
  const opts = { selfCheck: !process.argv.includes("--no-self-check") };
  if (key && cert) signer = SoftwareSigner.fromFiles(key, cert, opts);
  else {
    const files = await generateTestKey({ commonName: "bench", days: 365 });
    signer = SoftwareSigner.fromPem(files.keyPem, files.certPem, opts);
  }
  console.log(`Streebog backend: ${streebogBackend()}, GOST R 34.10-2012 signature: pure JS (node-gost-crypto), self-check ${opts.selfCheck ? "on" : "off"}; node ${process.version}`);
  for (const [label, accounts, count] of [["~5 KB", 17, n], ["~500 KB", 1930, large]] as const) {
    if (count <= 0) continue;
    const xml = envelope(accounts);
    const bytes = Buffer.byteLength(xml);
    // Warm-up and a correctness cross-check against the DOM canonicalizer.
    await signEnvelope(xml, signer, undefined, { crossCheck: true });
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await signEnvelope(xml, signer);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const mb = (bytes * count) / 1048576;
    // Breakdown on a few runs.
    const reps = Math.min(count, 20);
    let c14nMs = 0, domMs = 0, hashMs = 0;
    for (let i = 0; i < reps; i++) {
      const [c, t1] = time(() => excC14nText(xml).canonical);
      c14nMs += t1;
      hashMs += time(() => streebog256(Buffer.from(c, "utf8")))[1];
      if (i < 3) domMs += time(() => excC14nDom(xml))[1] / 3;
    }
    console.log(
      `${label} (${bytes} bytes): ${count} signed in ${(ms / 1000).toFixed(2)} s = ${(count / (ms / 1000)).toFixed(1)} signatures/s, ` +
      `${(ms / count).toFixed(2)} ms per envelope, ${(ms / mb).toFixed(0)} ms per MB`,
    );
    console.log(
      `   per envelope: c14n (text walker) ${(c14nMs / reps).toFixed(2)} ms [DOM c14n would be ${domMs.toFixed(2)} ms], ` +
      `Streebog of container ${(hashMs / reps).toFixed(2)} ms, rest (SignedProperties, SignedInfo, GOST sign) ${(ms / count - (c14nMs + hashMs) / reps).toFixed(2)} ms`,
    );
  }
  console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
