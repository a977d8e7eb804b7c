/**
 * exportNsiPagingItem: the sample requests in both packages, the builder's page limits, the stand's
 * pages (TotalPages, CurrentPage; a page past the last is INT002012), the descriptor (which
 * registries are read by pages, page objects, the pages page 1 names), and the pipeline following
 * the pages of a large registry within the services stage — one operation per page.
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX = `gis-sync-test-${crypto.randomBytes(4).toString("hex")}`;
import { test } from "node:test";
import assert from "node:assert/strict";
import { GisOperation, NsiItem } from "../../../entities";
import { exportNsiPagingItem, pageObjectId, pageOf } from "../../../src/methods/nsi-common/export-nsi-paging-item";
import { exportNsiItem } from "../../../src/methods/nsi-common/export-nsi-item";
import { COMMON_REGISTRIES, LARGE_REGISTRIES } from "../../../src/methods/nsi-common/common-registries";
import { REGISTRIES } from "../../../src/stand/methods/nsi-common/registries";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { pipelineEnv } from "../../support/pipeline-env";
import { assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";

const d = exportNsiPagingItem.descriptor!;
const req = (registryNumber: number, page: number) => buildMethodRequest(exportNsiPagingItem, {}, { registryNumber, listGroup: "NSI", page }).xml;

/** Makes the stand's registry 2 large (2,500 elements: three pages) for the duration of `fn`. */
async function withLargeRegistry<T>(fn: () => Promise<T>): Promise<T> {
  const r = REGISTRIES.find((x) => x.number === 2)!;
  const saved = r.elements;
  r.elements = Array.from({ length: 2500 }, (_, i) => [String(i + 1), `Ресурс ${i + 1}`]);
  try {
    return await fn();
  } finally {
    r.elements = saved;
  }
}

test("exportNsiPagingItem: the sample requests are valid in both official packages; Page is 1 or more", () => {
  assertValidInAllPackages(exportNsiPagingItem, { registryNumber: 58, listGroup: "NSIRAO", page: 1 });
  assertValidInAllPackages(exportNsiPagingItem, { registryNumber: 2, listGroup: "NSI", page: 3, modifiedAfter: "2026-01-01T00:00:00" });
  assert.throws(() => req(2, 0), /exportNsiPagingItem: Page — целое число от 1/);
  assert.deepEqual(pageOf(pageObjectId(224, 17)), { registryNumber: 224, page: 17 });
});

test("exportNsiPagingItem: the stand pages by 1000 — page 1 of 3, the last page, past the end INT002012; the reader and nextPages", async () => {
  await withLargeRegistry(async () => {
    const store = newStandStore();
    const first = await runStand(store, "exportNsiPagingItem", req(2, 1), null);
    assertAnswerValid(first, "nsi-common");
    const page = exportNsiPagingItem.read!(first.answer.result)!;
    assert.deepEqual([page.registry, page.rows.length, page.currentPage, page.totalPages, page.totalItems], [2, 1000, 1, 3, 2500]);
    assert.equal(first.answer.lastPage, false);
    assert.deepEqual(d.nextPages!(first.answer, [pageObjectId(2, 1)], {} as never), [pageObjectId(2, 2), pageObjectId(2, 3)]);
    const last = await runStand(store, "exportNsiPagingItem", req(2, 3), null);
    assert.deepEqual([exportNsiPagingItem.read!(last.answer.result)!.rows.length, last.answer.lastPage], [500, true]);
    assert.deepEqual(d.nextPages!(last.answer, [pageObjectId(2, 3)], {} as never), [], "only page 1 names the rest");
    await assert.rejects(runStand(store, "exportNsiPagingItem", req(2, 4), null), (e: Error & { code?: string }) => e.code === "INT002012");
  });
  const small = await runStand(newStandStore(), "exportNsiPagingItem", req(32, 1), null);
  assert.deepEqual(d.nextPages!(small.answer, [pageObjectId(32, 1)], {} as never), []);
});

for (const kind of DB_KINDS) {
  test(`exportNsiPagingItem (${kind}): a registry stored with more than one page is read by pages, the others whole`, async () => {
    await withTestDb(kind, async (ds) => {
      const scope = { organizationId: 1 };
      const c = {} as never;
      assert.deepEqual(await d.select(ds, scope, "pull", c), []);
      const rows = Array.from({ length: 1001 }, (_, i) => ({
        registryNumber: 3,
        listGroup: "NSI" as const,
        organizationId: null,
        code: String(i + 1),
        guid: crypto.randomUUID(),
        name: null,
        fields: null,
        parentGuid: null,
        isActual: true,
        modifiedAt: null,
      }));
      for (let i = 0; i < rows.length; i += 200) await ds.getRepository(NsiItem).insert(rows.slice(i, i + 200));
      assert.deepEqual(await d.select(ds, scope, "pull", c), [pageObjectId(3, 1)]);
      const whole = await exportNsiItem.descriptor!.select(ds, scope, "pull", c);
      assert.ok(!whole.includes(3) && whole.includes(2), "exportNsiItem leaves the large registry to the pages");
      const p = await d.prepare(ds, [pageObjectId(3, 1)], c);
      assert.deepEqual(d.payload([{ objectId: pageObjectId(3, 1), transportGuid: crypto.randomUUID(), data: p.ready[0].data }], c), {
        registryNumber: 3,
        listGroup: "NSI",
        page: 1,
      });
    });
  });
}

test("exportNsiPagingItem: the pipeline follows the pages of a large registry within the services stage — one operation per page, all applied", async () => {
  await withLargeRegistry(async () => {
    LARGE_REGISTRIES.push(2);
    try {
      await withTestDb("sqlite", async (ds) => {
        const env = await pipelineEnv(ds);
        try {
          const run = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages: ["services"], mode: "pull", trigger: "test" });
          await env.rt.waitForRun(run.id, undefined, 60_000);
          const ops = await ds.getRepository(GisOperation).findBy({ runId: run.id, method: "exportNsiPagingItem" });
          assert.equal(ops.length, 3, "pages 1, 2 and 3");
          assert.deepEqual(
            ops.filter((o) => !o.appliedAt || o.state !== "done").map((o) => `${o.state} ${o.errorText}`),
            [],
          );
          assert.equal(
            await ds.getRepository(GisOperation).countBy({ runId: run.id, method: "exportNsiItem" }),
            COMMON_REGISTRIES.length - 1,
            "the other registries whole",
          );
          assert.equal(await ds.getRepository(NsiItem).countBy({ registryNumber: 2, listGroup: "NSI" }), 2500);
        } finally {
          await env.close();
        }
      });
    } finally {
      LARGE_REGISTRIES.pop();
    }
  });
});
