/**
 * importHouseUOData, for managing roles (УО, ТСЖ, ЖК, ЖСК): one house per request with its
 * entrances and premises. Each nested object carries a TransportGUID derived from the house's, so
 * its result finds it again. A premise that fails its checks stays out of the request and gets its
 * own error; the house then ends "ok with errors in nested objects".
 */
import { EntityManager } from "typeorm";
import { OperationInputs } from "../../transport/messages";
import { Entrance, House, Premise } from "../../../entities";
import { EntranceInput, ImportHouseUOInput, NonResidentialPremisesInput, ResidentialPremisesInput } from "../../transport/messages/house-management";
import { ItemResult } from "../../transport/results/results";
import { exportRows, lower, valueAt } from "../answer";
import { MethodDescriptor, Rejection, StageContext } from "../descriptor";
import { byId, findIn, groupBy } from "../load";
import { NSI, NsiIndex } from "../nsi";
import { acceptedState, refusedState } from "../outcome";
import { Checks, PRE, houseLabel, isManagingRole } from "../preflight";
import { housesInScope, whereNeedsSending, whereObjects, ids } from "../select";
import { nestedGuid } from "../transport-guids";

export interface HouseData {
  fiasHouseGuid: string;
  /** The request without its TransportGUIDs (they come with the batch). */
  build(transportGuid: string): ImportHouseUOInput;
}

/** The manual's demands on a premise of a managed house: entrance (apartment buildings), floor, total area. */
export function premiseProblem(p: Premise, house: House): Rejection | null {
  const c = new Checks(p.id, [["Помещение", p.number], houseLabel(house)]);
  if (p.kind === "residential" && house.houseType === "MKD") c.fail(p.entranceId === null, PRE.premiseEntrance, "entranceId", "Не указан подъезд помещения");
  c.fail(!p.floor, PRE.premiseFloor, "floor", "Не указан этаж помещения");
  c.fail(p.totalArea === null, PRE.premiseArea, "totalArea", "Не указана общая площадь помещения");
  return c.ok ? null : c.first;
}

const cadastre = (n: string | null) => (n ? { cadastralNumber: n } : { noCadastralNumber: true as const });

