import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Flag, Guid, Int, Moment, Str, Text } from "./columns";

/**
 * One element of a GIS dictionary: common ones (list group NSI or NSIRAO) are shared by all,
 * private ones belong to an organization (organizationId set) and to the stand that exported them:
 * each stand creates an organization's elements anew, so SIT01's НСИ 1 is never production's.
 */
@Entity("nsi_item")
@Index(["registryNumber", "listGroup", "stand", "guid"], { unique: true })
@Index(["registryNumber", "code"])
export class NsiItem {
  @PrimaryGeneratedColumn()
  id!: number;

  @Int({ nullable: false })
  registryNumber!: number;

  /** NSI or NSIRAO for common dictionaries; PRIVATE for an organization's own. */
  @Str(10, { nullable: false })
  listGroup!: "NSI" | "NSIRAO" | "PRIVATE";

  @Int()
  organizationId!: number | null;

  /** The stand the element was read from (entities/gis-operation.ts STANDS); common dictionaries: prod. */
  @Str(10, { nullable: false, default: "prod" })
  stand!: string;

  @Str(20, { nullable: false })
  code!: string;

  @Guid({ nullable: false })
  guid!: string;

  @Str(1000)
  name!: string | null;

  /** All fields of the element as GIS sent them, as JSON (field name → value). */
  @Text()
  fields!: string | null;

  @Guid()
  parentGuid!: string | null;

  @Flag({ default: true })
  isActual!: boolean;

  @Moment()
  modifiedAt!: Date | null;
}
