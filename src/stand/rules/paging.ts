/**
 * GIS paging by key: a page of at most `size` rows in a stable order; when more follow, the key of
 * the first row of the next page (ExportContractRootGUID, ExportMeteringDeviceRootGUID…), which
 * the client sends back to get that page.
 */
export interface Page<T> {
  rows: T[];
  /** Key of the next page's first row; null on the last page. */
  next: string | null;
}

export function pageFrom<T>(rows: T[], keyOf: (row: T) => string, from: string | null, size: number): Page<T> {
  const sorted = [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const start = from === null ? 0 : sorted.findIndex((r) => keyOf(r) >= from.toLowerCase());
  const rest = start < 0 ? [] : sorted.slice(start);
  return { rows: rest.slice(0, size), next: rest.length > size ? keyOf(rest[size]) : null };
}
