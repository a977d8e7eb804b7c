/**
 * The GIS error codes the stand's core answers with, and their texts. The families and the codes
 * marked "seen" are in ../shared/reference/gis-behaviour.md; where GIS's exact number for a case is
 * not known, a plausible code of the right family is chosen and says so here.
 */
export interface CodeText {
  code: string;
  text: string;
}

export const CODES = {
  /** seen: a schema violation; the text names the first problem's element. */
  schema: "FMT001300",
  /** chosen (FMT family): SOAPAction names no operation of this service, or the body element does not fit it. */
  unknownOperation: "FMT001301",
  /** chosen (FMT family, seen number): the request is not well-formed XML or not a SOAP envelope. */
  malformed: "FMT001307",
  /** seen (AUT011 family): the organization is not registered (unknown orgPPAGUID). */
  unknownOrg: "AUT011000",
  /** seen: the certificate does not belong to the organization (strict mode). */
  foreignCertificate: "AUT011003",
  /** seen number, chosen meaning: the request carries no signature. */
  unsigned: "AUT011004",
  /** seen number, chosen meaning: the signature does not verify. */
  badSignature: "AUT011005",
  /**
   * chosen: a MessageGUID the stand already accepted. GIS refuses a repeated MessageGUID; its exact
   * code is not known here, so an INT code of the integration family is used.
   */
  reusedMessageGuid: "INT002003",
  /** seen: getState for a MessageGUID the stand never issued (or forgot). */
  unknownMessage: "INT002000",
  /** seen: overload / transfer error; also the throttling answer (the client rebuilds and resends). */
  overload: "EXP001000",
  /** seen (integration family): an unexpected failure inside the stand; logged by the stand. */
  internal: "INT002013",
} as const;

export const TEXTS = {
  overload: "Произошла ошибка при передаче данных. Попробуйте осуществить передачу данных повторно",
  throttled: "Превышено число одновременно обрабатываемых запросов организации. Попробуйте осуществить передачу данных повторно",
  internal: "Внутренняя ошибка стенда при обработке сообщения",
} as const;

/** A request the core refuses before it is accepted: answered with a SOAP fault. */
export class Rejection extends Error {
  constructor(
    readonly code: string,
    readonly text: string,
    readonly httpStatus = 500,
  ) {
    super(`${code}: ${text}`);
    this.name = "Rejection";
  }
}
