/**
 * importHouseUOData (house-management), for managing roles (УО, ТСЖ, ЖК, ЖСК): one house per
 * request with its entrances, premises and the living rooms of its premises (or of a living house).
 * Each nested object carries a TransportGUID derived from the house's, so its result finds it
 * again. A premise that fails its checks stays out of the request and gets its own error; the house
 * then ends "ok with errors in nested objects".
 *
 * Object action «annul» («Удалить в ГИС» on a premises' or an entrance's card): the chosen objects
 * GIS has are marked deleted here and go with their house's request as …ToUpdate with
 * AnnulmentReason (NSI 330, the object's annulmentReasonCode). Any premises / entrance deleted here
 * with an annulment reason and not yet annulled in GIS goes the same way in an ordinary push.
 *
 * Every GUID, unique number and sync state read or written is the run's stand's (ctx.stand).
 */
import { DataSource, EntityManager, In } from "typeorm";
import { Entrance, House, Premise, Room } from "../../../entities";
import { ItemResult } from "../../transport/results/results";
import { exportRows, lower, valueAt } from "../../stages/answer";
import { Rejection, Scope, StageContext } from "../../stages/descriptor";
import { groupBy } from "../../stages/load";
import { NSI, NsiIndex } from "../../stages/nsi";
import { acceptedState, refusedState } from "../../stages/outcome";
import { Checks, PRE, houseLabel, isManagingRole } from "../../stages/preflight";
import { housesInScope, whereNeedsSending, whereObjects, ids } from "../../stages/select";
import { nestedGuid } from "../../stages/transport-guids";
import { AtStand, findAt, loadAt, oneAt } from "../../storage/identity/store";
import { updateAt, updateManyAt } from "../../storage/identity/update";
import { defineMethod } from "../method";
import {
  EntranceInput,
  ImportHouseUOInput,
  LivingRoomInput,
  NonResidentialPremisesInput,
  ResidentialPremisesInput,
  importHouseUOBody,
} from "./fund/house-message";

export type { ImportHouseUOInput } from "./fund/house-message";

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

type Annullable = Pick<AtStand<"premise"> | AtStand<"entrance">, "closedDate" | "gisGuid" | "annulmentReasonCode" | "sync">;

/** Deleted here, known to GIS, with a reason, and GIS has not yet accepted its annulment. */
export const awaitsAnnulment = (o: Annullable): boolean =>
  !!o.closedDate &&
  !!o.gisGuid &&
  !!o.annulmentReasonCode &&
  !(o.sync.status === "ok" && !!o.sync.syncedAt && (!o.sync.changedAt || o.sync.changedAt <= o.sync.syncedAt));

/** An object awaiting annulment whose reason is not in NSI 330: it stays out of the request with this error. */
function annulmentProblem(o: Annullable & { id: number }, what: string, number: string, nsi: NsiIndex): Rejection | null {
  const c = new Checks(o.id, [[what, number]]);
  c.fail(
    !nsi.byCode(NSI.fundAnnulmentReason, o.annulmentReasonCode),
    PRE.nsi,
    "annulmentReasonCode",
    `Не найдена причина аннулирования «${o.annulmentReasonCode ?? ""}» в справочнике ГИС (НСИ 330)`,
  );
  return c.ok ? null : c.first;
}

const cadastre = (n: string | null) => (n ? { cadastralNumber: n } : { noCadastralNumber: true as const });

const ANNULLED_KINDS = { premise: Premise, entrance: Entrance } as const;
type AnnulledKind = keyof typeof ANNULLED_KINDS;

/**
 * The annul action: the chosen premises / entrances GIS has are marked deleted here and awaiting
 * annulment (today's date unless already closed; sent again even if GIS accepted them before);
 * their houses are what the action sends.
 */
