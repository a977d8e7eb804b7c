/**
 * What coding needs from a ГАР extract, read in streaming passes and kept small: all actual
 * settlements and streets (levels ≤ 8); parent links of those and of whatever stands directly
 * under them (two numbers per house); the houses under the settlements and streets we matched;
 * and OKTMO for the objects finally matched.
 */
import { GarFiles } from "./gar-files";
import { forEachInFiles } from "./gar-reader";
import { HouseObject, NamedObject } from "./match";

export interface GarAddrObject extends NamedObject {
  level: number;
}

export type GarHouse = HouseObject;

/** ГАР levels: 1 region … 5 city, 6 settlement, 7 planning structure, 8 street, 10 building. */
export const SETTLEMENT_LEVELS = new Set([1, 4, 5, 6]);
export const STREET_LEVELS = new Set([7, 8]);

/** ADDTYPE1/2: 1 корпус, 2 строение, 3 сооружение, 4 литера. HOUSETYPE: 1 владение, 2 дом, 3 домовладение… */
const HOUSE_TYPE: Record<string, string> = { "1": "влд.", "2": "д.", "3": "двлд.", "5": "зд.", "7": "стр.", "8": "соор.", "10": "к." };

export class GarIndex {
  readonly addr = new Map<number, GarAddrObject>();
  readonly houses = new Map<number, GarHouse>();
  readonly byGuid = new Map<string, number>();
  readonly parent = new Map<number, number>();
  readonly children = new Map<number, number[]>();
  readonly oktmo = new Map<number, string>();
  private readonly munOktmo = new Map<number, string>();
  readonly counts = { addr: 0, houses: 0, hierarchy: 0, params: 0 };

  constructor(readonly files: GarFiles) {}

  async loadAddressObjects(): Promise<void> {
    this.counts.addr = await forEachInFiles(this.files.addrObj, "OBJECT", (a) => {
      if (a.ISACTUAL !== "1" || a.ISACTIVE !== "1") return;
      const level = Number(a.LEVEL);
      if (!(level <= 8)) return;
      const objectId = Number(a.OBJECTID);
      const guid = a.OBJECTGUID.toLowerCase();
      this.addr.set(objectId, { objectId, guid, name: a.NAME, type: a.TYPENAME ?? "", level, title: `${a.TYPENAME ? `${a.TYPENAME}. ` : ""}${a.NAME}` });
      this.byGuid.set(guid, objectId);
    });
  }

  /**
   * Parent links (administrative division preferred; municipal if that is all there is): of the
   * address objects, and of objects directly under one — houses, land plots. Flats and rooms,
   * the bulk of the file, stand under houses and are skipped.
   */
  async loadHierarchy(): Promise<void> {
    const useAdm = this.files.admHierarchy.length > 0;
    const files = useAdm ? this.files.admHierarchy : this.files.munHierarchy;
    this.counts.hierarchy = await forEachInFiles(files, "ITEM", (a) => {
      if (a.ISACTIVE !== "1") return;
      const id = Number(a.OBJECTID);
      const parent = Number(a.PARENTOBJID);
      if (!this.addr.has(id) && !this.addr.has(parent)) return;
      this.parent.set(id, parent);
      if (this.addr.has(id)) {
        if (!this.children.has(parent)) this.children.set(parent, []);
        this.children.get(parent)!.push(id);
      }
      if (!useAdm && a.OKTMO) this.munOktmo.set(id, a.OKTMO);
    });
  }

