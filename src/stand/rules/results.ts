/**
 * Per-item results the way GIS writes them (base:CommonResultType): GUID?, TransportGUID, then
 * UniqueNumber? + UpdateDate on success or Error+ on failure. Each item of a batch is handled on its
 * own: a rule that refuses an item throws ItemError, which becomes that item's Error; the others go on.
 */
import { Kid, XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { GisErrorText } from "./codes";

export class ItemError extends Error {
  constructor(readonly error: GisErrorText) {
    super(`${error.code}: ${error.description}`);
    this.name = "ItemError";
  }
}

/** Refuses the current item. */
export function refuse(error: GisErrorText): never {
  throw new ItemError(error);
}

export interface Placed {
  guid?: string | null;
  uniqueNumber?: string | null;
  updateDate: string;
  /** The service-specific tail of the result (ImportAccount, importMeteringDevice…), hm only. */
  extra?: XNode | null;
}

export interface Outcome {
  transportGuid: string;
  placed: Placed | null;
  errors: GisErrorText[];
}

/** Runs `place` for one item; an ItemError becomes the item's error, anything else is a stand bug and propagates. */
export function attempt(transportGuid: string, place: () => Placed): Outcome {
  try {
    return { transportGuid, placed: place(), errors: [] };
  } catch (err) {
    if (err instanceof ItemError) return { transportGuid, placed: null, errors: [err.error] };
    throw err;
  }
}

function errorNode(name: string, e: GisErrorText): XNode {
  return el(name, null, leaf("base:ErrorCode", e.code), leaf("base:Description", e.description));
}

/** One CommonResultType element named `name`. */
export function commonResult(name: string, o: Outcome): XNode {
  const tail: Kid = o.placed
    ? [opt("base:UniqueNumber", o.placed.uniqueNumber), leaf("base:UpdateDate", o.placed.updateDate), o.placed.extra]
    : o.errors.map((e) => errorNode("base:Error", e));
  return el(name, null, o.placed ? opt("base:GUID", o.placed.guid) : null, leaf("base:TransportGUID", o.transportGuid), tail);
}

/** nsi, device-metering, bills, payment: ImportResult elements that are CommonResultType themselves. */
export function flatResults(prefix: string, outcomes: Outcome[]): XNode[] {
  return outcomes.map((o) => commonResult(`${prefix}:ImportResult`, o));
}

/** house-management: one ImportResult wrapper (its own base:version) holding CommonResult items. */
export function houseManagementResults(outcomes: Outcome[]): XNode[] {
  return [
    el(
      "hm:ImportResult",
      { "base:version": "10.0.1.1" },
      outcomes.map((o) => commonResult("hm:CommonResult", o)),
    ),
  ];
}

/** xs:dateTime of the moment the stand processes the request. */
export function stamp(at: Date): string {
  return at.toISOString();
}
