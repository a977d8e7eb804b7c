export { GisHttpClient, HttpAnswer, HttpOptions, TransportError, TransportMode, readPkcs12 } from "./client";
export { standUrl, DEFAULT_STAND_URLS } from "./stands";