async function selectForAnnulment(ds: DataSource, scope: Scope, ctx: StageContext): Promise<number[]> {
  const kind = scope.objectType as AnnulledKind;
  if (!Object.hasOwn(ANNULLED_KINDS, kind) || !scope.objectIds?.length) return [];
  const chosen = (await findAt(ds, kind, "id", scope.objectIds, ctx.stand)).filter((o) => o.gisGuid && o.sync.status !== "in_progress");
  const today = ctx.now.toISOString().slice(0, 10);
  await updateManyAt(
    ds,
    ctx.stand,
    ANNULLED_KINDS[kind],
    chosen.map((o) => ({ id: o.id, patch: { closedDate: o.closedDate ?? today, sync: { status: "not_sent", changedAt: ctx.now } } })),
  );
  const houses = new Set(chosen.map((o) => o.houseId));
  const inScope = new Set(await housesInScope(ds, { ...scope, objectIds: undefined }));
  const placed = await ds.getRepository(House).find({ select: { id: true }, where: { id: In([...houses, -1]) } });
  return placed
    .filter((h) => inScope.has(h.id))
    .map((h) => h.id)
    .sort((a, b) => a - b);
}

export const importHouseUOData = defineMethod<ImportHouseUOInput, HouseData>({
  name: "importHouseUOData",
  service: "house-management",
  element: "importHouseUORequest",
  // Not fixed in either package: 13.2.3.2 is the newest documented one (the other is 11.0.10.1).
  versions: { "16.3.0.0": "13.2.3.2", "14.4.0.1": "13.2.3.2" },

  body: importHouseUOBody,

  descriptor: {
    stage: "fund",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "house",
    batchSetting: null,
    defaultBatch: 1,
    safeToRepeat: false,
    actions: ["annul"],

    async select(ds, scope, mode, ctx) {
      if (!isManagingRole(ctx.role)) return [];
      if (scope.action === "annul") return selectForAnnulment(ds, scope, ctx);
      const houses = await housesInScope(ds, scope);
      const qb = ds
        .getRepository(House)
        .createQueryBuilder("h")
        .where("h.id IN (:...houses)", { houses: houses.length ? houses : [-1] })
        .andWhere("h.closedDate IS NULL");
      return ids(whereNeedsSending(whereObjects(qb, "h", scope), "h", mode, "gisHouseGuid", ctx.stand, scope), "h");
    },

    prepare: (ds, houseIds, ctx) => prepareHouses(ds, houseIds, ctx),

    payload: (batch) => batch[0].data.build(batch[0].transportGuid),

    async apply(em, answer, matched, ctx) {
      const items = new Map(answer.items.map((i) => [i.transportGuid, i]));
      const nsi = await NsiIndex.load(em, [NSI.fundAnnulmentReason]);
      for (const m of matched)
        await applyHouse(em, m.objectId, m.transportGuid, m.result.errors.length ? refusedState(m.result.errors) : null, items, nsi, ctx);
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
  },
});

async function prepareHouses(
  ds: DataSource,
  houseIds: number[],
  ctx: StageContext,
): Promise<{ ready: Array<{ objectId: number; data: HouseData }>; rejected: Rejection[] }> {
  const houses = [...(await loadAt(ds, "house", houseIds, ctx.stand)).values()];
  const entrances = groupBy(await findAt(ds, "entrance", "houseId", houseIds, ctx.stand), (e) => e.houseId);
  const premises = groupBy(await findAt(ds, "premise", "houseId", houseIds, ctx.stand), (p) => p.houseId);
  const rooms = groupBy(await findAt(ds, "room", "houseId", houseIds, ctx.stand), (r) => r.houseId);
  const nsi = await NsiIndex.load(ds, [NSI.houseState, NSI.olsonTimeZone, NSI.premisesCharacteristic, NSI.fundAnnulmentReason]);
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
      cadastre: cadastre(h.cadastralNumber),
      fiasHouseGuid: h.fiasHouseGuid!,
      totalSquare: h.totalArea!,
      state: state!,
      usedYear: (h.commissionedYear ?? h.builtYear)!,
      floorCount: h.floors!,
      olsonTZ: tz!,
      culturalHeritage: h.culturalHeritage,
      ...(h.oktmo ? { oktmo: { code: h.oktmo } } : {}),
    };
    const placed = !!h.gisHouseGuid;
    const allEntrances = entrances.get(h.id) ?? [];
    const entranceNumber = new Map(allEntrances.map((e) => [e.id, e.number]));
    const allPremises = premises.get(h.id) ?? [];
    const sendable = allPremises.filter((p) => !p.closedDate && !premiseProblem(p, h));
    const annulled = <T extends Annullable & { id: number; number: string }>(xs: T[], what: string) =>
      xs.filter((x) => awaitsAnnulment(x) && !annulmentProblem(x, what, x.number, nsi));
    const reason = (o: Annullable) => ({ annulment: { reason: nsi.byCode(NSI.fundAnnulmentReason, o.annulmentReasonCode)! } });
    /** New rooms of a premises sent now (or of the living house itself): placed rooms are not sent again. */
    const newRooms = (tg: string, premiseId: number | null): LivingRoomInput[] =>
      (rooms.get(h.id) ?? [])
        .filter((r) => r.premiseId === premiseId && !r.gisGuid && !r.closedDate)
        .map((r) => ({
          transportGuid: nestedGuid(tg, `room/${r.id}`),
          cadastre: cadastre(r.cadastralNumber),
          roomNumber: r.number,
          ...(r.area !== null ? { square: r.area } : {}),
        }));
    const roomsOf = (tg: string, premiseId: number | null) => {
      const rs = newRooms(tg, premiseId);
      return rs.length ? { rooms: rs } : {};
    };
    out.ready.push({
      objectId: h.id,
      data: {
        fiasHouseGuid: h.fiasHouseGuid!,
        build: (tg) =>
          h.houseType === "ZHD"
            ? { livingHouse: { transportGuid: tg, ...(placed ? { update: basic } : { create: basic }), ...roomsOf(tg, null) } }
            : {
                apartmentHouse: {
                  transportGuid: tg,
                  ...(placed
                    ? { update: { ...basic, undergroundFloorCount: h.undergroundFloors ?? 0 } }
                    : {
                        create: { ...basic, undergroundFloorCount: h.undergroundFloors ?? 0, ...(h.minFloors !== null ? { minFloorCount: h.minFloors } : {}) },
                      }),
                  entrances: [
                    ...allEntrances
                      .filter((e) => !e.gisGuid && !e.closedDate)
                      .map(
                        (e): EntranceInput => ({
                          transportGuid: nestedGuid(tg, `entrance/${e.id}`),
                          entranceNum: e.number,
                          ...(e.floors !== null ? { storeysCount: e.floors } : {}),
                          ...(e.builtYear !== null ? { creationYear: e.builtYear } : {}),
                        }),
                      ),
                    ...annulled(allEntrances, "Подъезд").map(
                      (e): EntranceInput => ({
                        transportGuid: nestedGuid(tg, `entrance/${e.id}`),
                        entranceNum: e.number,
                        entranceGuid: e.gisGuid!,
                        ...reason(e),
                      }),
                    ),
                  ],
                  // The builder places non-residential premises only when new: placed ones are not sent again.
                  nonResidentialPremises: [
                    ...sendable
                      .filter((p) => p.kind !== "residential" && !p.gisGuid)
                      .map(
                        (p): NonResidentialPremisesInput => ({
                          transportGuid: nestedGuid(tg, `premise/${p.id}`),
                          cadastre: cadastre(p.cadastralNumber),
                          premisesNum: p.number,
                          totalArea: p.totalArea!,
                          isCommonProperty: p.kind === "common",
                        }),
                      ),
                    ...annulled(
                      allPremises.filter((p) => p.kind !== "residential"),
                      "Помещение",
                    ).map(
                      (p): NonResidentialPremisesInput => ({
                        transportGuid: nestedGuid(tg, `premise/${p.id}`),
                        cadastre: cadastre(p.cadastralNumber),
                        premisesNum: p.number,
                        premisesGuid: p.gisGuid!,
                        ...reason(p),
                      }),
                    ),
                  ],
                  residentialPremises: [
                    ...sendable
                      .filter((p) => p.kind === "residential")
                      .map((p): ResidentialPremisesInput => {
                        const characteristic = nsi.byCode(NSI.premisesCharacteristic, p.characteristicCode);
                        const ptg = nestedGuid(tg, `premise/${p.id}`);
                        return {
                          transportGuid: ptg,
                          cadastre: cadastre(p.cadastralNumber),
                          premisesNum: p.number,
                          entranceNum: p.entranceId !== null ? (entranceNumber.get(p.entranceId) ?? null) : null,
                          totalArea: p.totalArea!,
                          grossArea: p.residentialArea,
                          ...(characteristic ? { premisesCharacteristic: characteristic } : {}),
                          ...(p.gisGuid ? { premisesGuid: p.gisGuid } : {}),
                          ...roomsOf(tg, p.id),
                        };
                      }),
                    ...annulled(
                      allPremises.filter((p) => p.kind === "residential"),
                      "Помещение",
                    ).map(
                      (p): ResidentialPremisesInput => ({
                        transportGuid: nestedGuid(tg, `premise/${p.id}`),
                        cadastre: cadastre(p.cadastralNumber),
                        premisesNum: p.number,
                        premisesGuid: p.gisGuid!,
                        entranceNum: p.entranceId !== null ? (entranceNumber.get(p.entranceId) ?? null) : null,
                        ...reason(p),
                      }),
                    ),
                  ],
                },
              },
      },
    });
  }
  return out;
}

