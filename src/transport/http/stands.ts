/**
 * Where each GIS stand lives. Production and the two test stands (SIT01: current formats, SIT02:
 * upcoming formats) have well-known addresses; the environment overrides them (GIS_PROD_URL,
 * GIS_SIT01_URL, GIS_SIT02_URL) — for production that is usually the local GOST TLS proxy.
 * `local` is the built-in stand emulator.
 */
import { Stand } from "../../../entities/gis-operation";

export const DEFAULT_STAND_URLS: Record<Stand, string> = {
  prod: "https://api.dom.gosuslugi.ru",
  sit01: "https://sit01.dom.test.gosuslugi.ru:10081",
  sit02: "https://sit02.dom.test.gosuslugi.ru:10082",
  local: "http://127.0.0.1:8081",
};

const ENV: Record<Stand, string> = { prod: "GIS_PROD_URL", sit01: "GIS_SIT01_URL", sit02: "GIS_SIT02_URL", local: "GIS_LOCAL_URL" };

export function standUrl(stand: Stand, env: NodeJS.ProcessEnv = process.env): string {
  return (env[ENV[stand]] || DEFAULT_STAND_URLS[stand]).replace(/\/+$/, "");
}
