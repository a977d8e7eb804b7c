// The header's choice of organization and stand, kept in localStorage: every API GET carries it
// as ?org= and ?stand= (api.js), lists and the dashboard answer for it, run starters default to it.
const ORG_KEY = "scope.org";
const STAND_KEY = "scope.stand";

/** @returns {{org: string | null, stand: string | null}} */
export function scope() {
  return { org: localStorage.getItem(ORG_KEY) || null, stand: localStorage.getItem(STAND_KEY) || null };
}

/** @param {{org?: string | null, stand?: string | null}} next */
export function setScope(next) {
  for (const [key, v] of [
    [ORG_KEY, next.org],
    [STAND_KEY, next.stand],
  ]) {
    if (v === undefined) continue;
    if (v) localStorage.setItem(key, v);
    else localStorage.removeItem(key);
  }
}

/** An API GET URL with the chosen organization and stand added, unless the caller named them. */
export function withScope(url) {
  if (!url.startsWith("/api/")) return url;
  const u = new URL(url, location.origin);
  const s = scope();
  if (s.org && !u.searchParams.has("org")) u.searchParams.set("org", s.org);
  if (s.stand && !u.searchParams.has("stand")) u.searchParams.set("stand", s.stand);
  return u.pathname + u.search;
}

/** The run body's organization: the chosen one, when one is chosen. */
export const chosenOrganization = () => (scope().org ? { organizationId: Number(scope().org) } : {});