export const importHouseUOData: MethodDescriptor<OperationInputs["importHouseUOData"], HouseData> = {
  method: "importHouseUOData",
  stage: "fund",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "house",
  batchSetting: null,
  defaultBatch: 1,
  safeToRepeat: false,

  async select(ds, scope, mode, ctx) {
    if (!isManagingRole(ctx.role)) return [];
    const houses = await housesInScope(ds, scope);
    const qb = ds.getRepository(House).createQueryBuilder("h").where("h.id IN (:...houses)", { houses: houses.length ? houses : [-1] }).andWhere("h.closedDate IS NULL");
    return ids(whereNeedsSending(whereObjects(qb, "h", scope), "h", mode, "gisHouseGuid"), "h");
  },

  async prepare(ds, houseIds, ctx) {
    const houses = [...(await byId(ds, House, houseIds)).values()];
    const entrances = groupBy(await findIn(ds, Entrance, "houseId", houseIds), (e) => e.houseId);
    const premises = groupBy(await findIn(ds, Premise, "houseId", houseIds), (p) => p.houseId);
    const nsi = await NsiIndex.load(ds, [NSI.houseState, NSI.olsonTimeZone, NSI.premisesCharacteristic]);
    const out = { ready: [] as Array<{ objectId: number; data: HouseData }>, rejected: [] as Rejection[] };
    for (const h of houses) {
      const c = new Checks(h.id, [houseLabel(h)]);
      c.fail(!h.fiasHouseGuid, PRE.noFias, "fiasHouseGuid", "Не указан ФИАС ГУИД дома");
      c.fail(h.totalArea === null, PRE.houseArea, "totalArea", "Не указана общая площадь дома");
      if (h.houseType === "MKD") {
        c.fail(h.residentialArea === null, PRE.houseArea, "residentialArea", "Не указана жилая площадь дома");
        c.fail(h.nonResidentialArea === null, PRE.houseArea, "nonResidentialArea", "Не указана нежилая площадь дома");
        c.fail(h.buildingArea === null, PRE.houseArea, "buildingArea", "Не указана площадь застройки дома");
        c.fail(h.entrancesCount === null, PRE.houseEntrances, "entrancesCount", "Не указано количество подъездов дома");
      }
      c.fail(h.floors === null, PRE.houseFloors, "floors", "Не указана этажность дома");
      c.fail((h.commissionedYear ?? h.builtYear) === null, PRE.houseYear, "commissionedYear", "Не указан год ввода дома в эксплуатацию");
      const state = nsi.byCode(NSI.houseState, h.stateCode);
      const tz = nsi.byValue(NSI.olsonTimeZone, h.timeZone ?? String(ctx.setting("gis.timeZone") ?? ""));
      c.fail(!state, PRE.nsi, "stateCode", `Не найдено состояние дома «${h.stateCode ?? ""}» в справочнике ГИС (НСИ 24)`);
      c.fail(!tz, PRE.nsi, "timeZone", `Не найдена часовая зона «${h.timeZone ?? ""}» в справочнике ГИС (НСИ 32)`);
      if (!c.ok) {
        out.rejected.push(c.first);
        continue;
      }
      const basic = {
        cadastre: cadastre(h.cadastralNumber), fiasHouseGuid: h.fiasHouseGuid!, totalSquare: h.totalArea!, state: state!,
        usedYear: (h.commissionedYear ?? h.builtYear)!, floorCount: h.floors!, olsonTZ: tz!, culturalHeritage: h.culturalHeritage,
        ...(h.oktmo ? { oktmo: { code: h.oktmo } } : {}),
      };
      const placed = !!h.gisHouseGuid;
      const houseEntrances = (entrances.get(h.id) ?? []).filter((e) => !e.gisGuid && !e.closedDate);
      const entranceNumber = new Map((entrances.get(h.id) ?? []).map((e) => [e.id, e.number]));
      const sendable = (premises.get(h.id) ?? []).filter((p) => !p.closedDate && !premiseProblem(p, h));
      out.ready.push({
        objectId: h.id,
        data: {
          fiasHouseGuid: h.fiasHouseGuid!,
          build: (tg) => h.houseType === "ZHD"
            ? { livingHouse: { transportGuid: tg, ...(placed ? { update: basic } : { create: basic }) } }
            : {
                apartmentHouse: {
                  transportGuid: tg,
                  ...(placed ? { update: { ...basic, undergroundFloorCount: h.undergroundFloors ?? 0 } } : { create: { ...basic, undergroundFloorCount: h.undergroundFloors ?? 0, ...(h.minFloors !== null ? { minFloorCount: h.minFloors } : {}) } }),
                  entrances: houseEntrances.map((e): EntranceInput => ({
                    transportGuid: nestedGuid(tg, `entrance/${e.id}`), entranceNum: e.number,
                    ...(e.floors !== null ? { storeysCount: e.floors } : {}), ...(e.builtYear !== null ? { creationYear: e.builtYear } : {}),
                  })),
                  // The builder places non-residential premises only when new: placed ones are not sent again.
                  nonResidentialPremises: sendable.filter((p) => p.kind !== "residential" && !p.gisGuid).map((p): NonResidentialPremisesInput => ({
                    transportGuid: nestedGuid(tg, `premise/${p.id}`), cadastre: cadastre(p.cadastralNumber), premisesNum: p.number,
                    totalArea: p.totalArea!, isCommonProperty: p.kind === "common",
                  })),
                  residentialPremises: sendable.filter((p) => p.kind === "residential").map((p): ResidentialPremisesInput => {
                    const characteristic = nsi.byCode(NSI.premisesCharacteristic, p.characteristicCode);
                    return {
                      transportGuid: nestedGuid(tg, `premise/${p.id}`), cadastre: cadastre(p.cadastralNumber), premisesNum: p.number,
                      entranceNum: p.entranceId !== null ? entranceNumber.get(p.entranceId) ?? null : null,
                      totalArea: p.totalArea!, grossArea: p.residentialArea,
                      ...(characteristic ? { premisesCharacteristic: characteristic } : {}),
                      ...(p.gisGuid ? { premisesGuid: p.gisGuid } : {}),
                    };
                  }),
                },
              },
        },
      });
    }
    return out;
  },

  payload: (batch) => batch[0].data.build(batch[0].transportGuid),

  async apply(em, answer, matched, ctx) {
    const items = new Map(answer.items.map((i) => [i.transportGuid, i]));
    for (const m of matched) await applyHouse(em, m.objectId, m.transportGuid, m.result.errors.length ? refusedState(m.result.errors) : null, items, ctx);
  },

  reconcile: {
    method: "exportHouseData",
    payload: (objects) => ({ fiasHouseGuid: objects[0].data.fiasHouseGuid }),
    // GIS has the house when the export returns it; nested objects it lacks go out with the next push.
    found(answer, objects) {
      const found = new Map<number, string>();
      for (const row of exportRows(answer, "exportHouseResult")) {
        const body = row.getElementsByTagNameNS("*", "BasicCharacteristicts")[0] as Element | undefined;
        const fias = body ? lower(valueAt(body, "FIASHouseGuid")) : null;
        const guid = lower(valueAt(row, "HouseGUID"));
        const o = objects.find((x) => x.data.fiasHouseGuid.toLowerCase() === fias);
        if (o && guid) found.set(o.objectId, guid);
      }
      return found;
    },
  },
};

