import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Flag, Moment, Str, Text } from "./columns";

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

  /**
   * The organizations the user works for, as ids separated by commas ("3,7"); null: every
   * organization. Read through src/api/org-scope.ts, never parsed elsewhere.
   */
  @Text()
  organizationIds!: string | null;

  /** The stands the user may start runs on and see, separated by commas ("sit01,local"); null: every stand. */
  @Str(100)
  stands!: string | null;

  @Moment({ nullable: false })
  createdAt!: Date;

  @Moment()
  lastLoginAt!: Date | null;
}
