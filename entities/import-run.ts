import { Entity, PrimaryGeneratedColumn } from "typeorm";
import { Int, Moment, Str, Text } from "./columns";

/** One run of the billing import (a bundle folder, a file, or a billing database). */
@Entity("import_run")
export class ImportRun {
  @PrimaryGeneratedColumn()
  id!: number;

  @Text({ nullable: false })
  source!: string;

  @Moment({ nullable: false })
  startedAt!: Date;

  @Moment()
  finishedAt!: Date | null;

  /** running, ok, ok_with_errors, failed */
  @Str(16, { nullable: false, default: "running" })
  status!: string;

  @Int({ nullable: false, default: 0 })
  rowsRead!: number;

  @Int({ nullable: false, default: 0 })
  rowsInserted!: number;

  @Int({ nullable: false, default: 0 })
  rowsUpdated!: number;

  @Int({ nullable: false, default: 0 })
  rowsUnchanged!: number;

  @Int({ nullable: false, default: 0 })
  rowsRejected!: number;

  @Int({ nullable: false, default: 0 })
  warnings!: number;

  @Str(100)
  author!: string | null;
}