/** The house's own outcome, then each nested entrance, premise and room by its derived TransportGUID (on the run's stand). */
async function applyHouse(
  em: EntityManager,
  houseId: number,
  tg: string,
  refused: ReturnType<typeof refusedState> | null,
  items: Map<string, ItemResult>,
  nsi: NsiIndex,
  ctx: StageContext,
): Promise<void> {
  const house = await oneAt(em, "house", houseId, ctx.stand);
  if (!house) throw new Error(`importHouseUOData: дом ${houseId} не найден`);
  if (refused) {
    await updateAt(em, ctx.stand, House, houseId, { sync: refused });
    return;
  }
  let nestedErrors = 0;
  const entrancePatches: Patches = [];
  const premisePatches: Patches = [];
  const roomPatches: Patches = [];
  const failed = (patches: Patches, id: number, problem: Rejection) => {
    nestedErrors++;
    patches.push({ id, patch: { sync: { status: "error", errorCode: problem.code, errorText: problem.text } } });
  };
  for (const e of await findAt(em, "entrance", "houseId", [houseId], ctx.stand)) {
    const r = items.get(nestedGuid(tg, `entrance/${e.id}`));
    const problem = awaitsAnnulment(e) ? annulmentProblem(e, "Подъезд", e.number, nsi) : null;
    if (problem) failed(entrancePatches, e.id, problem);
    if (!r || problem) continue;
    if (r.errors.length) nestedErrors++;
    entrancePatches.push({
      id: e.id,
      patch: r.errors.length ? { sync: refusedState(r.errors) } : { gisGuid: r.guid?.toLowerCase() ?? e.gisGuid, sync: acceptedState(ctx) },
    });
  }
  for (const p of await findAt(em, "premise", "houseId", [houseId], ctx.stand)) {
    const r = items.get(nestedGuid(tg, `premise/${p.id}`));
    const problem = p.closedDate ? (awaitsAnnulment(p) ? annulmentProblem(p, "Помещение", p.number, nsi) : null) : premiseProblem(p, house);
    if (problem) failed(premisePatches, p.id, problem);
    else if (r) {
      if (r.errors.length) nestedErrors++;
      premisePatches.push({
        id: p.id,
        patch: r.errors.length
          ? { sync: refusedState(r.errors) }
          : { gisGuid: r.guid?.toLowerCase() ?? p.gisGuid, gisUniqueNumber: r.uniqueNumber ?? p.gisUniqueNumber, sync: acceptedState(ctx) },
      });
    }
  }
  for (const room of await findAt(em, "room", "houseId", [houseId], ctx.stand)) {
    const r = items.get(nestedGuid(tg, `room/${room.id}`));
    if (!r) continue;
    if (r.errors.length) nestedErrors++;
    roomPatches.push({
      id: room.id,
      patch: r.errors.length
        ? { sync: refusedState(r.errors) }
        : { gisGuid: r.guid?.toLowerCase() ?? room.gisGuid, gisUniqueNumber: r.uniqueNumber ?? room.gisUniqueNumber, sync: acceptedState(ctx) },
    });
  }
  await updateManyAt(em, ctx.stand, Entrance, entrancePatches);
  await updateManyAt(em, ctx.stand, Premise, premisePatches);
  await updateManyAt(em, ctx.stand, Room, roomPatches);
  const own = items.get(tg);
  await updateAt(em, ctx.stand, House, houseId, {
    ...(own?.uniqueNumber ? { gisUniqueNumber: own.uniqueNumber } : {}),
    sync: { ...acceptedState(ctx), ...(nestedErrors ? { status: "ok_nested_errors" as const } : {}) },
  });
}

type Patches = Array<{ id: number; patch: Record<string, unknown> }>;
