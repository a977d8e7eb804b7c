/**
 * Name-based GUIDs (RFC 4122 version 5 layout over SHA-1) for what GIS identifies the same way on
 * every stand and every restart: common NSI elements, role references, data providers.
 */
import crypto from "node:crypto";

export function nameGuid(name: string): string {
  const h = crypto.createHash("sha1").update(`gis-sync-stand:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
