/**
 * What importAdditionalServices (НСИ 1) and importMunicipalServices (НСИ 51) share: the
 * organization's own dictionaries. A service placed there is referred to by the element GIS
 * created (bills, kvitirovanie), so a placed service keeps that element (its GUID and code = the
 * element's number) — per stand (Service.gisElementGuid / gisElementCode in gis_identity): each stand
 * creates its own element, and the service's mapping (nsiRegistry / nsiCode / nsiGuid) is left alone.
 *
 * Besides placing, an operator can delete or recover the element of chosen services (object
 * actions `delete` / `recover`). A request is rebuilt from the model on every (re)send, so the
 * variant travels in the object id, as unused accounts do: −id deletes, −(id + RECOVER) recovers.
 *
 * An import whose answer was lost is reconciled by exportDataProviderNsiItem of the registry: a
 * placed service is the actual element with its name, a deleted one is there not actual, a
 * recovered one actual again.
 */
import { DataSource, EntityManager } from "typeorm";
import { NsiItem, Organization, Service } from "../../../entities";
import { XNode, el, leaf } from "../../transport/envelope/xml";
import { ItemResult } from "../../transport/results/results";
import { checkCount, flag, transportGuid } from "../../transport/messages/common";
import { lower } from "../../stages/answer";
import { MatchedResult, Mode, ObjectAction, Prepared, ReconcileSpec, Rejection, Scope, StageContext } from "../../stages/descriptor";
import { identityExpr, loadAt } from "../../storage/identity/store";
import { writeOutcomes } from "../../stages/outcome";
import { Checks, PRE } from "../../stages/preflight";
import { ids, whereNeedsSending, whereObjects } from "../../stages/select";
import { nsiAnswer } from "../../stages/services/nsi-answer";

/** A reference to an element GIS already has (recover, delete). */
export interface ElementRefInput {
  transportGuid: string;
  elementGuid: string;
}

/** The object actions of the private dictionaries. */
export const ELEMENT_ACTIONS: ObjectAction[] = ["delete", "recover"];

const RECOVER = 1_000_000_000;

/** The object id that carries `action` for service `id` (place: the id itself). */
export function actionObjectId(id: number, action: "place" | "delete" | "recover"): number {
  return action === "place" ? id : action === "delete" ? -id : -(id + RECOVER);
}

/** The service and the variant an object id carries. */
export function fromObjectId(objectId: number): { serviceId: number; action: "place" | "delete" | "recover" } {
  if (objectId > 0) return { serviceId: objectId, action: "place" };
  return -objectId > RECOVER ? { serviceId: -objectId - RECOVER, action: "recover" } : { serviceId: -objectId, action: "delete" };
}

/** The data of one object: a service to place (`place`), or an element to delete / recover. */
export type ElementData<P> = { place: P; name: string } | { delete: string; name: string } | { recover: string; name: string };

/** Active services of a kind the stand has no element of yet (element and sync state: the stand's). */
function selectUnplaced(ds: DataSource, scope: Scope, mode: Mode, stand: string, kind: Service["kind"]): Promise<number[]> {
  const qb = ds
    .getRepository(Service)
    .createQueryBuilder("s")
    .where("s.organizationId = :org", { org: scope.organizationId })
    .andWhere("s.kind = :kind", { kind })
    .andWhere("s.isActive = :on", { on: true });
  qb.andWhere(`${identityExpr(qb, "s", "gisElementGuid", stand)} IS NULL`);
  return ids(whereNeedsSending(whereObjects(qb, "s", scope), "s", mode, null, stand, scope), "s");
}

/**
 * What the method carries in a run: with the action `delete` / `recover` the chosen services of
 * the kind (their element, placed or not, is checked in prepare); without an action, exactly what
 * it placed before — the services not placed yet.
 */
