/**
 * Signing throughput with the software GOST signer: N envelopes of ~5 KB and a few of ~500 KB.
 *   node dist/scripts/bench-sign.js KEY.pem CERT.pem [N=200]
 * (make a key: OPENSSL_CONF=../shared/reference/tools/openssl-gost.cnf openssl genpkey -algorithm gost2012_256 -pkeyopt paramset:A …)
 */
import { SoftwareSigner } from "../src/signing/software-signer";
import { signRequest } from "../src/signing/xades";

function envelope(accounts: number): string {
  const items = Array.from({ length: accounts }, (_, i) =>
    `<hm:Account><hm:AccountNumber>${100000 + i}</hm:AccountNumber><hm:Note>Иванов Иван Иванович, г. Казань, ул. Баумана, д. ${i}</hm:Note><hm:TransportGUID>00000000-0000-4000-8000-${String(i).padStart(12, "0")}</hm:TransportGUID></hm:Account>`).join("");
  return `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/"><soapenv:Header/><soapenv:Body><hm:importAccountData Id="signed-data-container" base:version="13.0.0.1">${items}</hm:importAccountData></soapenv:Body></soapenv:Envelope>`;
}

async function main(): Promise<void> {
  const [key, cert, n = "200"] = process.argv.slice(2);
  const signer = SoftwareSigner.fromFiles(key, cert);
  for (const [label, accounts, count] of [["~5 KB", 25, Number(n)], ["~500 KB", 2500, Math.max(3, Math.floor(Number(n) / 50))]] as const) {
    const xml = envelope(accounts);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await signRequest(xml, signer);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const mb = (Buffer.byteLength(xml) * count) / 1048576;
    console.log(`${label} (${Buffer.byteLength(xml)} bytes): ${count} signed in ${(ms / 1000).toFixed(2)} s = ${(count / (ms / 1000)).toFixed(1)} signatures/s, ${(ms / mb).toFixed(0)} ms per MB`);
  }
  console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

void main();
