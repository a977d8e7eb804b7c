/**
 * Is the signer usable, and if not, which setting is wrong: the files and programs the signer
 * settings name, checked without opening a token. Shared by GET /api/signer, /api/ready and the
 * answer to a pipeline that fails to open. Certificates are read as PEM or DER.
 */
import fs from "node:fs";
import { DataSource } from "typeorm";
import { getSetting } from "../settings/settings";
import { CertInfo, expiryCheck, readCertificate } from "../signing/certificate";

export interface SettingProblem {
  setting: string;
  message: string;
}

/** A certificate file's contents, PEM (text with -----BEGIN) or DER (binary). */
export function readCertificateFile(data: Buffer): CertInfo {
  const head = data.subarray(0, 200).toString("latin1");
  return readCertificate(/-----BEGIN [A-Z0-9 ]+-----/.test(head) ? data.toString("latin1") : data);
}

function readable(file: string): string | null {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile() ? null : "не файл";
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? "файл не найден" : "файл не читается (нет прав)";
  }
}

export async function signerProblems(ds: DataSource, now = new Date()): Promise<SettingProblem[]> {
  const kind = await getSetting<string>(ds, "signer.kind");
  const problems: SettingProblem[] = [];
  const file = async (setting: string, what: string) => {
    const v = await getSetting<string | null>(ds, setting);
    if (!v) {
      problems.push({ setting, message: `не задан ${what} (подпись: ${kind})` });
      return null;
    }
    const why = readable(v);
    if (why) problems.push({ setting, message: `${what}: ${why}` });
    return why ? null : v;
  };
  const required = async (setting: string, what: string) => {
    if (!(await getSetting<string | null>(ds, setting))) problems.push({ setting, message: `не задан(а) ${what} (подпись: ${kind})` });
  };
  if (kind === "software") await file("signer.keyFile", "файл ключа");
  if (kind === "pkcs11") {
    await file("signer.pkcs11Library", "библиотека PKCS#11");
    await required("signer.tokenLabel", "метка токена");
    await required("signer.pinSource", "источник PIN");
  }
  if (kind === "command") await required("signer.command", "программа подписи");
  if (kind !== "pkcs11") {
    const cert = await file("signer.certFile", "файл сертификата");
    if (cert) {
      try {
        const c = readCertificateFile(fs.readFileSync(cert));
        if (expiryCheck(c, now).level === "expired") problems.push({ setting: "signer.certFile", message: expiryCheck(c, now).message! });
      } catch (e) {
        problems.push({ setting: "signer.certFile", message: `сертификат не читается: ${(e as Error).message}` });
      }
    }
  }
  return problems;
}

export const describeProblems = (p: SettingProblem[]) => p.map((x) => `настройка ${x.setting}: ${x.message}`).join("; ");
