import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Flag, Str } from "./columns";

/**
 * The manual's «Поля для синхронизации»: per entity field, whether it is
 * replicated (comes from billing, read-only for manual edits),
 * history (earlier values kept with their periods), or
 * importedFromGis (GIS is the source: the billing import never overwrites it).
 */
@Entity("field_policy")
@Index(["entityType", "field"], { unique: true })
export class FieldPolicy {
  @PrimaryGeneratedColumn()
  id!: number;

  @Str(40, { nullable: false })
  entityType!: string;

  @Str(60, { nullable: false })
  field!: string;

  @Flag()
  replicated!: boolean;

  @Flag()
  history!: boolean;

  @Flag()
  importedFromGis!: boolean;
}
