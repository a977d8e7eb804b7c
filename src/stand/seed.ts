/**
 * Placing data in the stand as another organization, without the wire: a request built with the
 * project's own builders goes straight to the stand's handler, as if that organization had sent it
 * through its own information system. The demo uses it to give the stand the housing fund a
 * managing organization placed before our resource supply organization starts.
 */
import crypto from "node:crypto";
import { BuiltRequest } from "../transport/envelope/envelope";
import { XNode } from "../transport/envelope/xml";
import { child, children, parseUntrusted } from "../transport/results/safe-xml";
import { handlerFor } from "./handlers";
import { StandOrganization, StandStore } from "./types";

function container(el: Element): Element | null {
  if (el.getAttribute("Id") === "signed-data-container") return el;
  for (const c of children(el)) {
    const found = container(c);
    if (found) return found;
  }
  return null;
}

export async function placeAs(store: StandStore, org: StandOrganization, built: BuiltRequest): Promise<XNode[]> {
  const spec = handlerFor(built.operation);
  if (!spec) throw new Error(`стенд: операция ${built.operation} не поддерживается`);
  const doc = parseUntrusted(built.xml);
  const body = child(doc.documentElement, "Body");
  const el = body && container(body);
  if (!el) throw new Error(`стенд: в запросе ${built.operation} нет подписываемого элемента`);
  return spec.handle(
    {
      service: built.service,
      operation: built.operation,
      body: el,
      version: built.version,
      org,
      messageGuid: crypto.randomUUID(),
      requesterMessageGuid: built.messageGuid,
      received: new Date(),
    },
    store,
  );
}
