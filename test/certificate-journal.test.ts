import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTestDb } from "./support/databases";
import { generateTestKey } from "../src/signing/keygen";
import { pemToDer } from "../src/signing/certificate";
import { journalCertificateExpiry } from "../src/exchange/certificate-journal";
import { MessageLog } from "../entities";

test("certificate expiry reaches the operators' journal once per level, and as an error once expired", async () => {
  await withTestDb("sqlite", async (ds) => {
    const { certPem } = await generateTestKey({ commonName: "Истекающий", days: 5 });
    const der = pemToDer(certPem);
    await journalCertificateExpiry(ds, der);
    await journalCertificateExpiry(ds, der);
    let rows = await ds.getRepository(MessageLog).findBy({ group: "signer" });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].level, "warning");
    assert.match(rows[0].text, /сертификат|Сертификат/);
    await journalCertificateExpiry(ds, der, new Date(Date.now() + 10 * 86400_000));
    rows = await ds.getRepository(MessageLog).find({ where: { group: "signer" }, order: { id: "ASC" } });
    assert.deepEqual(
      rows.map((r) => r.level),
      ["warning", "error"],
    );
  });
});
