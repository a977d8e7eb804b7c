/**
 * What the stand checks before it accepts a request, in the order that costs least first, each
 * refusal a Rejection with a GIS-like code (./codes.ts): the operation (SOAPAction) belongs to the
 * service; the body is well-formed XML in a SOAP envelope; the body element fits the operation; it
 * validates against the schema; the header is the right one (RequestHeader with orgPPAGUID, or
 * ISRequestHeader for nsi-common / organizations-registry-common) and names a known organization; the
 * MessageGUID was not used before; the XAdES signature verifies; its certificate belongs to the
 * organization (strict mode) — or, with IsOperatorSignature, to an operator (OPERATOR / RKC). getState is not signed, so it is not checked for a signature.
 * The signature check takes the fast path of verifyXades when the container came canonical, reuses
 * the parsed document, and runs on the GOST backend in force — native OpenSSL with the gost engine
 * where it loads (src/signing/gost-backend.ts), as the client signs.
 */
import crypto from "node:crypto";
import { verifyXades } from "../../signing/verify";
import { OPERATIONS, OperationSpec } from "../../transport/messages/index";
import { ResponseError, child, children, parseUntrusted, text } from "../../transport/results/safe-xml";
import { validateRequest } from "../../transport/schema/validate";
import { BASE_NS, SERVICES, SOAP_NS, ServiceName } from "../../transport/services";
import { handlerFor } from "../handlers/index";
import { HandlerSpec, StandOrganization, StandRequest, StandStore } from "../types";
import { CODES, Rejection } from "./codes";

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DS_NS = "http://www.w3.org/2000/09/xmldsig#";

export interface IntakeOptions {
  store: StandStore;
  /** Was this sender MessageGUID accepted before? */
  wasReceived(requesterGuid: string): boolean;
  validate: boolean;
  verify: boolean;
  strict: boolean;
  /** The package the stand was started with: an official folder (its own versions), or wsdl/ with the selected package's. */
  schemaDir?: string;
  formatPackage?: string;
  maxBytes: number;
}

export type Intake =
  | { kind: "getState"; operation: "getState"; gisMessageGuid: string; org: StandOrganization | null }
  | { kind: "send"; operation: string; req: StandRequest; spec: HandlerSpec; certificateFingerprint: string | null };

/** The operation named by a SOAPAction header value ("urn:importAccountData", quoted or not). */
export function operationOf(soapAction: string | undefined): string {
  return (soapAction ?? "").trim().replace(/^"|"$/g, "").replace(/^urn:/, "");
}

export function sha1Fingerprint(der: Buffer): string {
  return crypto.createHash("sha1").update(der).digest("hex");
}

