/** Houses: an apartment building's plan (entrances, floors, premises), its address, contract and units; private houses. */
import { OUR_ORG, RSO_ORG, SERVICES, SVC, ServiceDef, SvcKey, UO_ORG } from "./catalog";
import { addDays, fixed, ymd } from "./format";
import { writeMeter, writeReadings } from "./meters";
import { CITIES, City, REGION, STREETS, TIME_ZONE } from "./ru-data";
import { GenState, MeterState, PremisePlan } from "./state";
import { writeUnit } from "./units";

export function planMkd(g: GenState, remaining: number): { floors: number; entrances: number; premises: PremisePlan[]; accounts: number; built: number } {
  const r = g.rnd;
  const floors = r.pick([2, 3, 4, 5, 5, 5, 5, 9, 9, 9, 9, 10, 12, 14, 16, 17]);
  const entrances = floors <= 3 ? r.int(1, 3) : r.int(1, 6);
  const perFloor = floors <= 5 ? r.int(2, 4) : r.int(3, 6);
  const built = floors <= 5 ? r.int(1952, 1988) : r.int(1970, 2023);
  const premises: PremisePlan[] = [];
  let accounts = 0;
  const nonRes = r.chance(0.5) ? r.int(1, 3) : 0;
  for (let i = 0; i < nonRes && accounts < remaining; i++) {
    premises.push({
      kind: "non_residential",
      number: `Н${i + 1}`,
      floor: 1,
      entrance: 0,
      area10: r.int(300, 2500),
      roomsCount: 0,
      communalRooms: 0,
      accounts: 1,
    });
    accounts++;
  }
  let flat = 0;
  for (let e = 0; e < entrances; e++) {
    for (let fl = 1; fl <= floors; fl++) {
      for (let k = 0; k < perFloor; k++) {
        if (accounts >= remaining) break;
        flat++;
        const roomsCount = r.pick([1, 1, 2, 2, 2, 3, 3, 4]);
        let communal = roomsCount >= 2 && r.chance(0.04) ? roomsCount : 0;
        if (communal > remaining - accounts) communal = 0;
        const area10 = roomsCount * r.int(120, 190) + r.int(50, 140);
        premises.push({
          kind: "residential",
          number: String(flat),
          floor: fl,
          entrance: e,
          area10,
          roomsCount,
          communalRooms: communal,
          accounts: communal || 1,
        });
        accounts += communal || 1;
      }
    }
  }
  return { floors, entrances, premises, accounts, built };
}

function address(g: GenState, city: City): { street: string; text: string } {
  const street = g.rnd.pick(STREETS);
  const k = city.name + street;
  const num = (g.streetHouse.get(k) ?? 0) + g.rnd.int(1, 2);
  g.streetHouse.set(k, num);
  const korp = g.rnd.chance(0.1) ? `, корп. ${g.rnd.int(1, 3)}` : "";
  return { street, text: `${REGION}, ${city.name}, ${street}, д. ${num}${korp}` };
}

export function cadastral(g: GenState, city: City): string {
  return `${city.cadastral}:${g.rnd.digits(6)}:${g.rnd.int(1, 9999)}`;
}

