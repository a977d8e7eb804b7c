/**
 * house-management: contracts and charters, supply resource contracts, the housing fund, accounts
 * and meters. The rules of each part live in rules/house-management/; getStateResult items are
 * wrapped in hm:ImportResult (base:version 10.0.1.1) holding hm:CommonResult.
 */
import { exportCAChData, exportStatusCAChData, importCharterData, importContractData } from "../rules/house-management/contracts";
import { exportSupplyResourceContractData, importSupplyResourceContractData } from "../rules/house-management/supply-contracts";
import { HandlerSpec, StandHandler } from "../types";

const spec = (operation: string, handle: StandHandler): HandlerSpec => ({ service: "house-management", operation, resultPrefix: "hm", resultVersion: "11.0.0.1", handle });

export const handlers: HandlerSpec[] = [
  spec("importContractData", importContractData),
  spec("importCharterData", importCharterData),
  spec("exportStatusCAChData", exportStatusCAChData),
  spec("exportCAChData", exportCAChData),
  spec("importSupplyResourceContractData", importSupplyResourceContractData),
  spec("exportSupplyResourceContractData", exportSupplyResourceContractData),
];
