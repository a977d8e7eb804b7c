/** The independent GOST toolchain for tests: openssl with Debian's gost engine and the reference verifier. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** ../shared/reference next to the checkout (or GIS_REFERENCE_DIR), wherever the clone sits. */
function findReference(): string {
  if (process.env.GIS_REFERENCE_DIR) return path.resolve(process.env.GIS_REFERENCE_DIR);
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared", "reference");
    if (fs.existsSync(path.join(candidate, "tools", "verify_gis_xades.py"))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  return path.resolve("/work/shared/reference");
}

export const REFERENCE = findReference();
export const OPENSSL_ENV = { ...process.env, OPENSSL_CONF: path.join(REFERENCE, "tools/openssl-gost.cnf") };

export function gostEngineMissing(): string | false {
  if (!fs.existsSync(path.join(REFERENCE, "tools", "openssl-gost.cnf"))) return `reference tools not found at ${REFERENCE}`;
  const r = spawnSync("openssl", ["engine", "gost", "-c"], { env: OPENSSL_ENV, encoding: "utf8" });
  return r.status === 0 && /md_gost12_256/.test(r.stdout) ? false : "openssl gost engine (libengine-gost-openssl) is not installed";
}

/** A fresh GOST 2012-256 key and self-signed certificate made by openssl, not by us. */
export function opensslKeyAndCert(
  subject = '/CN=Тестовый Подписант/O=ООО "Тест, Ромашка"/C=RU/L=Москва/INN=007701234567',
  paramset = "A",
): { dir: string; key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-gost-"));
  const key = path.join(dir, "key.pem");
  const cert = path.join(dir, "cert.pem");
  const run = (args: string[]) => {
    const r = spawnSync("openssl", args, { env: OPENSSL_ENV, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  run(["genpkey", "-algorithm", "gost2012_256", "-pkeyopt", `paramset:${paramset}`, "-out", key]);
  run([
    "req",
    "-x509",
    "-new",
    "-key",
    key,
    "-md_gost12_256",
    "-days",
    "365",
    "-set_serial",
    "0x00e1b2d97ac40cdd80e91156b730059384",
    "-utf8",
    "-subj",
    subject,
    "-out",
    cert,
  ]);
  return { dir, key, cert };
}

/** Runs ../shared/reference/tools/verify_gis_xades.py on a document; returns its verdict and output. */
export function referenceVerify(xml: string): { valid: boolean; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-verify-"));
  const file = path.join(dir, "signed.xml");
  fs.writeFileSync(file, xml);
  const r = spawnSync("/usr/bin/python3", [path.join(REFERENCE, "tools/verify_gis_xades.py"), file], { env: OPENSSL_ENV, encoding: "utf8" });
  fs.rmSync(dir, { recursive: true, force: true });
  return { valid: r.status === 0 && /RESULT VALID/.test(r.stdout), output: r.stdout + r.stderr };
}
