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

  /**
   * Not a stand's value, and left shared: nothing writes or reads it. The subject's TransportGUID in
   * a request is made by us, derived from its request item's (supply-contract-message.ts
   * supplyContractItem: nestedGuid(item, "subject/<service>")), and that item belongs to one
   * stand's operation; GIS answers with no GUID of its own for a subject.
   */
  @Guid()
  gisTransportGuid!: string | null;
}
