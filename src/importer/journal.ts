/**
 * The import journal: every row problem with its file, row, column and value. Counts are always
 * exact; the detail kept per run is capped (a billing export with a systematic fault can produce
 * millions of identical lines — the first ones tell the story, the count tells the size).
 */
import { DataSource } from "typeorm";
import { ImportIssue } from "../../entities/import-issue";

export interface IssueDraft {
  file: string;
  row: number | null;
  column: string | null;
  value: string | null;
  message: string;
  severity: "error" | "warning";
}

export const JOURNAL_DETAIL_CAP = 20_000;

export class Journal {
  private pending: IssueDraft[] = [];
  private kept = 0;
  errors = 0;
  warnings = 0;
  /** Issues beyond the cap: counted, not stored. */
  dropped = 0;

  constructor(
    readonly runId: number,
    private readonly cap = JOURNAL_DETAIL_CAP,
  ) {}

  add(issue: IssueDraft): void {
    if (issue.severity === "error") this.errors++;
    else this.warnings++;
    if (this.kept >= this.cap) {
      this.dropped++;
      return;
    }
    this.kept++;
    this.pending.push({ ...issue, value: issue.value === null ? null : issue.value.slice(0, 500) });
  }

  /** Writes what has accumulated. Called between files, outside their transactions, so a failed file's reasons survive its rollback. */
  async flush(ds: DataSource): Promise<void> {
    const rows = this.pending.splice(0);
    for (let i = 0; i < rows.length; i += 200) {
      await ds.getRepository(ImportIssue).insert(rows.slice(i, i + 200).map((r) => ({ ...r, runId: this.runId })));
    }
  }

  /** The issues not yet flushed (tests and the CLI summary read them before flushing). */
  peek(): readonly IssueDraft[] {
    return this.pending;
  }
}

export function formatIssue(i: IssueDraft): string {
  const where = [i.file, i.row !== null ? `строка ${i.row}` : null, i.column ? `столбец ${i.column}` : null].filter(Boolean).join(", ");
  const value = i.value !== null && i.value !== "" ? ` «${i.value}»` : "";
  return `${i.severity === "error" ? "ОШИБКА" : "предупреждение"}: ${where}:${value} ${i.message}`;
}
