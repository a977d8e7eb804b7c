/**
 * What the demo sets up besides the data: a test GOST key for our organization (kept under
 * GIS_SYNC_HOME, made once) and the built-in stand with the organizations of the database registered
 * in it — ours with the demo certificate, so the stand's strict certificate check passes.
 */
import fs from "node:fs";
import path from "node:path";
import { DataSource } from "typeorm";
import { Organization } from "../../entities/organization";
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

/** The demo organization's key and certificate (made on first use) and the signer settings pointing at them. */
export async function demoKeys(ds: DataSource, home: string, ours: Organization): Promise<DemoKeys> {
  const dir = path.join(home, "keys");
  const keyFile = path.join(dir, "demo-key.pem");
  const certFile = path.join(dir, "demo-cert.pem");
  if (!fs.existsSync(keyFile) || !fs.existsSync(certFile)) {
    const k = await generateTestKey({ commonName: ours.shortName ?? ours.fullName, organization: ours.fullName, days: 365 });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(keyFile, k.keyPem, { mode: 0o600 });
    fs.writeFileSync(certFile, k.certPem);
  }
  await setSetting(ds, "signer.kind", "software", "demo");
  await setSetting(ds, "signer.keyFile", keyFile, "demo");
  await setSetting(ds, "signer.certFile", certFile, "demo");
  await setSetting(ds, "gis.ourOrganizationId", ours.id, "demo");
  return { signer: SoftwareSigner.fromFiles(keyFile, certFile), keyFile, certFile, certPem: fs.readFileSync(certFile, "utf8") };
}

const ROLE: Record<string, StandRole> = { UO: "UO", RSO: "RSO", TSG: "TSG", RKC: "RKC" };

/**
 * Registers the database's organizations in a stand store, once each (by OGRN): a restarted demo
 * finds them in the stand's data file with the GUIDs it gave them before.
 */
export function registerOrganizations(stand: RunningStand, orgs: Organization[], ours: Organization, certPem: string): void {
  const known = new Map(stand.store.organizations().map((o) => [o.ogrn, o]));
  const fingerprint = certificateFingerprint(certPem);
  for (const o of orgs) {
    if (!o.ogrn || !o.inn) continue;
    const existing = known.get(o.ogrn);
    if (existing) {
      if (o.id === ours.id && !existing.certificateFingerprints.includes(fingerprint)) {
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
          certificatePem: o.id === ours.id ? certPem : undefined,
        }),
      );
    } catch {
      // An organization with broken requisites is not in GIS's registry either: the pipeline names it.
    }
  }
}

/** The built-in stand for the demo: state kept under GIS_SYNC_HOME, our organizations registered. */
export async function demoStand(ds: DataSource, home: string, ours: Organization, certPem: string, latencyMs: number): Promise<RunningStand> {
  const dir = path.join(home, "stand");
  fs.mkdirSync(dir, { recursive: true });
  const stand = await startStand({
    dataFile: path.join(dir, "state.json"),
    latency: { receivedMs: Math.floor(latencyMs / 2), processingMs: latencyMs },
    log: () => undefined,
  });
  registerOrganizations(stand, await ds.getRepository(Organization).find(), ours, certPem);
  return stand;
}
