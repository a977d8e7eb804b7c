/**
 * After a storm: do GIS (the stand's state) and our database agree, object by object? Nothing lost,
 * no duplicate of any kind, no object ok without its GIS identity, no object in GIS that we hold as
 * failed or unsent, nothing left in progress, every error named.
 */
import { DataSource, Not, In } from "typeorm";
import { Account, Contract, GisOperation, Meter, MeterReading, Organization, Payment, PaymentDocument, PipelineRun } from "../../entities";
import { UNKNOWN_OUTCOME } from "../../entities/gis-operation";
import { FINAL_STATES } from "../../src/exchange/operation-store";
import { StandSnapshot } from "../../src/stand/store";
import { identitiesAt, identityExpr, joinIdentity, statusExpr } from "../../src/storage/identity/store";

/** The stand the storm's client sends to (scripts/storm/processes.ts). */
const STAND = "local";

export interface KindAgreement {
  kind: string;
  ours: number;
  ok: number;
  errorsByCode: Record<string, number>;
  inGis: number;
  okWithoutIdentity: string[];
  okNotInGis: string[];
  inGisNotOk: string[];
  /** Ours held with an unknown outcome (UNKNOWN_OUTCOME: GIS may hold them, an operator decides). */
  held: number;
  duplicateIdentities: string[];
}

export interface Agreement {
  agree: boolean;
  kinds: KindAgreement[];
  standDuplicates: Array<{ kind: string; key: string }>;
  overAcknowledged: string[];
  stuckObjects: number;
  stuckOperations: number;
  unfinishedRuns: number;
  unnamedErrors: number;
  problems: string[];
}

interface Ours {
  id: number;
  identity: string | null;
  status: string;
  errorCode: string | null;
  /** The operation that last carried it on the storm's stand: where to look when it disagrees. */
  lastOperationId: string | null;
}

interface KindSpec {
  kind: string;
  ours(ds: DataSource, orgId: number): Promise<Ours[]>;
  /** Identities GIS holds for our organization. */
  gis(t: Tables, org: string): string[];
}

type Tables = Record<string, Array<[string, Record<string, unknown>]>>;

const rows = (t: Tables, name: string) => (t[name] ?? []).map(([, r]) => r);
const lower = (s: string | null) => (s ? s.toLowerCase() : null);

/** Our objects of one entity with their identity on the storm's stand and their sync state there. */
function oursOf(entity: Function, identity: string, where: (alias: string) => string): KindSpec["ours"] {
  return async (ds, orgId) => {
    const qb = ds.createQueryBuilder(entity, "x");
    const gi = joinIdentity(qb, "x", STAND);
    const raw = await qb
      .select("x.id", "id")
      .addSelect(identityExpr(qb, "x", identity, STAND), "identity")
      .addSelect(statusExpr(qb, "x", STAND), "status")
      .addSelect(`${gi}.errorCode`, "errorCode")
      .addSelect(`${gi}.lastOperationId`, "lastOperationId")
      .where(where("x"), { orgId })
      .getRawMany<Ours>();
    return raw.map((r) => ({ ...r, id: Number(r.id), identity: lower(r.identity) }));
  };
}

const KINDS: KindSpec[] = [
  {
    kind: "account",
    ours: oursOf(Account, "gisAccountGuid", (x) => `${x}.organizationId = :orgId`),
    gis: (t, org) =>
      rows(t, "accounts")
        .filter((r) => r.org === org)
        .map((r) => String(r.guid)),
  },
  {
    kind: "meter",
    ours: oursOf(Meter, "gisRootGuid", (x) => `${x}.organizationId = :orgId`),
    gis: (t, org) =>
      rows(t, "meters")
        .filter((r) => r.org === org)
        .map((r) => String(r.rootGuid)),
  },
  {
    kind: "reading",
    ours: oursOf(MeterReading, "gisGuid", (x) => `${x}.meterId IN (SELECT m.id FROM meter m WHERE m.organizationId = :orgId)`),
    gis: (t, org) =>
      rows(t, "readings")
        .filter((r) => r.org === org)
        .map((r) => String(r.guid)),
  },
  {
    kind: "paymentDocument",
    ours: oursOf(PaymentDocument, "gisPaymentDocumentId", (x) => `${x}.organizationId = :orgId`),
    gis: (t, org) =>
      rows(t, "payment-documents")
        .filter((r) => r.org === org && !r.withdrawn)
        .map((r) => String(r.id)),
  },
  {
    kind: "payment",
    ours: oursOf(Payment, "gisGuid", (x) => `${x}.organizationId = :orgId`),
    gis: (t, org) =>
      rows(t, "notifications")
        .filter((r) => r.org === org && !r.cancelled)
        .map((r) => String(r.guid)),
  },
  {
    kind: "supplyContract",
    ours: oursOf(Contract, "gisRootGuid", (x) => `${x}.organizationId = :orgId AND ${x}.kind = 'supply'`),
    gis: (t, org) =>
      rows(t, "supply-contracts")
        .filter((r) => r.org === org && r.versionStatus !== "Annul")
        .map((r) => String(r.rootGuid)),
  },
];

function duplicates(xs: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const x of xs) (seen.has(x) ? twice : seen).add(x);
  return [...twice];
}

const sample = (xs: string[]) => xs.slice(0, 10);

