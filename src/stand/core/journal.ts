/**
 * What the stand received and refused, for inspection: requests per operation, the time the
 * intake checks took per operation, and the log of rejected requests with their codes (the last
 * 1,000 kept in full, counts by code kept for all).
 */
export interface RejectedEntry {
  time: string;
  operation: string;
  code: string;
  text: string;
  orgPPAGUID: string | null;
}

const KEEP = 1000;

export class Journal {
  readonly received = new Map<string, number>();
  readonly intakeMs = new Map<string, { count: number; ms: number }>();
  readonly rejectedByCode = new Map<string, number>();
  readonly rejected: RejectedEntry[] = [];

  receive(operation: string): void {
    this.received.set(operation, (this.received.get(operation) ?? 0) + 1);
  }

  intake(operation: string, ms: number): void {
    const t = this.intakeMs.get(operation) ?? { count: 0, ms: 0 };
    t.count++;
    t.ms += ms;
    this.intakeMs.set(operation, t);
  }

  reject(e: Omit<RejectedEntry, "time">): void {
    this.rejectedByCode.set(e.code, (this.rejectedByCode.get(e.code) ?? 0) + 1);
    this.rejected.push({ time: new Date().toISOString(), ...e });
    if (this.rejected.length > KEEP) this.rejected.splice(0, this.rejected.length - KEEP);
  }
}
