/** Moved to src/methods/house-management/import-house-uo-data.ts; kept for src/runtime/demo-fund.ts until the lead removes it. */
import { importHouseUOData as method } from "../../methods/house-management/import-house-uo-data";

export const importHouseUOData = method.descriptor!;