export async function intake(xml: string, service: ServiceName, operation: string, o: IntakeOptions): Promise<Intake> {
  const isState = operation === "getState";
  const spec = isState ? undefined : handlerFor(operation);
  if (!isState && (!spec || spec.service !== service)) {
    throw new Rejection(CODES.unknownOperation, `Операция «${operation}» не поддерживается сервисом ${SERVICES[service].path}`);
  }

  let doc: Document;
  try {
    doc = parseUntrusted(xml, o.maxBytes);
  } catch (e) {
    const detail = e instanceof ResponseError ? e.message.replace(/^[^:]*:\s*/, "") : String(e);
    throw new Rejection(CODES.malformed, `Запрос не является корректным XML: ${detail}`);
  }
  const env = doc.documentElement;
  const header = env.namespaceURI === SOAP_NS && env.localName === "Envelope" ? child(env, "Header") : null;
  const body = env.namespaceURI === SOAP_NS && env.localName === "Envelope" ? child(env, "Body") : null;
  const container = body ? children(body)[0] : undefined;
  if (!body || !container) throw new Rejection(CODES.malformed, "Запрос не является SOAP-сообщением: нет soap:Envelope/soap:Body с элементом запроса");

  const expected = isState ? "getStateRequest" : (OPERATIONS as Record<string, OperationSpec | undefined>)[operation]?.element;
  if (expected && container.localName !== expected) {
    throw new Rejection(CODES.unknownOperation, `Операция «${operation}» ожидает элемент ${expected}, получен ${container.localName}`);
  }

  // getState is checked by hand below (header, orgPPAGUID, a GUID): the schema adds nothing but cost
  // to the request clients send most often.
  if (o.validate && !isState) {
    const problems = await validateRequest(xml, service, { schemaDir: o.schemaDir, formatPackage: o.formatPackage });
    if (problems.length > 0) {
      const p = problems[0];
      throw new Rejection(CODES.schema, `Ошибка проверки схемы: ${p.element ? `элемент ${p.element}: ` : ""}${p.message}`);
    }
  }

  const headerName = SERVICES[service].isHeader ? "ISRequestHeader" : "RequestHeader";
  const h = header ? child(header, headerName) : null;
  if (!h) throw new Rejection(CODES.schema, `Ошибка проверки схемы: нет заголовка base:${headerName}`);
  const requesterGuid = text(child(h, "MessageGUID"));
  if (!requesterGuid || !GUID_RE.test(requesterGuid)) throw new Rejection(CODES.schema, "Ошибка проверки схемы: элемент MessageGUID заголовка — не GUID");

  let org: StandOrganization | null = null;
  if (!SERVICES[service].isHeader) {
    const id = text(child(h, "orgPPAGUID"));
    if (!id) throw new Rejection(CODES.unknownOrg, "В заголовке не указан orgPPAGUID организации");
    org = o.store.organization(id) ?? null;
    if (!org) throw new Rejection(CODES.unknownOrg, `Организация с orgPPAGUID ${id} не зарегистрирована в ГИС ЖКХ`);
  }

  if (isState) {
    const guid = text(child(container, "MessageGUID"));
    if (!guid || !GUID_RE.test(guid)) throw new Rejection(CODES.schema, "Ошибка проверки схемы: getStateRequest/MessageGUID — не GUID");
    return { kind: "getState", operation: "getState", gisMessageGuid: guid.toLowerCase(), org };
  }

  if (o.wasReceived(requesterGuid)) {
    throw new Rejection(CODES.reusedMessageGuid, `Сообщение с MessageGUID ${requesterGuid} уже было получено: для каждого сообщения нужен новый MessageGUID`);
  }

  let fingerprint: string | null = null;
  if (o.verify) {
    const signed = children(container).some((c) => c.localName === "Signature" && c.namespaceURI === DS_NS);
    if (!signed) throw new Rejection(CODES.unsigned, 'Запрос не подписан: нет ds:Signature в элементе Id="signed-data-container"');
    const v = verifyXades(xml, { document: doc });
    if (!v.valid || !v.certificate) throw new Rejection(CODES.badSignature, `Электронная подпись не прошла проверку: ${v.errors[0] ?? "неизвестная причина"}`);
    fingerprint = sha1Fingerprint(v.certificate.der);
    if (o.strict) {
      // IsOperatorSignature: an operator of the information system (a settlement centre, an IS
      // operator) signs for the organization with its own certificate, not the organization's.
      const asOperator = org !== null && text(child(h, "IsOperatorSignature")) === "true";
      const owners = asOperator ? o.store.organizations().filter(isOperator) : org ? [org] : o.store.organizations();
      if (!owners.some((x) => x.certificateFingerprints.includes(fingerprint!))) {
        throw new Rejection(
          CODES.foreignCertificate,
          asOperator
            ? `Подпись оператора (IsOperatorSignature) для организации ${org!.shortName}: сертификат (отпечаток ${fingerprint}) не принадлежит ни одному оператору информационной системы или расчётному центру (полномочия OPERATOR, RKC)`
            : org
              ? `Сертификат подписи (отпечаток ${fingerprint}) не принадлежит организации ${org.shortName} (orgPPAGUID ${org.orgPPAGUID})`
              : `Сертификат подписи (отпечаток ${fingerprint}) не принадлежит ни одной зарегистрированной организации`,
        );
      }
    }
  }

  const req: StandRequest = {
    service,
    operation,
    body: container,
    version: container.getAttributeNS(BASE_NS, "version") ?? "",
    org,
    messageGuid: crypto.randomUUID(),
    requesterMessageGuid: requesterGuid.toLowerCase(),
    received: new Date(),
  };
  return { kind: "send", operation, req, spec: spec!, certificateFingerprint: fingerprint };
}

/** An organization that may sign for others as operator: the IS operator or a settlement centre. */
function isOperator(org: StandOrganization): boolean {
  return org.roles.includes("OPERATOR") || org.roles.includes("RKC");
}
