/**
 * A meter's characteristics as placed (MeteringDeviceFullInformationType children, packed),
 * changed by an UpdateAfterDevicesValues: each characteristic it names replaces the placed one in
 * BasicChatacteristicts, in the schema's order; named accounts replace the placement's accounts.
 */
import { XNode, leaf } from "../../../transport/envelope/xml";
import { children, pack, text, unpack, Packed } from "../../domain/xml-read";

/** MeteringDeviceBasicCharacteristicsType, the characteristics UpdateAfterDevicesValues may change, in order. */
const ORDER = [
  "MeteringDeviceNumber",
  "MeteringDeviceStamp",
  "MeteringDeviceModel",
  "InstallationDate",
  "CommissioningDate",
  "RemoteMeteringMode",
  "RemoteMeteringInfo",
  "FirstVerificationDate",
  "VerificationInterval",
  "FactorySealDate",
];

const local = (n: XNode) => n.name.slice(n.name.indexOf(":") + 1);

/** Characteristics not in ORDER (sensors, placement) come after all of those in it. */
const rank = (n: XNode) => (ORDER.indexOf(local(n)) < 0 ? ORDER.length : ORDER.indexOf(local(n)));

export function applyUpdateAfter(content: Packed, after: Element): Packed {
  const nodes = unpack(content);
  const at = nodes.findIndex((n) => local(n) === "BasicChatacteristicts");
  if (at < 0) return content;
  let kids = nodes[at].kids.filter((k): k is XNode => typeof k !== "string");
  for (const c of children(after)) {
    const i = ORDER.indexOf(c.localName);
    if (i < 0) continue;
    const value = leaf(`hm:${c.localName}`, text(c) ?? "");
    const same = kids.findIndex((k) => local(k) === c.localName);
    if (same >= 0) kids[same] = value;
    else {
      const next = kids.findIndex((k) => rank(k) > i);
      kids.splice(next < 0 ? kids.length : next, 0, value);
    }
  }
  const accounts = children(after)
    .filter((c) => c.localName === "AccountGUID")
    .map((c) => text(c) ?? "");
  if (accounts.length) {
    kids = kids.map((k) =>
      rank(k) === ORDER.length && local(k).endsWith("Device") && local(k) !== "CollectiveDevice"
        ? { ...k, kids: [...k.kids.filter((x) => typeof x === "string" || local(x) !== "AccountGUID"), ...accounts.map((g) => leaf("hm:AccountGUID", g))] }
        : k,
    );
  }
  nodes[at] = { ...nodes[at], kids };
  return pack(nodes);
}
