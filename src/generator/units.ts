/** One unit of a house — a premises (with its rooms in a communal flat) or a private house —, its accounts and payers, meters and months. */
import { BUSINESS_KINDS, BUSINESS_NAMES, City, FEMALE_NAMES, femaleSurname, MALE_NAMES, PATRONYMICS, REGION, SURNAMES } from "./ru-data";
import { makeInn10, makeKpp, makeOgrn13, makeSnils } from "./checksums";
import { METERING, OUR_ORG, RSO_ORG, SVC, ServiceDef, SvcKey, UO_ORG } from "./catalog";
import { writeDocument } from "./documents";
import { fixed } from "./format";
import { writeMeter, writeReadings } from "./meters";
import { AccountState, GenState, MeterState, PremisePlan } from "./state";

function person(g: GenState): { last: string; first: string; middle: string } {
  const r = g.rnd;
  const male = r.chance(0.45);
  const sur = r.pick(SURNAMES);
  const pat = r.pick(PATRONYMICS);
  return male ? { last: sur, first: r.pick(MALE_NAMES), middle: pat[0] } : { last: femaleSurname(sur), first: r.pick(FEMALE_NAMES), middle: pat[1] };
}

export function writeUnit(
  g: GenState,
  u: {
    houseId: string;
    city: City;
    zhd: boolean;
    has: Record<SvcKey, boolean>;
    houseServices: readonly ServiceDef[];
    built: number;
    premise: PremisePlan | null;
    premiseId: string;
    opened: (y0: number) => string;
    ownersContract: boolean;
    houseArea10: number;
  },
): void {
  const r = g.rnd;
  const w = g.writers;
  const p = u.premise;
  const nonRes = p?.kind === "non_residential";
  const rooms = p?.communalRooms ?? 0;
  const accounts: AccountState[] = [];
  /** The centre's bundle: each payer's account with the supplier (electricity, a direct contract with the owner). */
  const twins: AccountState[] = [];
  const accountOrg = g.centre ? UO_ORG : OUR_ORG;
  const roomIds: string[] = [];
  const unitArea10 = p ? p.area10 : u.houseArea10;

  if (rooms > 0) {
    for (let k = 0; k < rooms; k++) {
      const id = `K${++g.n.room}`;
      roomIds.push(id);
      w.rooms.obj({
        id,
        house_id: u.houseId,
        premise_id: u.premiseId,
        number: String(k + 1),
        floor: String(p!.floor),
        area: fixed(Math.round((unitArea10 * 0.6) / rooms), 1),
        cadastral_number: "",
        closed_date: "",
      });
    }
  }

  // Accounts of the unit.
  const nAcc = rooms || 1;
  for (let k = 0; k < nAcc; k++) {
    const idx = g.accIdx++;
    const id = `A${idx + 1}`;
    const residents = nonRes ? 0 : rooms ? r.int(1, 3) : r.int(1, Math.min(6, (p?.roomsCount ?? 3) + 2));
    const area10 = rooms ? Math.round(unitArea10 / rooms) : unitArea10;
    const number = String(1600000000 + idx + 1);
    const acc: AccountState = { idx, id, org: accountOrg, number, residents, area10, isOrg: nonRes, balanceKop: 0, meters: [] };
    accounts.push(acc);
    let payer: Record<string, string> = {};
    if (nonRes) {
      const orgId = `O${++g.n.org}`;
      const name = `${r.pick(BUSINESS_KINDS)} «${r.pick(BUSINESS_NAMES)}»`;
      const org = {
        id: orgId,
        full_name: `Общество с ограниченной ответственностью «${name.split("«")[1].replace("»", "")}»`,
        short_name: `ООО «${name.split("«")[1]}`,
        inn: makeInn10(r),
        kpp: makeKpp(r),
        ogrn: makeOgrn13(r),
        is_ours: "0",
        is_managing_company: "0",
        is_supplier: "0",
        is_payment_source: "0",
        is_payment_recipient: "0",
        is_information_provider: "0",
        address: `${REGION}, ${u.city.name}`,
      };
      w.organizations.obj(org);
      payer = { payer_kind: "organization", payer_organization_id: orgId };
    } else {
      const who = person(g);
      payer = {
        payer_kind: "person",
        payer_last_name: who.last,
        payer_first_name: who.first,
        payer_middle_name: r.chance(0.97) ? who.middle : "",
        payer_snils: r.chance(0.6) ? makeSnils(r) : "",
        payer_document_type: "1",
        payer_document_series: `${r.digits(2)} ${r.digits(2)}`,
        payer_document_number: r.digits(6),
      };
    }
    const brokenNumber = g.targets.has("account_missing_number", idx);
    const opened = u.opened(u.built + 1);
    const row = {
      id,
      organization_id: accountOrg,
      number: brokenNumber ? "" : number,
      account_type: g.centre ? "UO" : "RSO",
      opened_date: opened,
      closed_date: "",
      close_reason_code: "",
      close_description: "",
      total_area: fixed(area10, 1),
      residential_area: nonRes ? "" : fixed(Math.round(area10 * 0.62), 1),
      heated_area: fixed(area10, 1),
      residents_count: residents,
      ...payer,
      payer_is_renter: "0",
      payment_share: "1",
    };
    const line = w.accounts.obj(row);
    if (brokenNumber) g.markBroken("account_missing_number", line, id, "");

    // Link to the premise / room / house.
    const brokenLink = g.targets.has("account_premise_unknown_premise", idx);
    const link = {
      account_id: id,
      house_id: u.zhd ? u.houseId : "",
      premise_id: rooms ? "" : u.premiseId,
      room_id: rooms ? roomIds[k] : "",
      share_percent: "100",
    };
    if (brokenLink) link.premise_id = `P${g.n.premise + 1000000000}`;
    const lline = w.account_premises.obj(link);
    if (brokenLink)
      g.markBroken("account_premise_unknown_premise", lline, [link.account_id, link.premise_id, link.room_id, link.house_id].join("|"), link.premise_id);
    if (g.centre) {
      // The same payer with the supplier: its own account number, the same premises; never one of the broken objects.
      const twin: AccountState = { ...acc, id: `AR${idx + 1}`, org: RSO_ORG, number: String(2600000000 + idx + 1), meters: [] };
      twins.push(twin);
      w.accounts.obj({ ...row, id: twin.id, organization_id: RSO_ORG, number: twin.number, account_type: "RSO" });
      w.account_premises.obj({
        account_id: twin.id,
        house_id: "",
        premise_id: rooms ? "" : u.premiseId,
        room_id: rooms ? roomIds[k] : "",
        share_percent: "100",
      });
    }
  }

  // Meters: shared ones belong to the premise (all accounts); electricity per room in communal flats.
  const resident = (n: number, res: string): [number, number] => {
    const [lo, hi] = METERING[res].perResident;
    return [lo * Math.max(1, n), hi * Math.max(1, n)];
  };
  const totalResidents = accounts.reduce((s, a) => s + a.residents, 0);
  const owner = accounts[0].idx;
  const link = (m: MeterState, accs: AccountState[]) => {
    for (const a of accs) {
      a.meters.push(m);
      w.meter_accounts.raw(`${m.id};${a.id}`);
    }
  };
  const unitMeters: MeterState[] = [];
  const base = { org: accountOrg, houseId: u.houseId, premiseId: u.premiseId, built: u.built, shares: accounts.length };
  // Electricity is the supplier's in the centre's bundle: its meters and its accounts.
  const power = g.centre ? { org: RSO_ORG } : {};
  const powerAccounts = g.centre ? twins : accounts;
  // Electricity first: every account owns one, so broken-object targets always find a meter.
  if (rooms) {
    for (let k = 0; k < accounts.length; k++) {
      const a = accounts[k];
      const m = writeMeter(g, {
        ...base,
        ...power,
        roomId: roomIds[k],
        resource: "3",
        svc: SVC.power,
        type: "room",
        ownerAcc: a.idx,
        shares: 1,
        perMonth: resident(a.residents, "3"),
        tariffs: 1,
      });
      link(m, [powerAccounts[k]]);
      unitMeters.push(m);
    }
  } else {
    const tariffs = r.chance(0.3) ? 2 : 1;
    const per = nonRes ? ([3000, 9000] as [number, number]) : resident(totalResidents, "3");
    const m = writeMeter(g, { ...base, ...power, roomId: "", resource: "3", svc: SVC.power, type: "individual", ownerAcc: owner, perMonth: per, tariffs });
    link(m, powerAccounts);
    unitMeters.push(m);
  }
  const water: Array<[SvcKey, string, number]> = [
    ["cold", "1", 0.92],
    ["hot", "2", 0.9],
    ["gas", "4", u.zhd ? 0.85 : 0.2],
  ];
  for (const [key, res, prob] of water) {
    if (!u.has[key] || !r.chance(prob) || (nonRes && key !== "cold")) continue;
    const per = nonRes ? ([1000, 6000] as [number, number]) : resident(totalResidents, res);
    const m = writeMeter(g, {
      ...base,
      roomId: "",
      resource: res,
      svc: SVC[key],
      type: rooms ? "collective" : "individual",
      ownerAcc: owner,
      perMonth: per,
      tariffs: 1,
    });
    link(m, accounts);
    unitMeters.push(m);
  }

  // Months: readings, then each account's payment document, lines and payment.
  const mine = (a: AccountState) => (g.centre ? u.houseServices.filter((s) => g.providerOf(s) === a.org) : u.houseServices);
  for (let mi = 0; mi < g.periods.length; mi++) {
    writeReadings(g, unitMeters, mi, !g.dated);
    for (const a of accounts) writeDocument(g, a, mi, mine(a));
    for (const a of twins) writeDocument(g, a, mi, mine(a));
  }
  // Dated from today: this month's readings, inside the open window.
  if (g.dated) writeReadings(g, unitMeters, g.periods.length);
}
