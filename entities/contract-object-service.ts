import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Day, Int } from "./columns";
import { ContractObject } from "./contract-object";
import { Service } from "./service";

/** A service provided at a contract object, for a period. GIS refuses bills and meters without it. */
@Entity("contract_object_service")
@Index(["contractObjectId", "serviceId", "startDate"], { unique: true })
export class ContractObjectService {
  @PrimaryGeneratedColumn()
  id!: number;

  @Int({ nullable: false })
  contractObjectId!: number;

  @ManyToOne(() => ContractObject)
  @JoinColumn({ name: "contractObjectId" })
  contractObject?: ContractObject;

  @Int({ nullable: false })
  serviceId!: number;

  @ManyToOne(() => Service)
  @JoinColumn({ name: "serviceId" })
  service?: Service;

  @Day({ nullable: false })
  startDate!: string;

  @Day()
  endDate!: string | null;
}
