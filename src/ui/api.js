// The API client: JSON in and out, the CSRF token on every state-changing request, and a trip to
// the login page when the session has expired.
import { withScope } from "./scope.js";

let csrf = null;

export class ApiError extends Error {
  constructor(status, code, message, errors = undefined) {
    super(message);
    this.status = status;
    this.code = code;
    /** A refused entry: [{field, label, message}] — the form marks each field. */
    this.errors = errors;
  }
}

/** The session's CSRF token, for requests made without fetch (an upload with progress through XMLHttpRequest). */
export const csrfToken = () => csrf ?? "";

export async function me() {
  const r = await api("GET", "/api/me");
  csrf = r.csrfToken;
  return r.user;
}

export async function api(method, url, body, o = {}) {
  // Every read answers for the organization and stand chosen in the header.
  if (method === "GET") url = withScope(url);
  const headers = { Accept: o.accept ?? "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrf ?? "";
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  if (res.status === 401 && !url.endsWith("/api/login")) {
    location.href = "/login";
    throw new ApiError(401, "unauthorized", "Сессия истекла");
  }
  if (!res.ok) {
    let e = { code: "http", message: `Ошибка ${res.status}` };
    try {
      e = await res.json();
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, e.code, e.message, e.errors);
  }
  if (o.raw) return res;
  const data = await res.json();
  // A password change re-issues the session: its answer carries the new CSRF token.
  if (data && typeof data.csrfToken === "string") csrf = data.csrfToken;
  return data;
}

/** Sends a File as the raw request body (application/octet-stream), its name percent-encoded in X-File-Name. */
export async function upload(url, file) {
  const headers = {
    Accept: "application/json",
    "Content-Type": "application/octet-stream",
    "X-File-Name": encodeURIComponent(file.name),
    "X-CSRF-Token": csrf ?? "",
  };
  const res = await fetch(url, { method: "POST", headers, body: file, credentials: "same-origin" });
  if (res.status === 401) {
    location.href = "/login";
    throw new ApiError(401, "unauthorized", "Сессия истекла");
  }
  let answer = null;
  try {
    answer = await res.json();
  } catch {
    /* not JSON */
  }
  if (!res.ok) throw new ApiError(res.status, answer?.code ?? "http", answer?.message ?? `Ошибка ${res.status}`);
  return answer;
}

export const get = (url, params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return api("GET", s ? `${url}?${s}` : url);
};
export const post = (url, body = {}) => api("POST", url, body);
export const put = (url, body) => api("PUT", url, body);
export const patch = (url, body) => api("PATCH", url, body);
export const del = (url) => api("DELETE", url);

/** Saves a response body as a file (zip, XML) through a temporary link. */
export async function download(method, url, body, fallbackName) {
  const res = await api(method, url, body, { raw: true, accept: "*/*" });
  const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? fallbackName;
  const blob = await res.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  return name;
}