  /** Keeps only the houses standing under the given objects: the region file holds millions. */
  async loadHousesUnder(parents: Set<number>): Promise<void> {
    this.counts.houses = await forEachInFiles(this.files.houses, "HOUSE", (a) => {
      if (a.ISACTUAL !== "1" || a.ISACTIVE !== "1") return;
      const objectId = Number(a.OBJECTID);
      const parent = this.parent.get(objectId);
      if (parent === undefined || !parents.has(parent)) return;
      const number = a.HOUSENUM ?? "";
      const adds: Array<[string | undefined, string | undefined]> = [
        [a.ADDNUM1, a.ADDTYPE1],
        [a.ADDNUM2, a.ADDTYPE2],
      ];
      let building: string | null = null;
      let structure: string | null = null;
      for (const [num, type] of adds) {
        if (!num) continue;
        if (type === "1") building = num;
        else structure = structure ? `${structure} ${num}` : num;
      }
      const guid = a.OBJECTGUID.toLowerCase();
      const title = [`${HOUSE_TYPE[a.HOUSETYPE ?? "2"] ?? "д."} ${number}`, building && `к. ${building}`, structure && `стр. ${structure}`]
        .filter(Boolean)
        .join(" ");
      this.houses.set(objectId, { objectId, guid, number, building, structure, title });
      this.byGuid.set(guid, objectId);
      if (!this.children.has(parent)) this.children.set(parent, []);
      this.children.get(parent)!.push(objectId);
    });
  }

  /** The object and its planning-structure elements (level 7): where houses of an address without a street stand. */
  withPlanningElements(objectId: number): number[] {
    return [objectId, ...(this.children.get(objectId) ?? []).filter((c) => this.addr.get(c)?.level === 7)];
  }

  /** OKTMO (param TYPEID 7, the current value) for the given objects; the municipal hierarchy as a fallback. */
  async loadOktmo(objectIds: Set<number>, today = new Date().toISOString().slice(0, 10)): Promise<void> {
    const start = new Map<number, string>();
    const take = (a: Record<string, string>) => {
      if (a.TYPEID !== "7") return;
      const id = Number(a.OBJECTID);
      if (!objectIds.has(id) || (a.ENDDATE && a.ENDDATE < today)) return;
      if ((start.get(id) ?? "") > (a.STARTDATE ?? "")) return;
      start.set(id, a.STARTDATE ?? "");
      this.oktmo.set(id, a.VALUE);
    };
    this.counts.params = await forEachInFiles([...this.files.addrObjParams, ...this.files.housesParams], "PARAM", take);
    const missing = [...objectIds].filter((id) => !this.oktmo.has(id));
    if (missing.length && this.files.admHierarchy.length && this.files.munHierarchy.length) {
      const want = new Set(missing);
      await forEachInFiles(this.files.munHierarchy, "ITEM", (a) => {
        const id = Number(a.OBJECTID);
        if (a.ISACTIVE === "1" && a.OKTMO && want.has(id)) this.munOktmo.set(id, a.OKTMO);
      });
    }
    for (const [id, v] of this.munOktmo) if (objectIds.has(id) && !this.oktmo.has(id)) this.oktmo.set(id, v);
  }

  isUnder(objectId: number, ancestor: number): boolean {
    for (let id: number | undefined = objectId, guard = 0; id !== undefined && guard < 20; id = this.parent.get(id), guard++) {
      if (id === ancestor) return true;
    }
    return false;
  }

  settlements(main: number | null): GarAddrObject[] {
    return [...this.addr.values()].filter((o) => SETTLEMENT_LEVELS.has(o.level) && (main === null || this.isUnder(o.objectId, main)));
  }

  /** Streets of a settlement, also those under a planning-structure element (level 7). */
  streetsUnder(settlement: number): GarAddrObject[] {
    const out: GarAddrObject[] = [];
    const queue = [...(this.children.get(settlement) ?? [])];
    while (queue.length) {
      const o = this.addr.get(queue.shift()!);
      if (!o || !STREET_LEVELS.has(o.level)) continue;
      out.push(o);
      queue.push(...(this.children.get(o.objectId) ?? []));
    }
    return out;
  }

  /** Houses directly under the object, or under its planning-structure elements. */
  housesUnder(parent: number): GarHouse[] {
    const out: GarHouse[] = [];
    const queue = [parent];
    while (queue.length) {
      const id = queue.shift()!;
      for (const c of this.children.get(id) ?? []) {
        const h = this.houses.get(c);
        if (h) out.push(h);
        else if (this.addr.get(c)?.level === 7 && id === parent) queue.push(c);
      }
    }
    return out;
  }
}