export function writeHouse(g: GenState, plan: ReturnType<typeof planMkd> | null): void {
  const r = g.rnd;
  const w = g.writers;
  const houseNo = g.houseCount + 1;
  const houseId = `H${houseNo}`;
  const city = r.pick(CITIES);
  const addr = address(g, city);
  const a0 = g.accIdx;
  const a1 = a0 + (plan ? plan.accounts : 1);

  // Services delivered to this house.
  const zhd = plan === null;
  const has: Record<SvcKey, boolean> = {
    cold: zhd ? r.chance(0.75) : true,
    hot: zhd ? false : r.chance(0.75),
    sewer: false,
    power: true,
    gas: false,
    heat: zhd ? r.chance(0.1) : true,
    vdgo: false,
  };
  has.sewer = has.cold && (zhd ? r.chance(0.5) : true);
  has.gas = zhd ? r.chance(0.8) : !has.hot || r.chance(0.4);
  has.vdgo = has.gas;
  const houseServices = SERVICES.filter((s) => has[s.key]);

  // House row.
  let fias = r.uuid();
  const brokenHouse = g.targets.inRange("house_bad_fias_guid", a0, a1);
  const totalArea10 = plan ? plan.premises.reduce((s, p) => s + p.area10, 0) : r.int(600, 2200);
  const resArea10 = plan ? plan.premises.filter((p) => p.kind === "residential").reduce((s, p) => s + p.area10, 0) : totalArea10;
  const floors = plan ? plan.floors : r.int(1, 2);
  const built = plan ? plan.built : r.int(1950, 2023);
  const oktmo = r.chance(0.3) ? city.oktmo + r.digits(3) : city.oktmo;
  if (brokenHouse) fias = "not-a-guid";
  const houseLine = w.houses.obj({
    id: houseId,
    address: addr.text,
    district: r.pick(city.districts),
    fias_house_guid: fias,
    oktmo,
    house_type: zhd ? "ZHD" : "MKD",
    state_code: "2",
    total_area: fixed(Math.round(totalArea10 * 1.25), 1),
    residential_area: fixed(resArea10, 1),
    non_residential_area: fixed(totalArea10 - resArea10, 1),
    building_area: zhd ? "" : fixed(r.int(3000, 15000), 1),
    floors,
    underground_floors: zhd ? 0 : r.int(0, 1),
    min_floors: floors,
    entrances_count: plan ? plan.entrances : 0,
    built_year: built,
    commissioned_year: built + (r.chance(0.3) ? 1 : 0),
    cultural_heritage: r.chance(0.01) ? "1" : "0",
    time_zone: TIME_ZONE,
    cadastral_number: cadastral(g, city),
    closed_date: "",
  });
  if (brokenHouse) g.markBroken("house_bad_fias_guid", houseLine, houseId, fias);

  // Contract with its object and services.
  const signedYear = Math.max(built + 1, r.int(2015, 2019));
  const signed = ymd(Math.min(signedYear, g.periods[0].year - 1), r.int(1, 12), r.int(1, 28));
  const effective = addDays(signed, r.int(0, 30));
  const ownersContract = zhd || r.chance(0.7);
  if (g.centre) writeCentreContracts(g, houseNo, houseId, signed, effective, houseServices);
  else {
    w.contracts.obj({
      id: `C${houseNo}`,
      organization_id: OUR_ORG,
      kind: "supply",
      number: `${houseNo}-РСО/${signed.slice(0, 4)}`,
      signed_date: signed,
      effective_date: effective,
      planned_end_date: "",
      termination_date: "",
      termination_reason: "",
      second_party_kind: ownersContract ? "owners" : "organization",
      second_party_organization_id: ownersContract ? "" : UO_ORG,
      second_party_name: "",
      // Dated from today: the window open today (centreDates), else GIS's usual 15th–25th.
      readings_from_day: g.dated?.fromDay ?? 15,
      readings_from_next_month: "0",
      readings_to_day: g.dated?.toDay ?? 25,
      readings_to_next_month: "0",
      payment_document_day: 1,
      payment_document_next_month: "1",
      payment_day: 10,
      payment_next_month: "1",
      is_public: "1",
    });
    contractObject(g, `C${houseNo}`, `CO${houseNo}`, houseId, effective, houseServices);
  }

  // Entrances.
  const entranceIds: string[] = [];
  if (plan) {
    for (let e = 0; e < plan.entrances; e++) {
      const id = `E${++g.n.entrance}`;
      entranceIds.push(id);
      w.entrances.obj({ id, house_id: houseId, number: String(e + 1), floors: plan.floors, built_year: built, closed_date: "" });
    }
  }

  // Units: a premise (one or several accounts) or, for a private house, the house itself.
  const lastYear = g.periods[0].year - 1;
  const opened = (y0: number) => ymd(r.int(Math.min(Math.max(y0, 2005), lastYear), lastYear), r.int(1, 12), r.int(1, 28));
  if (!plan) {
    writeUnit(g, { houseId, city, zhd: true, has, houseServices, built, premise: null, premiseId: "", opened, ownersContract, houseArea10: totalArea10 });
  } else {
    for (const p of plan.premises) {
      const premiseId = `P${++g.n.premise}`;
      const brokenArea = g.targets.inRange("premise_area_not_number", g.accIdx, g.accIdx + p.accounts);
      const area = brokenArea ? "abc" : fixed(p.area10, 1);
      const line = w.premises.obj({
        id: premiseId,
        house_id: houseId,
        entrance_id: entranceIds[p.entrance],
        kind: p.kind,
        number: p.number,
        floor: String(p.floor),
        total_area: area,
        residential_area: p.kind === "residential" ? fixed(Math.round(p.area10 * 0.62), 1) : "",
        rooms_count: p.kind === "residential" ? p.roomsCount : "",
        residents_count: "",
        cadastral_number: cadastral(g, city),
        characteristic_code: p.kind === "residential" ? (p.communalRooms ? "2" : "1") : "",
        closed_date: "",
      });
      if (brokenArea) g.markBroken("premise_area_not_number", line, premiseId, area);
      writeUnit(g, { houseId, city, zhd: false, has, houseServices, built, premise: p, premiseId, opened, ownersContract, houseArea10: totalArea10 });
    }
    // Common-house meters (ОДПУ): cold water and heat, read monthly, no accounts.
    const common: MeterState[] = [];
    const scale = 1 + Math.floor(plan.accounts / 10);
    common.push(
      writeMeter(g, {
        org: g.centre ? UO_ORG : OUR_ORG,
        houseId,
        premiseId: "",
        roomId: "",
        resource: "1",
        svc: SVC.cold,
        type: "common_house",
        ownerAcc: -1,
        shares: 0,
        built,
        perMonth: [2500 * scale, 4200 * scale],
        tariffs: 1,
      }),
    );
    if (has.heat)
      common.push(
        writeMeter(g, {
          org: g.centre ? UO_ORG : OUR_ORG,
          houseId,
          premiseId: "",
          roomId: "",
          resource: "5",
          svc: SVC.heat,
          type: "common_house",
          ownerAcc: -1,
          shares: 0,
          built,
          perMonth: [800 * scale, 2200 * scale],
          tariffs: 1,
        }),
      );
    for (let m = 0; m < g.periods.length; m++) writeReadings(g, common, m, !g.dated);
    if (g.dated) writeReadings(g, common, g.periods.length);
  }
}