/** The house's own outcome, then each nested entrance and premise by its derived TransportGUID. */
async function applyHouse(em: EntityManager, houseId: number, tg: string, refused: ReturnType<typeof refusedState> | null,
  items: Map<string, ItemResult>, ctx: StageContext): Promise<void> {
  const house = await em.getRepository(House).findOneByOrFail({ id: houseId });
  if (refused) {
    await em.update(House, houseId, { sync: refused });
    return;
  }
  let nestedErrors = 0;
  for (const e of await em.getRepository(Entrance).find({ where: { houseId } })) {
    const r = items.get(nestedGuid(tg, `entrance/${e.id}`));
    if (!r) continue;
    if (r.errors.length) nestedErrors++;
    await em.update(Entrance, e.id, r.errors.length ? { sync: refusedState(r.errors) } : { gisGuid: r.guid?.toLowerCase() ?? e.gisGuid, sync: acceptedState(ctx) });
  }
  for (const p of await em.getRepository(Premise).find({ where: { houseId } })) {
    const r = items.get(nestedGuid(tg, `premise/${p.id}`));
    const problem = p.closedDate ? null : premiseProblem(p, house);
    if (problem) {
      nestedErrors++;
      await em.update(Premise, p.id, { sync: { status: "error", errorCode: problem.code, errorText: problem.text } });
    } else if (r) {
      if (r.errors.length) nestedErrors++;
      await em.update(Premise, p.id, r.errors.length ? { sync: refusedState(r.errors) }
        : { gisGuid: r.guid?.toLowerCase() ?? p.gisGuid, gisUniqueNumber: r.uniqueNumber ?? p.gisUniqueNumber, sync: acceptedState(ctx) });
    }
  }
  const own = items.get(tg);
  await em.update(House, houseId, {
    ...(own?.uniqueNumber ? { gisUniqueNumber: own.uniqueNumber } : {}),
    sync: { ...acceptedState(ctx), ...(nestedErrors ? { status: "ok_nested_errors" as const } : {}) },
  });
}
