import { Entity, PrimaryColumn } from "typeorm";
import { Moment, Str, Text } from "./columns";

/** A named constant (the manual's «Настройки»): value stored as JSON text, defaults in code. */
@Entity("setting")
export class Setting {
  @PrimaryColumn({ type: String, length: 100 })
  key!: string;

  @Text({ nullable: false })
  value!: string;

  @Moment()
  updatedAt!: Date | null;

  @Str(100)
  updatedBy!: string | null;
}
