/**
 * The organization's own dictionaries: additional services (НСИ 1) and main municipal services
 * (НСИ 51). A service placed there is referred to by the element GIS created (bills, kvitirovanie),
 * so a placed service keeps that reference (registry, code = the element's number, GUID).
 */
import { DataSource } from "typeorm";
import { Service } from "../../../entities";
import { Mode, Scope, StageContext } from "../descriptor";
import { lower } from "../answer";
import { ItemResult } from "../../transport/results/results";
import { ids, whereNeedsSending, whereObjects } from "../select";

/** Active services of a kind not yet placed in the organization's registry. */
export function selectUnplaced(ds: DataSource, scope: Scope, mode: Mode, kind: Service["kind"], registry: number): Promise<number[]> {
  const qb = ds.getRepository(Service).createQueryBuilder("s").where("s.organizationId = :org", { org: scope.organizationId })
    .andWhere("s.kind = :kind", { kind }).andWhere("s.isActive = :on", { on: true })
    .andWhere("(s.nsiRegistry IS NULL OR s.nsiRegistry <> :registry)", { registry });
  return ids(whereNeedsSending(whereObjects(qb, "s", scope), "s", mode, null), "s");
}

/** The reference to the element GIS created, for the accepted service. */
export const placedReference = (registry: number) => (r: ItemResult) => ({
  nsiRegistry: registry, ...(r.guid ? { nsiGuid: lower(r.guid) } : {}), ...(r.uniqueNumber ? { nsiCode: r.uniqueNumber } : {}),
});

/** "У организации … отсутствует ГУИД" — the manual's text when our organization is not in the registry yet. */
export function missingOrgGuid(ctx: StageContext): boolean {
  return !ctx.orgPPAGUID;
}

/** Registry a bill's service line must refer to: НСИ 50 housing, the organization's НСИ 51 municipal and НСИ 1 additional. */
const BILLING_REGISTRY: Partial<Record<Service["kind"], number>> = { housing: 50, municipal: 51, additional: 1 };

/** True when the service refers to the GIS element bills and kvitirovanie need. */
export const mappedForBilling = (s: Service): boolean => !!s.nsiGuid && !!s.nsiCode && s.nsiRegistry === BILLING_REGISTRY[s.kind];
