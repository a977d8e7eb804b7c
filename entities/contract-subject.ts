import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Day, Guid, Int, Str } from "./columns";
import { Contract } from "./contract";
import { Service } from "./service";

/** Subject of a resource supply contract: which municipal service and resource, for which period. */
@Entity("contract_subject")
@Index(["contractId", "serviceId"])
export class ContractSubject {
  @PrimaryGeneratedColumn()
  id!: number;

  @Int({ nullable: false })
  contractId!: number;

  @ManyToOne(() => Contract)
  @JoinColumn({ name: "contractId" })
  contract?: Contract;

  @Int({ nullable: false })
  serviceId!: number;

  @ManyToOne(() => Service)
  @JoinColumn({ name: "serviceId" })
  service?: Service;

  @Str(20)
  municipalResourceCode!: string | null;

  @Guid()
  municipalResourceGuid!: string | null;

  @Day()
  startDate!: string | null;

  @Day()
  endDate!: string | null;

  @Guid()
  gisTransportGuid!: string | null;
}
