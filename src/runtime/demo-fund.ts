/**
 * The demo's housing fund in the stand. Our demo organization is a resource supply organization:
 * in GIS it finds houses, entrances and premises that the managing organization has placed, and
 * learns their GUIDs by exportHouseData. The stand starts empty, so the demo plays that managing
 * organization once: an approved, running management contract covering our houses, then each house
 * placed with importHouseUOData built by our own descriptor — as the managing organization's
 * information system would have sent it (src/stand/seed.ts runs the stand's handler directly).
 */
import crypto from "node:crypto";
import { DataSource } from "typeorm";
import { House } from "../../entities/house";
import { buildRequest } from "../transport/messages";
import { importHouseUOData as houseMethod } from "../methods/house-management/import-house-uo-data";
import { StageContext } from "../stages/descriptor";
import { stageContext } from "../queue/stage-context";
import { RunningStand, makeOrganization } from "../stand";
import { placeAs } from "../stand/seed";
import { tables } from "../stand/domain/state";
import { StandOrganization } from "../stand/types";

/** The managing organization of the demo houses (only in the stand: it is not ours). */
const MANAGER = {
  ogrn: "1161690000016",
  inn: "1655000017",
  kpp: "165501001",
  fullName: "Общество с ограниченной ответственностью «Управляющая компания «Уютный дом»»",
  shortName: "ООО «УК «Уютный дом»»",
};

function manager(stand: RunningStand): StandOrganization {
  const known = stand.store.organizations().find((o) => o.ogrn === MANAGER.ogrn);
  if (known) return known;
  const org = makeOrganization({ ...MANAGER, roles: ["UO"] });
  stand.store.addOrganization(org);
  return org;
}

export interface SeededFund {
  houses: number;
  premises: number;
}

/** Places, as the managing organization, the houses of ours that the stand does not hold yet. */
export async function seedManagedFund(ds: DataSource, stand: RunningStand, ourOrganizationId: number): Promise<SeededFund> {
  const uo = manager(stand);
  const t = tables(stand.store);
  const houses = await ds.getRepository(House).find({ select: { id: true, fiasHouseGuid: true } });
  const missing = houses.filter((h) => h.fiasHouseGuid && !t.houses.has(h.fiasHouseGuid.toLowerCase()));
  if (missing.length === 0) return { houses: 0, premises: 0 };

  const now = new Date().toISOString();
  t.contracts.set(`demo-${uo.orgPPAGUID}`, {
    kind: "contract",
    guid: crypto.randomUUID(),
    versionGuid: crypto.randomUUID(),
    versionNumber: 1,
    org: uo.orgPPAGUID,
    status: "Approved",
    state: "Running",
    content: "",
    updated: now,
    objects: missing.map((h) => ({ fiasHouseGuid: h.fiasHouseGuid!.toLowerCase(), objectVersionGuid: crypto.randomUUID(), services: [], head: "", tail: "" })),
  });

  // Our descriptor builds the requests; the role is the manager's (our data is what GIS would hold).
  const ctx: StageContext = { ...(await stageContext(ds, ourOrganizationId, "local")), role: "UO", orgPPAGUID: uo.orgPPAGUID };
  const importHouseUOData = houseMethod.descriptor!;
  const prepared = await importHouseUOData.prepare(
    ds,
    missing.map((h) => h.id),
    ctx,
  );
  let premises = 0;
  for (const o of prepared.ready) {
    const built = buildRequest(
      "importHouseUOData",
      { orgPPAGUID: uo.orgPPAGUID },
      importHouseUOData.payload([{ ...o, transportGuid: crypto.randomUUID() }], ctx),
    );
    await placeAs(stand.store, uo, built);
    premises += (built.xml.match(/PremisesNum>/g) ?? []).length / 2;
  }
  stand.save();
  return { houses: prepared.ready.length, premises };
}
