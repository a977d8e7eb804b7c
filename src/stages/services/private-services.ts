/**
 * Whether a service refers to the GIS element bills and kvitirovanie need (the methods that place
 * services in the organization's own dictionaries are src/methods/nsi/).
 */
import { Service } from "../../../entities";

/** Registry a bill's service line must refer to: НСИ 50 housing, the organization's НСИ 51 municipal and НСИ 1 additional. */
const BILLING_REGISTRY: Partial<Record<Service["kind"], number>> = { housing: 50, municipal: 51, additional: 1 };

/** True when the service refers to the GIS element bills and kvitirovanie need. */
export const mappedForBilling = (s: Service): boolean => !!s.nsiGuid && !!s.nsiCode && s.nsiRegistry === BILLING_REGISTRY[s.kind];
