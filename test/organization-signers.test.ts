/**
 * Many organizations per installation on the built-in stand (signatures and certificates checked):
 * each organization's requests are signed with its own key and carry its orgPPAGUID; one that
 * signs by the installation as operator carries IsOperatorSignature and the installation's
 * certificate; every signed request verifies and validates against the official package. A run for
 * several organizations where one organization's key file is missing: that one ends failed with
 * the reason, the others complete.
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX = `gis-sync-test-${crypto.randomBytes(4).toString("hex")}`;
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { In } from "typeorm";
import { ArchiveEntry, GisOperation, Organization, PipelineRun } from "../entities";
import { OrganizationSigner } from "../entities/organization-signer";
import { withTestDb } from "./support/databases";
import { pipelineEnv } from "./support/pipeline-env";
import { officialDir, xmllintAvailable } from "./support/xsd";
import { generateTestKey } from "../src/signing/keygen";
import { readCertificate } from "../src/signing/certificate";
import { verifyXades } from "../src/signing/verify";
import { makeOrganization } from "../src/stand";
import { setSetting } from "../src/settings/settings";
import { SERVICES, ServiceName } from "../src/transport/services";
import { validateRequest } from "../src/transport/schema/validate";
import { RunSummary } from "../src/queue/summary";
import { describeOrganizationSigner, setOrganizationSigner } from "../src/signing/organization-signer-store";
import { OrganizationSigners } from "../src/signing/organization-signers";
import { updateAt } from "../src/storage/identity/update";
import { STAND, reloadAt } from "./support/identity";
import { SoftwareSigner } from "../src/signing/software-signer";

const tag = (xml: string, name: string) => new RegExp(`<(?:\\w+:)?${name}[^>]*>([^<]*)</(?:\\w+:)?${name}>`).exec(xml)?.[1]?.trim() ?? null;
const certOf = (xml: string) => Buffer.from(tag(xml, "X509Certificate")!.replace(/\s+/g, ""), "base64");

test("organizations sign with their own keys or as operator; each request carries its orgPPAGUID; a missing key fails only its organization", {
  timeout: 300_000,
}, async () => {
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-org-signers-"));
    try {
      const repo = ds.getRepository(Organization);
      // The installation's own organization (its key signs as itself) is a settlement centre at the stand: it may sign as operator.
      await setSetting(ds, "gis.ourOrganizationId", env.ours.id);
      env.stand.store
        .organizations()
        .find((o) => o.ogrn === env.ours.ogrn)!
        .roles.push("RKC");
      const installationCert = readCertificate(env.certPem).der;

      const add = async (externalId: string, ogrn: string, inn: string, name: string, role: "UO" | "RSO", certPem?: string) => {
        const org = await repo.save(
          repo.create({ externalId, fullName: name, shortName: name, ogrn, inn, kpp: "165501001", role, isOurs: true, isManagingCompany: role === "UO" }),
        );
        env.stand.store.addOrganization(
          makeOrganization({ ogrn, inn, kpp: "165501001", fullName: name, shortName: name, roles: [role], certificatePem: certPem }),
        );
        return org;
      };
      const keyB = await generateTestKey({ commonName: "ООО «УК Север»", days: 365 });
      const keyFileB = path.join(dir, "b-key.pem");
      const certFileB = path.join(dir, "b-cert.pem");
      fs.writeFileSync(keyFileB, keyB.keyPem);
      fs.writeFileSync(certFileB, keyB.certPem);
      const orgB = await add("org-b", "1021600000011", "1655000011", "ООО «УК Север»", "UO", keyB.certPem);
      await setOrganizationSigner(ds, orgB, { kind: "software", keyFile: keyFileB, certFile: certFileB }, "test", "cli");
      // C has no key of its own: the installation signs for it as operator.
      const orgC = await add("org-c", "1021600000022", "1655000022", "ООО «Водоканал Юг»", "RSO");
      await setOrganizationSigner(ds, orgC, { kind: "operator" }, "test", "cli");
      // D's key file is gone (set while it was there, then removed).
      const keyD = await generateTestKey({ commonName: "ООО «Тепло»", days: 365 });
      const keyFileD = path.join(dir, "d-key.pem");
      const certFileD = path.join(dir, "d-cert.pem");
      fs.writeFileSync(keyFileD, keyD.keyPem);
      fs.writeFileSync(certFileD, keyD.certPem);
      const orgD = await add("org-d", "1021600000033", "1655000033", "ООО «Тепло»", "RSO", keyD.certPem);
      await setOrganizationSigner(ds, orgD, { kind: "software", keyFile: keyFileD, certFile: certFileD }, "test", "cli");
      fs.rmSync(keyFileD);

      // What the web may not do, and what it is never shown.
      await assert.rejects(
        setOrganizationSigner(ds, orgB, { kind: "command", command: '["/bin/true"]', certFile: certFileB }, "admin", "api"),
        /только из командной строки/,
      );
      const viewB = await describeOrganizationSigner(ds, orgB);
      assert.equal(viewB.kind, "software");
      assert.match(viewB.certificate!.subject, /УК Север/);
      assert.equal("pinSource" in viewB || "command" in viewB, false, "no secrets in the view");
      assert.equal((await describeOrganizationSigner(ds, orgC)).isOperatorSignature, true);

      // A cap of one operation in flight per organization: slower, never stuck.
      await setSetting(ds, "exchange.maxInFlightPerOrganization", 1);
      const orgs = [env.ours, orgB, orgC, orgD];
      const runs = await env.rt.pipeline.startRuns(
        { stand: "local", stages: ["services"], mode: "sync", trigger: "test" },
        orgs.map((o) => o.id),
      );
      assert.equal(runs.length, 4);
      const summaries: RunSummary[] = [];
      for (const run of runs) summaries.push(await env.rt.waitForRun(run.id, undefined, 120_000));
      const byOrg = new Map(runs.map((r, i) => [r.organizationId, { run: r, summary: summaries[i] }]));

      const failedD = await ds.getRepository(PipelineRun).findOneByOrFail({ id: byOrg.get(orgD.id)!.run.id });
      assert.equal(failedD.state, "failed");
      assert.match(failedD.errorText ?? "", /ООО «Тепло».*файл не найден.*d-key\.pem/);
      for (const o of [env.ours, orgB, orgC]) {
        const s = byOrg.get(o.id)!.summary;
        assert.notEqual(s.state, "failed", `${o.shortName}: ${s.errorText}`);
        assert.ok(s.stages[0].objectsOk > 0, `${o.shortName}: ${JSON.stringify(s)}`);
      }

      const official = officialDir("16.3.0.0");
      const expected = new Map<number, { cert: Buffer; operator: boolean }>([
        [env.ours.id, { cert: installationCert, operator: false }],
        [orgB.id, { cert: readCertificate(keyB.certPem).der, operator: false }],
        [orgC.id, { cert: installationCert, operator: true }],
      ]);
      let checked = 0;
      for (const [orgId, want] of expected) {
        const org = await reloadAt(ds, "organization", orgId);
        assert.ok(org.gisOrgPpaGuid, `${org.shortName} has its orgPPAGUID`);
        const ops = await ds.getRepository(GisOperation).findBy({ runId: byOrg.get(orgId)!.run.id });
        const signed = await ds.getRepository(ArchiveEntry).find({ where: { operationId: In(ops.map((o) => o.id)), kind: "signed_request" } });
        const withHeader = signed.filter((e) => !SERVICES[ops.find((o) => o.id === e.operationId)!.service as ServiceName].isHeader);
        assert.ok(
          withHeader.length > 0,
          `${org.shortName}: requests with RequestHeader were sent: ${ops.map((o) => `${o.method} ${o.state} ${o.errorCode}`).join(", ")} ${JSON.stringify(byOrg.get(orgId)!.summary)}`,
        );
        for (const e of withHeader) {
          const xml = e.body;
          const op = ops.find((o) => o.id === e.operationId)!;
          assert.equal(tag(xml, "orgPPAGUID"), org.gisOrgPpaGuid, `${op.method} of ${org.shortName} carries its orgPPAGUID`);
          assert.deepEqual(
            certOf(xml),
            want.cert,
            `${op.method} of ${org.shortName} is signed with ${want.operator ? "the installation's" : "its own"} certificate`,
          );
          assert.equal(tag(xml, "IsOperatorSignature"), want.operator ? "true" : null, `${op.method} of ${org.shortName}: IsOperatorSignature`);
          const v = verifyXades(xml);
          assert.equal(v.valid, true, `${op.method} of ${org.shortName} verifies: ${v.errors.join("; ")}`);
          if (official && xmllintAvailable()) {
            const problems = await validateRequest(xml, op.service as ServiceName, { schemaDir: official, formatPackage: "16.3.0.0" });
            assert.deepEqual(problems, [], `${op.method} of ${org.shortName} valid per the official package`);
          }
          checked++;
        }
      }
      assert.ok(checked >= 3, `signed requests checked: ${checked}`);
      assert.deepEqual(env.stand.stats().duplicates, []);

      // Without delegated rights an operator-signed request is refused before sending, naming the organization.
      await updateAt(ds, STAND, Organization, orgC.id, { gisDataProviderGuid: null });
      const signers = new OrganizationSigners(ds, async () => SoftwareSigner.fromPem(keyB.keyPem, keyB.certPem));
      await assert.rejects(
        signers.forOrganization(orgC.id, false, STAND),
        (e: Error & { code?: string }) => e.code === "PRE_NO_DELEGATION" && /Водоканал Юг/.test(e.message),
      );
      // ISRequestHeader requests name no organization: no rights needed.
      assert.equal((await signers.forOrganization(orgC.id, true, STAND)).isOperatorSignature, false);
      // Rights are a stand's: sit01 never asked exportDataProvider, so GIS decides there (signed as operator).
      assert.equal((await signers.forOrganization(orgC.id, false, "sit01")).isOperatorSignature, true);
      assert.equal((await ds.getRepository(OrganizationSigner).countBy({})) >= 3, true);
    } finally {
      await env.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
