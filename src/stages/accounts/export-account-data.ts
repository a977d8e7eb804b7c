/**
 * exportAccountData by house: what GIS holds for the organization's accounts there. Our accounts
 * are matched by number and get their GUID, ЕЛС and ИЖКУ; one never linked before becomes ok.
 */
import { In } from "typeorm";
import { OperationInputs } from "../../transport/messages";
import { Account } from "../../../entities";
import { exportRows, lower, valueAt } from "../answer";
import { MethodDescriptor } from "../descriptor";
import { housesOfScopeWithFias, houseExportPrepare } from "../fund/house-export-common";
import { acceptedState } from "../outcome";

export const exportAccountData: MethodDescriptor<OperationInputs["exportAccountData"], { fiasHouseGuid: string }> = {
  method: "exportAccountData",
  stage: "accounts",
  kind: "export",
  modes: ["pull", "sync"],
  objectType: "house",
  batchSetting: null,
  defaultBatch: 1,
  safeToRepeat: true,
  after: ["exportHouseData"],

  select: (ds, scope) => housesOfScopeWithFias(ds, scope),
  prepare: (ds, ids) => houseExportPrepare(ds, ids),
  payload: (batch) => ({ fiasHouseGuid: batch[0].data.fiasHouseGuid }),

  async apply(em, answer, _matched, ctx) {
    const rows = exportRows(answer, "exportAccountResult").map((row) => ({
      number: valueAt(row, "AccountNumber"),
      guid: lower(valueAt(row, "AccountGUID")),
      unified: valueAt(row, "UnifiedAccountNumber"),
      serviceId: valueAt(row, "ServiceID"),
      closed: valueAt(row, "Closed/CloseDate") !== null,
    })).filter((r) => r.number && r.guid);
    if (rows.length === 0) return;
    const ours = await em.getRepository(Account).find({ where: { organizationId: ctx.organizationId, number: In(rows.map((r) => r.number!)) } });
    for (const a of ours) {
      // An account may have been closed and opened again under the same number: the open one wins.
      const row = rows.filter((r) => r.number === a.number).sort((x, y) => Number(x.closed) - Number(y.closed))[0];
      await em.update(Account, a.id, {
        gisAccountGuid: row.guid,
        ...(row.unified ? { unifiedNumber: row.unified } : {}),
        ...(row.serviceId ? { utilityServiceId: row.serviceId } : {}),
        // First link to what GIS already has: the account counts as placed.
        ...(a.gisAccountGuid ? {} : { sync: acceptedState(ctx) }),
      });
    }
  },
};
