import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Int, Str, Text } from "./columns";

/** A line of the import journal: a row problem, where it is and what is wrong. */
@Entity("import_issue")
@Index(["runId", "file"])
export class ImportIssue {
  @PrimaryGeneratedColumn()
  id!: number;

  @Int({ nullable: false })
  runId!: number;

  @Str(255, { nullable: false })
  file!: string;

  /** 1-based data row (the header is row 1 in a CSV; null for a whole-file problem). */
  @Int()
  row!: number | null;

  @Str(100)
  column!: string | null;

  @Str(500)
  value!: string | null;

  @Text({ nullable: false })
  message!: string;

  @Str(10, { nullable: false })
  severity!: "error" | "warning";
}
