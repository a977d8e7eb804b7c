/**
 * TransportGUIDs for nested objects of one request item (entrances and premises of a house,
 * payment requisites of a batch): derived from the item's own TransportGUID, so the request can be
 * rebuilt for a resend and the answer mapped back without storing them.
 */
import crypto from "node:crypto";

export function nestedGuid(parent: string, key: string): string {
  const h = crypto.createHash("sha1").update(`${parent.toLowerCase()}/${key}`).digest("hex");
  // RFC 4122 layout, version 5 (name-based, SHA-1), variant 10xx.
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