/** The operations that last carried these objects, counted by method, state and error: a lead for the archive. */
async function lastOperations(ds: DataSource, objects: Ours[]): Promise<string> {
  const ids = [...new Set(objects.map((o) => o.lastOperationId).filter((x): x is string => !!x))];
  const ops = ids.length ? await ds.getRepository(GisOperation).findBy({ id: In(ids.slice(0, 500)) }) : [];
  const counts = new Map<string, number>();
  for (const op of ops) {
    const key = `${op.method} ${op.state}${op.errorCode ? ` ${op.errorCode}` : ""} (${op.id.slice(0, 8)}, попыток ${op.attempts})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const none = objects.filter((o) => !o.lastOperationId).length;
  return [...[...counts].map(([k, n]) => `${k} ×${n}`), ...(none ? [`без операции ×${none}`] : [])].join("; ") || "нет";
}

export async function checkAgreement(ds: DataSource, snapshot: StandSnapshot): Promise<Agreement> {
  const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
  const org = lower((await identitiesAt(ds, "organization", [ours.id], STAND)).get(ours.id)?.gisOrgPpaGuid ?? null) ?? "";
  const t = snapshot.tables as unknown as Tables;
  const kinds: KindAgreement[] = [];
  const problems: string[] = [];
  for (const spec of KINDS) {
    const mine = await spec.ours(ds, ours.id);
    const gis = spec.gis(t, org).map((g) => g.toLowerCase());
    const gisSet = new Set(gis);
    const ok = mine.filter((o) => o.status === "ok" || o.status === "ok_nested_errors");
    const okIds = new Set(ok.map((o) => o.identity).filter((x): x is string => !!x));
    const errorsByCode: Record<string, number> = {};
    for (const o of mine.filter((o) => o.status === "error")) errorsByCode[o.errorCode ?? "(без кода)"] = (errorsByCode[o.errorCode ?? "(без кода)"] ?? 0) + 1;
    const k: KindAgreement = {
      kind: spec.kind,
      ours: mine.length,
      ok: ok.length,
      errorsByCode,
      inGis: gis.length,
      okWithoutIdentity: ok.filter((o) => !o.identity).map((o) => `#${o.id}`),
      okNotInGis: ok.filter((o) => o.identity && !gisSet.has(o.identity)).map((o) => `#${o.id} ${o.identity}`),
      inGisNotOk: gis.filter((g) => !okIds.has(g)),
      held: mine.filter((o) => o.status === "error" && o.errorCode === UNKNOWN_OUTCOME).length,
      duplicateIdentities: [...duplicates(mine.map((o) => o.identity).filter((x): x is string => !!x)), ...duplicates(gis).map((g) => `GIS ${g}`)],
    };
    kinds.push(k);
    if (k.okWithoutIdentity.length) {
      problems.push(`${k.kind}: ${k.okWithoutIdentity.length} ok без идентификатора ГИС (${sample(k.okWithoutIdentity)})`);
      problems.push(
        `${k.kind}: их последние операции — ${await lastOperations(
          ds,
          ok.filter((o) => !o.identity),
        )}`,
      );
    }
    if (k.okNotInGis.length) problems.push(`${k.kind}: ${k.okNotInGis.length} ok, но в ГИС нет (${sample(k.okNotInGis)})`);
    // A held object says "unknown, check GIS" — not a contradiction; any more than those held is.
    if (k.inGisNotOk.length > k.held)
      problems.push(`${k.kind}: ${k.inGisNotOk.length} в ГИС, у нас не ok (${sample(k.inGisNotOk)}), удержано с неизвестным исходом ${k.held}`);
    if (k.duplicateIdentities.length) problems.push(`${k.kind}: дубликаты ${sample(k.duplicateIdentities)}`);
  }
  const overAcknowledged = rows(t, "notifications")
    .filter((r) => r.org === org && Number(r.acknowledgedKopecks) > Number(r.amountKopecks))
    .map((r) => String(r.guid));
  if (overAcknowledged.length) problems.push(`квитирование: ${overAcknowledged.length} извещений сквитированы сверх суммы`);
  const standDuplicates = snapshot.duplicates.map((d) => ({ kind: d.kind, key: d.key }));
  if (standDuplicates.length) problems.push(`стенд: ${standDuplicates.length} дубликатов (${sample(standDuplicates.map((d) => `${d.kind} ${d.key}`))})`);

  let stuckObjects = 0;
  let unnamedErrors = 0;
  {
    const [r] = await ds.query(
      `SELECT SUM(CASE WHEN "status" = 'in_progress' THEN 1 ELSE 0 END) AS stuck, SUM(CASE WHEN "status" = 'error' AND "errorCode" IS NULL THEN 1 ELSE 0 END) AS unnamed FROM "gis_identity" WHERE "stand" = '${STAND}'`,
    );
    stuckObjects += Number(r.stuck ?? 0);
    unnamedErrors += Number(r.unnamed ?? 0);
  }
  const stuckOperations = await ds.getRepository(GisOperation).countBy({ state: Not(In(FINAL_STATES)) });
  const unfinishedRuns = await ds.getRepository(PipelineRun).countBy({ state: "running" });
  if (stuckObjects) problems.push(`${stuckObjects} объектов остались «в обработке»`);
  if (unnamedErrors) problems.push(`${unnamedErrors} ошибок без кода`);
  if (stuckOperations) problems.push(`${stuckOperations} операций не завершены`);
  if (unfinishedRuns) problems.push(`${unfinishedRuns} запусков не завершены`);
  return { agree: problems.length === 0, kinds, standDuplicates, overAcknowledged, stuckObjects, stuckOperations, unfinishedRuns, unnamedErrors, problems };
}
