import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Flag, Moment, Str } from "./columns";

export const USER_ROLES = ["accountant", "operator", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

@Entity("app_user")
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ unique: true })
  @Str(100, { nullable: false })
  login!: string;

  @Str(200)
  displayName!: string | null;

  /** Memory-hard KDF hash (scrypt), with its parameters: never the password. */
  @Str(300, { nullable: false })
  passwordHash!: string;

  @Str(12, { nullable: false, default: "accountant" })
  role!: UserRole;

  @Flag({ default: true })
  active!: boolean;

  @Moment({ nullable: false })
  createdAt!: Date;

  @Moment()
  lastLoginAt!: Date | null;
}