function contractObject(g: GenState, contractId: string, id: string, houseId: string, start: string, services: readonly ServiceDef[]): void {
  g.writers.contract_objects.obj({ id, contract_id: contractId, house_id: houseId, premise_id: "", room_id: "", start_date: start, end_date: "" });
  for (const s of services) g.writers.contract_services.row([id, s.id, start, ""]);
}

/**
 * The centre's bundle: the managing organization's management contract (decided by the owners'
 * meeting, running until a date past today) and the supplier's direct supply contract with the
 * owners for electricity, both stating the readings window that is open today.
 */
function writeCentreContracts(g: GenState, houseNo: number, houseId: string, signed: string, effective: string, services: readonly ServiceDef[]): void {
  const c = g.centre!;
  const common = {
    signed_date: signed,
    effective_date: effective,
    termination_date: "",
    termination_reason: "",
    second_party_kind: "owners",
    second_party_organization_id: "",
    second_party_name: "",
    readings_from_day: c.fromDay,
    readings_from_next_month: "0",
    readings_to_day: c.toDay,
    readings_to_next_month: "0",
    payment_document_day: 1,
    payment_document_next_month: "1",
    payment_day: 10,
    payment_next_month: "1",
  };
  const year = signed.slice(0, 4);
  g.writers.contracts.obj({
    ...common,
    id: `C${houseNo}`,
    organization_id: UO_ORG,
    kind: "management",
    number: `${houseNo}-ДУ/${year}`,
    planned_end_date: `${Number(c.today.slice(0, 4)) + 3}-12-31`,
    is_public: "0",
  });
  contractObject(
    g,
    `C${houseNo}`,
    `CO${houseNo}`,
    houseId,
    effective,
    services.filter((s) => g.providerOf(s) === UO_ORG),
  );
  g.writers.contracts.obj({
    ...common,
    id: `CS${houseNo}`,
    organization_id: RSO_ORG,
    kind: "supply",
    number: `${houseNo}-ЭС/${year}`,
    planned_end_date: "",
    is_public: "1",
  });
  contractObject(
    g,
    `CS${houseNo}`,
    `COS${houseNo}`,
    houseId,
    effective,
    services.filter((s) => g.providerOf(s) === RSO_ORG),
  );
}
