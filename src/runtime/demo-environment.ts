/**
 * What the demo sets up besides the data: test GOST keys (kept under GIS_SYNC_HOME, made once) — the
 * installation's own (the `signer.*` settings) and one per organization it sends for (an
 * organization_signer row each) — and the built-in stand with the organizations of the database
 * registered in it, each with its certificate, so the stand's strict certificate check passes.
 */
import fs from "node:fs";
import path from "node:path";
import { DataSource } from "typeorm";
import { Organization } from "../../entities/organization";
import { OrganizationSigner } from "../../entities/organization-signer";
import { setSetting } from "../settings/settings";
import { generateTestKey } from "../signing/keygen";
import { SoftwareSigner } from "../signing/software-signer";
import { RunningStand, certificateFingerprint, makeOrganization, startStand } from "../stand";
import { StandRole } from "../stand/types";

export interface DemoKeys {
  signer: SoftwareSigner;
  keyFile: string;
  certFile: string;
  certPem: string;
}

/** A test key and certificate for an organization under GIS_SYNC_HOME/keys, made on first use. */
async function testKey(home: string, name: string, o: Organization): Promise<{ keyFile: string; certFile: string; certPem: string; keyPem: string }> {
  const dir = path.join(home, "keys");
  const keyFile = path.join(dir, `${name}-key.pem`);
  const certFile = path.join(dir, `${name}-cert.pem`);
  if (!fs.existsSync(keyFile) || !fs.existsSync(certFile)) {
    const k = await generateTestKey({ commonName: o.shortName ?? o.fullName, organization: o.fullName, days: 365 });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(keyFile, k.keyPem, { mode: 0o600 });
    fs.writeFileSync(certFile, k.certPem);
  }
  return { keyFile, certFile, certPem: fs.readFileSync(certFile, "utf8"), keyPem: fs.readFileSync(keyFile, "utf8") };
}

/** The installation's key and certificate (made on first use) and the signer settings pointing at them; `ours` is the default organization. */
export async function demoKeys(ds: DataSource, home: string, ours: Organization): Promise<DemoKeys> {
  const k = await testKey(home, "demo", ours);
  await setSetting(ds, "signer.kind", "software", "demo");
  await setSetting(ds, "signer.keyFile", k.keyFile, "demo");
  await setSetting(ds, "signer.certFile", k.certFile, "demo");
  await setSetting(ds, "gis.ourOrganizationId", ours.id, "demo");
  return { signer: SoftwareSigner.fromPem(k.keyPem, k.certPem), keyFile: k.keyFile, certFile: k.certFile, certPem: k.certPem };
}

/**
 * Each organization's own test key (keys/demo-<its id in the bundle>-*.pem), stored as its
 * organization_signer row (software key file and certificate).
 */
export async function organizationKeys(ds: DataSource, home: string, orgs: Organization[]): Promise<Map<number, DemoKeys>> {
  const out = new Map<number, DemoKeys>();
  for (const o of orgs) {
    const k = await testKey(home, `demo-${o.externalId.replace(/[^\w-]/g, "_")}`, o);
    await ds
      .getRepository(OrganizationSigner)
      .save({ organizationId: o.id, kind: "software", keyFile: k.keyFile, certFile: k.certFile, updatedAt: new Date(), updatedBy: "demo" });
    out.set(o.id, { signer: SoftwareSigner.fromPem(k.keyPem, k.certPem), keyFile: k.keyFile, certFile: k.certFile, certPem: k.certPem });
  }
  return out;
}

const ROLE: Record<string, StandRole> = { UO: "UO", RSO: "RSO", TSG: "TSG", TSZH: "TSG", RKC: "RKC", RC: "RKC" };

/**
 * Registers the database's organizations in a stand store, once each (by OGRN): a restarted demo
 * finds them in the stand's data file with the GUIDs it gave them before.
 */
export function registerOrganizations(stand: RunningStand, orgs: Organization[], certs: Map<number, string>): void {
  const known = new Map(stand.store.organizations().map((o) => [o.ogrn, o]));
  for (const o of orgs) {
    if (!o.ogrn || !o.inn) continue;
    const existing = known.get(o.ogrn);
    const certPem = certs.get(o.id);
    if (existing) {
      const fingerprint = certPem ? certificateFingerprint(certPem) : null;
      if (fingerprint && !existing.certificateFingerprints.includes(fingerprint)) {
        stand.store.addOrganization({ ...existing, certificateFingerprints: [...existing.certificateFingerprints, fingerprint] });
      }
      continue;
    }
    try {
      stand.store.addOrganization(
        makeOrganization({
          ogrn: o.ogrn,
          inn: o.inn,
          kpp: o.kpp,
          fullName: o.fullName,
          shortName: o.shortName ?? undefined,
          roles: [ROLE[o.role ?? ""] ?? "RSO"],
          certificatePem: certPem,
        }),
      );
    } catch {
      // An organization with broken requisites is not in GIS's registry either: the pipeline names it.
    }
  }
}

/** The built-in stand for the demo: state kept under GIS_SYNC_HOME, the database's organizations registered with their certificates. */
export async function demoStand(ds: DataSource, home: string, certs: Map<number, string>, latencyMs: number): Promise<RunningStand> {
  const dir = path.join(home, "stand");
  fs.mkdirSync(dir, { recursive: true });
  const stand = await startStand({
    dataFile: path.join(dir, "state.json"),
    latency: { receivedMs: Math.floor(latencyMs / 2), processingMs: latencyMs },
    log: () => undefined,
  });
  registerOrganizations(stand, await ds.getRepository(Organization).find(), certs);
  return stand;
}