export async function selectElements(ds: DataSource, scope: Scope, mode: Mode, stand: string, kind: Service["kind"]): Promise<number[]> {
  const action = scope.action;
  if (!action) return selectUnplaced(ds, scope, mode, stand, kind);
  if ((action !== "delete" && action !== "recover") || !scope.objectIds || (scope.objectType && scope.objectType !== "service")) return [];
  const services = await ds
    .getRepository(Service)
    .createQueryBuilder("s")
    .where("s.organizationId = :org", { org: scope.organizationId })
    .andWhere("s.kind = :kind", { kind })
    .andWhereInIds(scope.objectIds.length ? scope.objectIds : [0])
    .getMany();
  return services.map((s) => actionObjectId(s.id, action)).sort((a, b) => a - b);
}

/** "У организации … отсутствует ГУИД" — the manual's text when our organization is not in the registry yet. */
function missingOrgGuid(ctx: StageContext): boolean {
  return !ctx.orgPPAGUID;
}

/**
 * Loads the services of the object ids and checks them: every variant needs our organization's
 * GUID; delete / recover need the element (the service placed in `registry` on the run's stand);
 * placing is checked by `place`, which gives the data or leaves the reason on the checks.
 */
export async function prepareElements<P>(
  ds: DataSource,
  objectIds: number[],
  ctx: StageContext,
  registry: number,
  place: (s: Service, c: Checks) => P | null,
): Promise<Prepared<ElementData<P>>> {
  const us = await ds.getRepository(Organization).findOneBy({ id: ctx.organizationId });
  const services = await loadAt(
    ds,
    "service",
    objectIds.map((id) => fromObjectId(id).serviceId),
    ctx.stand,
  );
  const out: Prepared<ElementData<P>> = { ready: [], rejected: [] as Rejection[] };
  for (const objectId of objectIds) {
    const { serviceId, action } = fromObjectId(objectId);
    const s = services.get(serviceId);
    if (!s) continue;
    const c = new Checks(objectId, [["Услуга", s.name]]);
    c.fail(missingOrgGuid(ctx), PRE.orgGuid, "organization.gisOrgPpaGuid", `У организации «${us?.shortName ?? us?.fullName ?? ""}» отсутствует ГУИД`);
    if (action === "place") {
      const data = place(s, c);
      if (c.ok && data) out.ready.push({ objectId, data: { place: data, name: s.name } });
      else out.rejected.push(c.first);
      continue;
    }
    const what = action === "delete" ? "удалить" : "восстановить";
    const element = s.gisElementGuid;
    c.fail(!element, PRE.noParentGuid, "gisElementGuid", `Нельзя ${what} элемент справочника ГИС (НСИ ${registry}): услуга не размещена в нём`);
    if (c.ok && element) out.ready.push({ objectId, data: action === "delete" ? { delete: element, name: s.name } : { recover: element, name: s.name } });
    else out.rejected.push(c.first);
  }
  return out;
}

/** The request's three lists for one batch. */
export function splitBatch<P>(batch: Array<{ transportGuid: string; data: ElementData<P> }>): {
  services: Array<P & { transportGuid: string }>;
  recover: ElementRefInput[];
  delete: ElementRefInput[];
} {
  const out = { services: [] as Array<P & { transportGuid: string }>, recover: [] as ElementRefInput[], delete: [] as ElementRefInput[] };
  for (const { transportGuid: tg, data } of batch) {
    if ("place" in data) out.services.push({ ...data.place, transportGuid: tg });
    else if ("delete" in data) out.delete.push({ transportGuid: tg, elementGuid: data.delete });
    else out.recover.push({ transportGuid: tg, elementGuid: data.recover });
  }
  return out;
}

