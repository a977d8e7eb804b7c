/** Helpers for the scripted GIS of the exchange tests. */

/** The MessageGUID a getState request asks about (the one inside getStateRequest), or null for other requests. */
export function askedMessageGuid(requestBody: string): string | null {
  const m = /getStateRequest[^>]*>\s*<(?:\w+:)?MessageGUID>([^<]+)</.exec(requestBody);
  return m ? m[1] : null;
}

/** As GIS does: a getStateResult names the message asked — the script's placeholder GUID is replaced by it. */
export function answerNamesAsked(requestBody: string, answerBody: string): string {
  const asked = askedMessageGuid(requestBody);
  if (!asked) return answerBody;
  return answerBody.replace(/(getStateResult[^>]*>\s*<(?:\w+:)?RequestState>[^<]*<\/(?:\w+:)?RequestState>\s*<(?:\w+:)?MessageGUID>)[^<]*</, `$1${asked}<`);
}
