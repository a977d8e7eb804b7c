/**
 * Organizations of the stand: made from what an operator or the demo gives (requisites, roles, the
 * certificate that signs for it), checked the way the registry would, with GIS identifiers filled
 * in. A certificate is kept as its SHA-1 fingerprint, the form the strict-mode check compares.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { readCertificate } from "../../signing/certificate";
import { StandOrganization, StandRole } from "../types";
import { sha1Fingerprint } from "./intake";

export interface OrganizationInput {
  orgPPAGUID?: string;
  orgRootEntityGUID?: string;
  orgVersionGUID?: string;
  ogrn: string;
  inn: string;
  kpp?: string | null;
  fullName: string;
  shortName?: string;
  roles?: StandRole[];
  /** PEM of a certificate allowed to sign for the organization. */
  certificatePem?: string;
  certificateFingerprints?: string[];
}

const ROLES: readonly StandRole[] = ["UO", "RSO", "TSG", "RKC", "OPERATOR"];
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function certificateFingerprint(pem: string): string {
  return sha1Fingerprint(readCertificate(pem).der);
}

export function makeOrganization(i: OrganizationInput): StandOrganization {
  if (!i || typeof i !== "object") throw new Error("организация: ожидается объект");
  const where = `организация «${i.shortName ?? i.fullName ?? "?"}»`;
  if (typeof i.ogrn !== "string" || !/^(\d{13}|\d{15})$/.test(i.ogrn)) throw new Error(`${where}: ОГРН — 13 цифр (ОГРНИП — 15)`);
  if (typeof i.inn !== "string" || !/^(\d{10}|\d{12})$/.test(i.inn)) throw new Error(`${where}: ИНН — 10 или 12 цифр`);
  if (i.kpp !== undefined && i.kpp !== null && !/^\d{9}$/.test(i.kpp)) throw new Error(`${where}: КПП — 9 цифр`);
  if (typeof i.fullName !== "string" || i.fullName.trim() === "") throw new Error(`${where}: не указано полное наименование (fullName)`);
  for (const r of i.roles ?? []) if (!ROLES.includes(r)) throw new Error(`${where}: полномочие «${r}» — допустимо ${ROLES.join(", ")}`);
  for (const g of [i.orgPPAGUID, i.orgRootEntityGUID, i.orgVersionGUID]) if (g !== undefined && !GUID_RE.test(g)) throw new Error(`${where}: «${g}» — не GUID`);
  const fingerprints = (i.certificateFingerprints ?? []).map((f) => f.replace(/[^0-9a-fA-F]/g, "").toLowerCase());
  for (const f of fingerprints) if (f.length !== 40) throw new Error(`${where}: отпечаток сертификата — 40 шестнадцатеричных цифр (SHA-1)`);
  if (i.certificatePem) fingerprints.push(certificateFingerprint(i.certificatePem));
  return {
    orgPPAGUID: (i.orgPPAGUID ?? crypto.randomUUID()).toLowerCase(),
    orgRootEntityGUID: (i.orgRootEntityGUID ?? crypto.randomUUID()).toLowerCase(),
    orgVersionGUID: (i.orgVersionGUID ?? crypto.randomUUID()).toLowerCase(),
    ogrn: i.ogrn,
    inn: i.inn,
    kpp: i.kpp ?? null,
    fullName: i.fullName.trim(),
    shortName: (i.shortName ?? i.fullName).trim(),
    roles: i.roles && i.roles.length > 0 ? i.roles : ["RSO"],
    certificateFingerprints: [...new Set(fingerprints)],
  };
}

/** A JSON file with an array of organizations (OrganizationInput). */
export function readOrganizationsFile(file: string): StandOrganization[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: не удаётся прочитать JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(raw)) throw new Error(`${file}: ожидается массив организаций`);
  return raw.map((o, n) => {
    try {
      return makeOrganization(o as OrganizationInput);
    } catch (e) {
      throw new Error(`${file}, элемент ${n + 1}: ${(e as Error).message}`);
    }
  });
}

/** The organization the stand makes when none is given: the demo bundle's supplier. */
export function demoOrganization(certificatePem?: string): StandOrganization {
  return makeOrganization({
    ogrn: "1021602843470",
    inn: "1655065057",
    kpp: "165501001",
    fullName: "Акционерное общество «Казанские коммунальные сети»",
    shortName: "АО «ККС»",
    roles: ["RSO"],
    certificatePem,
  });
}
