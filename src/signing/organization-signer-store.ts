/**
 * Setting and showing an organization's signing identity (organization_signer): what
 * `gis-sync org signer` and the API's /api/organizations/:id/signer do. Every change is checked
 * (the files exist and hold a certificate, the PIN is named by its source, never given) and
 * audited. What is shown never carries a secret: no PIN source, no command line.
 */
import fs from "node:fs";
import { DataSource } from "typeorm";
import { Organization } from "../../entities/organization";
import { OrganizationSigner, SIGNER_KINDS, SignerKind } from "../../entities/organization-signer";
import { audit } from "../api/audit";
import { getSetting } from "../settings/settings";
import { UserError } from "../util/errors";
import { readCertificate } from "./certificate";
import { installationOrganizationId, organizationLabel, parseCommand } from "./organization-signers";

export interface SignerInput {
  kind: SignerKind;
  keyFile?: string | null;
  certFile?: string | null;
  tokenLabel?: string | null;
  keyId?: string | null;
  pinSource?: string | null;
  /** JSON array: the program and its arguments. Command line only, never through the web. */
  command?: string | null;
}

export interface SignerView {
  organizationId: number;
  kind: SignerKind;
  /** No row: the installation signs (as the organization itself, or as operator). */
  configured: boolean;
  isOperatorSignature: boolean;
  keyFile: string | null;
  certFile: string | null;
  tokenLabel: string | null;
  keyId: string | null;
  pinSourceSet: boolean;
  commandSet: boolean;
  certificate: { subject: string; notAfter: string; expired: boolean } | null;
  /** Why the certificate is not shown (on a token, file missing). */
  certificateNote: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** The organization by id, or by OGRN (13 or 15 digits). */
export async function findOrganization(ds: DataSource, ref: string | number): Promise<Organization> {
  const repo = ds.getRepository(Organization);
  const s = String(ref).trim();
  const org = /^(\d{13}|\d{15})$/.test(s) ? await repo.findOneBy({ ogrn: s }) : /^\d+$/.test(s) ? await repo.findOneBy({ id: Number(s) }) : null;
  if (!org) throw new UserError(`Организация «${s}» не найдена: укажите ОГРН (13 или 15 цифр) или номер организации`);
  return org;
}

/** Checks and stores the organization's signer; `via` says who asks (the web may not set a command). */
export async function setOrganizationSigner(ds: DataSource, org: Organization, input: SignerInput, actor: string, via: "cli" | "api"): Promise<SignerView> {
  const who = organizationLabel(org);
  if (!(SIGNER_KINDS as readonly string[]).includes(input.kind)) throw new UserError(`Подпись организации ${who}: вид — ${SIGNER_KINDS.join(", ")}`);
  const clean = (v: string | null | undefined) => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
  const row: OrganizationSigner = {
    organizationId: org.id,
    kind: input.kind,
    keyFile: null,
    certFile: null,
    tokenLabel: null,
    keyId: null,
    pinSource: null,
    command: null,
    updatedAt: new Date(),
    updatedBy: actor.slice(0, 100),
  };
  const need = (v: string | null, flag: string) => {
    if (!v) throw new UserError(`Подпись организации ${who} (${input.kind}): не указано ${flag}`);
    return v;
  };
  const readable = (file: string, what: string) => {
    if (!fs.existsSync(file)) throw new UserError(`Подпись организации ${who}: ${what} ${file} не найден`);
  };
  const certificate = (file: string) => {
    readable(file, "файл сертификата");
    try {
      readCertificate(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new UserError(`Подпись организации ${who}: ${file} — не сертификат PEM (${(e as Error).message})`);
    }
  };
  switch (input.kind) {
    case "software":
      row.keyFile = need(clean(input.keyFile), "файл ключа (--key / keyFile)");
      row.certFile = need(clean(input.certFile), "файл сертификата (--cert / certFile)");
      readable(row.keyFile, "файл ключа");
      certificate(row.certFile);
      break;
    case "pkcs11":
      row.tokenLabel = need(clean(input.tokenLabel), "метка токена (--token-label / tokenLabel)");
      row.keyId = clean(input.keyId);
      if (row.keyId && !/^([0-9a-fA-F]{2})+$/.test(row.keyId))
        throw new UserError(`Подпись организации ${who}: идентификатор ключа (keyId) — шестнадцатеричные байты`);
      row.pinSource = need(clean(input.pinSource), "источник PIN (--pin-source / pinSource: env:ПЕРЕМЕННАЯ или file:/путь)");
      if (!/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$/.test(row.pinSource))
        throw new UserError(`Подпись организации ${who}: PIN задаётся источником env:ПЕРЕМЕННАЯ или file:/путь, не самим PIN`);
      if (!(await getSetting<string | null>(ds, "signer.pkcs11Library")))
        throw new UserError(`Подпись организации ${who} (pkcs11): сначала задайте на сервере библиотеку PKCS#11 — настройку signer.pkcs11Library`);
      break;
    case "command":
      if (via !== "cli") throw new UserError("Внешняя программа подписи задаётся только из командной строки сервера: gis-sync org signer --kind command");
      parseCommand(need(clean(input.command), "команда (--command)"), `организации ${who}`);
      row.command = clean(input.command);
      row.certFile = need(clean(input.certFile), "файл сертификата (--cert)");
      certificate(row.certFile);
      break;
    case "operator":
      break;
  }
  await ds.transaction(async (em) => {
    await em.getRepository(OrganizationSigner).delete({ organizationId: org.id });
    await em.getRepository(OrganizationSigner).insert(row);
    // What changed, never a PIN source or a command line.
    await audit(em, actor, "organization.signer", `organization:${org.id}`, {
      kind: row.kind,
      keyFile: row.keyFile,
      certFile: row.certFile,
      tokenLabel: row.tokenLabel,
      keyId: row.keyId,
      via,
    });
  });
  return describeOrganizationSigner(ds, org);
}

/** What signs for the organization, with the certificate's subject and expiry where a file holds it. */
export async function describeOrganizationSigner(ds: DataSource, org: Organization, now = new Date()): Promise<SignerView> {
  const row = await ds.getRepository(OrganizationSigner).findOneBy({ organizationId: org.id });
  const kind: SignerKind = row?.kind ?? "operator";
  const installation = kind === "operator";
  const own = !row && (await installationOrganizationId(ds)) === org.id;
  let certFile = row?.certFile ?? null;
  let note: string | null = null;
  if (installation) {
    const k = await getSetting<string>(ds, "signer.kind");
    certFile = k === "pkcs11" ? null : await getSetting<string | null>(ds, "signer.certFile");
    if (k === "pkcs11") note = "сертификат установки на токене";
  } else if (kind === "pkcs11") note = "сертификат на токене";
  let certificate: SignerView["certificate"] = null;
  if (certFile) {
    try {
      const c = readCertificate(fs.readFileSync(certFile, "utf8"));
      certificate = { subject: c.subjectName, notAfter: c.notAfter.toISOString(), expired: c.notAfter < now };
    } catch (e) {
      note = (e as NodeJS.ErrnoException).code === "ENOENT" ? `файл сертификата ${certFile} не найден` : `сертификат не читается: ${(e as Error).message}`;
    }
  }
  return {
    organizationId: org.id,
    kind,
    configured: !!row,
    isOperatorSignature: installation && !own,
    keyFile: row?.keyFile ?? null,
    certFile,
    tokenLabel: row?.tokenLabel ?? null,
    keyId: row?.keyId ?? null,
    pinSourceSet: !!row?.pinSource,
    commandSet: !!row?.command,
    certificate,
    certificateNote: note,
    updatedAt: row?.updatedAt ? new Date(row.updatedAt).toISOString() : null,
    updatedBy: row?.updatedBy ?? null,
  };
}
