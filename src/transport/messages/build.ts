/**
 * Building a method module's request: the body under the format package's base:version, checked
 * for repeated TransportGUIDs, wrapped into the SOAP envelope.
 */
import { DEFAULT_FORMAT_PACKAGE, GisMethod } from "../../methods/method";
import { BuiltRequest, HeaderInput, buildEnvelope } from "../envelope/envelope";
import { XNode } from "../envelope/xml";
import { ServiceName } from "../services";

/** Builds a method module's request under the header's format package (the default one when unset). */
export function buildMethodRequest<I>(m: Pick<GisMethod<I>, "name" | "service" | "versions" | "body">, header: HeaderInput, payload: I): BuiltRequest {
  const pkg = header.formatPackage ?? DEFAULT_FORMAT_PACKAGE;
  const version = m.versions[pkg];
  const service = m.service ?? (payload as { service?: ServiceName }).service;
  if (!service) throw new Error(`${m.name}: не указана служба ГИС ЖКХ`);
  const body = m.body(payload, version);
  uniqueTransportGuids(m.name, body);
  const built = buildEnvelope(service, m.name, body, header);
  if (built.version !== version) throw new Error(`${m.name}: base:version ${built.version}, для пакета ${pkg} нужна ${version}`);
  return built;
}

/** Results come back by TransportGUID, and the schemas key it per request: a repeated one is refused here, naming it. */
export function uniqueTransportGuids(op: string, body: XNode): void {
  const seen = new Set<string>();
  const walk = (n: XNode) => {
    if (n.name === "base:TransportGUID") {
      const g = String(n.kids[0] ?? "").toLowerCase();
      if (seen.has(g)) throw new Error(`${op}: TransportGUID «${g}» встречается в запросе дважды`);
      seen.add(g);
      return;
    }
    for (const k of n.kids) if (typeof k !== "string") walk(k);
  };
  walk(body);
}
