/**
 * Which GOST implementation this process signs, hashes and verifies with, and why — chosen once, at
 * the first use (or at start by `selectGostBackend()`), for logs and /api/ready:
 *
 * - `native`: Node's OpenSSL with Debian's gost engine (./gost-native.ts), when it loads and passes
 *   its self-test;
 * - `js`: pure JavaScript (./gost-js.ts), otherwise.
 *
 * GIS_SYNC_GOST=auto (default) | native (refuse to run without it) | js (never load the engine);
 * GIS_SYNC_GOST_ENGINE=/path/to/gost.so overrides the engine search.
 *
 * `independentBackend()` is the *other* implementation, used to check every signed envelope before
 * it is sent (./presend-check.ts): pure JS when native signs; native when JS signs and the engine is
 * there, else JS again — whose BigInt verifier (./gost3410.ts) is still independent of the library
 * that made the signature.
 */
import { GostBackend, jsBackend } from "./gost-js";
import { loadNativeGost, nativeBackend } from "./gost-native";

export type { GostBackend } from "./gost-js";
export type GostRequest = "auto" | "native" | "js";

export interface GostBackendStatus {
  /** What signs, hashes and verifies. */
  backend: "native" | "js";
  /** What checks each signed envelope before it is sent. */
  independent: "native" | "js";
  requested: GostRequest;
  enginePath: string | null;
  nativeAvailable: boolean;
  /** A sentence for the log: what was found and why this backend. */
  reason: string;
}

interface Selected {
  active: GostBackend;
  independent: GostBackend;
  status: GostBackendStatus;
}

let selected: Selected | null = null;

function requested(env: NodeJS.ProcessEnv): GostRequest {
  const v = (env.GIS_SYNC_GOST ?? "auto").trim().toLowerCase() || "auto";
  if (v !== "auto" && v !== "native" && v !== "js") throw new Error(`GIS_SYNC_GOST=${v}: ожидается auto, native или js`);
  return v;
}

/**
 * Chooses the backend (once per process; later calls return the same choice). Throws only when
 * GIS_SYNC_GOST=native and the engine cannot be used, or the setting itself is wrong.
 */
export function selectGostBackend(env: NodeJS.ProcessEnv = process.env): GostBackendStatus {
  if (selected) return selected.status;
  const want = requested(env);
  if (want === "js") {
    selected = {
      active: jsBackend,
      independent: jsBackend,
      status: {
        backend: "js",
        independent: "js",
        requested: want,
        enginePath: null,
        nativeAvailable: false,
        reason: "ГОСТ на JavaScript: так задано (GIS_SYNC_GOST=js)",
      },
    };
    return selected.status;
  }
  const load = loadNativeGost(env.GIS_SYNC_GOST_ENGINE?.trim() || undefined);
  if (!load.ok && want === "native") throw new Error(`GIS_SYNC_GOST=native, но встроенный ГОСТ недоступен: ${load.reason}`);
  selected = load.ok
    ? {
        active: nativeBackend,
        independent: jsBackend,
        status: { backend: "native", independent: "js", requested: want, enginePath: load.enginePath, nativeAvailable: true, reason: load.reason },
      }
    : {
        active: jsBackend,
        independent: jsBackend,
        status: {
          backend: "js",
          independent: "js",
          requested: want,
          enginePath: load.enginePath,
          nativeAvailable: false,
          reason: `ГОСТ на JavaScript: ${load.reason}`,
        },
      };
  return selected.status;
}

function current(): Selected {
  if (!selected) selectGostBackend();
  return selected!;
}

/** The backend in force (selects it on first use). */
export function gostBackend(): GostBackend {
  return current().active;
}

/** The implementation that checks what `gostBackend()` produced. */
export function independentBackend(): GostBackend {
  return current().independent;
}

export function gostBackendStatus(): GostBackendStatus {
  return current().status;
}

/** Both backends, for tests and the benchmark: the native one only when it is in force. */
export function availableBackends(): GostBackend[] {
  return current().status.nativeAvailable ? [nativeBackend, jsBackend] : [jsBackend];
}
