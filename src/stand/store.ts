/**
 * The stand's state: named tables of plain JSON objects, counters for GIS unique numbers, the
 * organizations, and a record of duplicates (there must never be any). Serializable as a whole so
 * the state survives a restart when the stand is given a data file.
 */
import crypto from "node:crypto";
import { StandOrganization, StandStore } from "./types";

export interface StandSnapshot {
  version: 1;
  organizations: StandOrganization[];
  counters: Record<string, number>;
  tables: Record<string, Array<[string, object]>>;
  duplicates: Array<{ kind: string; key: string; at: string }>;
}

export class MemoryStore implements StandStore {
  private readonly tables = new Map<string, Map<string, object>>();
  private readonly counters = new Map<string, number>();
  private readonly orgs = new Map<string, StandOrganization>();
  readonly duplicates: Array<{ kind: string; key: string; at: string }> = [];

  constructor(organizations: StandOrganization[] = []) {
    for (const o of organizations) this.addOrganization(o);
  }

  addOrganization(o: StandOrganization): void {
    this.orgs.set(o.orgPPAGUID.toLowerCase(), { ...o, orgPPAGUID: o.orgPPAGUID.toLowerCase() });
  }

  table<T extends object>(name: string): Map<string, T> {
    let t = this.tables.get(name);
    if (!t) this.tables.set(name, (t = new Map()));
    return t as Map<string, T>;
  }

  tableNames(): string[] {
    return [...this.tables.keys()].sort();
  }

  guid(): string {
    return crypto.randomUUID();
  }

  nextNumber(kind: string): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return n;
  }

  duplicate(kind: string, key: string): void {
    this.duplicates.push({ kind, key, at: new Date().toISOString() });
  }

  organizations(): StandOrganization[] {
    return [...this.orgs.values()];
  }

  organization(orgPPAGUID: string): StandOrganization | undefined {
    return this.orgs.get(orgPPAGUID.toLowerCase());
  }

  toJSON(): StandSnapshot {
    const tables: StandSnapshot["tables"] = {};
    for (const [name, t] of this.tables) tables[name] = [...t.entries()];
    return { version: 1, organizations: this.organizations(), counters: Object.fromEntries(this.counters), tables, duplicates: this.duplicates };
  }

  static fromJSON(s: StandSnapshot): MemoryStore {
    if (s?.version !== 1) throw new Error("stand: data file has an unknown format (expected version 1)");
    const store = new MemoryStore(s.organizations);
    for (const [k, v] of Object.entries(s.counters)) store.counters.set(k, v);
    for (const [name, rows] of Object.entries(s.tables)) store.tables.set(name, new Map(rows));
    store.duplicates.push(...s.duplicates);
    return store;
  }
}