/** The schema's limits of the three lists (each 0..1000), not all empty, and an element named once per request (the schema's ElementGuidKey). */
export function checkLists(
  op: string,
  i: { services?: Array<{ elementGuid?: string }>; recover?: ElementRefInput[]; delete?: ElementRefInput[] },
  names: [string, string, string],
): void {
  const [s, r, d] = [i.services?.length ?? 0, i.recover?.length ?? 0, i.delete?.length ?? 0];
  checkCount(op, names[0], s, 0, 1000);
  checkCount(op, names[1], r, 0, 1000);
  checkCount(op, names[2], d, 0, 1000);
  if (s + r + d === 0) throw new Error(`${op}: пустой запрос`);
  const seen = new Set<string>();
  for (const g of [
    ...(i.services ?? []).map((x) => x.elementGuid),
    ...(i.recover ?? []).map((x) => x.elementGuid),
    ...(i.delete ?? []).map((x) => x.elementGuid),
  ]) {
    if (!g) continue;
    if (seen.has(g.toLowerCase())) throw new Error(`${op}: ElementGuid «${g}» встречается в запросе дважды`);
    seen.add(g.toLowerCase());
  }
}

/** Recover / delete elements of the request (nsi:Recover…, nsi:Delete…). */
export function elementRefs(name: string, refs: Array<ElementRefInput & { hierarchyRecover?: boolean }> | undefined): XNode[] {
  return (refs ?? []).map((r) =>
    el(name, null, transportGuid(r.transportGuid), leaf("nsi:ElementGuid", r.elementGuid), flag("nsi:HierarchyRecover", r.hierarchyRecover)),
  );
}

/**
 * Writes GIS's verdict on each object onto its service, on the run's stand: a placed one gets the
 * element (a reconciled one only its GUID — the code comes with the next exportDataProviderNsiItem);
 * a deleted / recovered one keeps its element, and the stored element its new state.
 */
export async function applyElements(em: EntityManager, matched: MatchedResult[], ctx: StageContext, registry: number): Promise<void> {
  const onService = matched.map((m) => ({ m: { ...m, objectId: fromObjectId(m.objectId).serviceId }, action: fromObjectId(m.objectId).action }));
  await writeOutcomes(
    em,
    Service,
    onService.filter((x) => x.action === "place").map((x) => x.m),
    ctx,
    (r: ItemResult) => ({
      ...(r.guid ? { gisElementGuid: lower(r.guid) } : {}),
      gisElementCode: r.uniqueNumber ?? null,
    }),
  );
  const changed = onService.filter((x) => x.action !== "place");
  await writeOutcomes(
    em,
    Service,
    changed.map((x) => x.m),
    ctx,
    () => ({}),
  );
  const elements = await loadAt(
    em,
    "service",
    changed.map((x) => x.m.objectId),
    ctx.stand,
  );
  for (const { m, action } of changed) {
    if (m.result.errors.length > 0) continue;
    const guid = elements.get(m.objectId)?.gisElementGuid;
    if (guid)
      await em.update(
        NsiItem,
        { registryNumber: registry, listGroup: "PRIVATE", organizationId: ctx.organizationId, stand: ctx.stand, guid },
        { isActual: action === "recover", modifiedAt: ctx.now },
      );
  }
}

/**
 * Reconciling a lost import by exportDataProviderNsiItem of the registry: an element to place is
 * there when an actual element carries the service's name; a deleted element is there not actual,
 * a recovered one actual.
 */
export function reconcileBy<P extends { name: string }>(registry: number): ReconcileSpec<ElementData<P>> {
  return {
    method: "exportDataProviderNsiItem",
    payload: () => ({ registryNumber: registry }),
    found(answer, objects) {
      const got = nsiAnswer(answer);
      const found = new Map<number, string>();
      if (!got) return found;
      for (const o of objects) {
        const d = o.data;
        if ("place" in d) {
          const name = d.place.name;
          const row = got.rows.find((r) => r.isActual && (r.name === name || Object.values(r.fields).includes(name)));
          if (row) found.set(o.objectId, row.guid);
        } else {
          const guid = ("delete" in d ? d.delete : d.recover).toLowerCase();
          const row = got.rows.find((r) => r.guid === guid);
          if (row && row.isActual === "recover" in d) found.set(o.objectId, row.guid);
        }
      }
      return found;
    },
  };
}
