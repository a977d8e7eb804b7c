/**
 * house-management: contracts and charters, supply resource contracts, the housing fund, accounts
 * and meters. The rules of each part live in rules/house-management/; getStateResult items are
 * wrapped in hm:ImportResult (base:version 10.0.1.1) holding hm:CommonResult.
 */
import { importAccountData, exportAccountData } from "../rules/house-management/accounts";
import { exportHouseData, importHouseUOData } from "../rules/house-management/houses";
import { exportMeteringDeviceData, importMeteringDeviceData } from "../rules/house-management/meters";
import { HandlerSpec, StandHandler } from "../types";

const spec = (operation: string, handle: StandHandler): HandlerSpec => ({ service: "house-management", operation, resultPrefix: "hm", resultVersion: "11.0.0.1", handle });

export const handlers: HandlerSpec[] = [
  spec("importHouseUOData", importHouseUOData),
  spec("exportHouseData", exportHouseData),
  spec("importAccountData", importAccountData),
  spec("exportAccountData", exportAccountData),
  spec("importMeteringDeviceData", importMeteringDeviceData),
  spec("exportMeteringDeviceData", exportMeteringDeviceData),
];
