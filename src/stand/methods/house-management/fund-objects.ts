/** What the stand's fund methods share about fund objects (houses, entrances, premises, rooms) as placed. */
import { Packed, unpack } from "../../domain/xml-read";

/** An object placed (or changed) with AnnulmentReason is annulled: GIS keeps it, with the reason, and takes no more changes. */
export function isAnnulled(content: Packed): boolean {
  return unpack(content).some((n) => n.name.endsWith("AnnulmentReason"));
}
