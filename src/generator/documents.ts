/** Each account's monthly payment document with its lines, and the payment that pays it (in full, in part or not at all). */
import { BANK_ORG, HEATING_MONTHS, OUR_BIK, POST_ORG, ServiceDef, tariffKop } from "./catalog";
import { fixed, p2, rub, ymd } from "./format";
import { AccountState, GenState } from "./state";

export function writeDocument(g: GenState, a: AccountState, mi: number, services: readonly ServiceDef[]): void {
  const r = g.rnd;
  const w = g.writers;
  const { year, month } = g.periods[mi];
  const docId = `D${++g.n.doc}`;
  // Volumes, in 10^-3 units (heat in 10^-4 Gcal), per service.
  const metered = (res: string): number | null => {
    let v = -1;
    for (const m of a.meters) {
      if (m.resource !== res) continue;
      v = Math.max(v, 0) + Math.round((m.delta * (m.scale === 1 ? 100 : 1)) / m.shares);
    }
    return v < 0 ? null : v;
  };
  const people = Math.max(1, a.residents);
  let totalKop = 0;
  let coldVol = 0;
  let hotVol = 0;
  for (const s of services) {
    let vol: number;
    let scale = 3;
    let kind = "individual";
    switch (s.key) {
      case "cold":
        vol = coldVol = metered("1") ?? (a.isOrg ? 5000 : 4900 * people);
        break;
      case "hot":
        vol = hotVol = a.isOrg ? 0 : (metered("2") ?? 2900 * people);
        break;
      case "sewer":
        vol = coldVol + hotVol;
        break;
      case "power":
        vol = metered("3") ?? 95000 * people;
        break;
      case "gas":
        if (a.isOrg) continue;
        vol = metered("4") ?? 10500 * people;
        break;
      case "heat":
        if (!HEATING_MONTHS.has(month)) continue;
        vol = Math.round(a.area10 * 21.5);
        scale = 4;
        break;
      case "vdgo":
        if (a.isOrg) continue;
        vol = 1000;
        kind = "";
        break;
    }
    if (vol <= 0) continue;
    const tk = tariffKop(s, year, month);
    const charged = Math.round((vol * tk) / 10 ** scale);
    const recalc = r.chance(0.02) ? -Math.round((charged * r.int(5, 50)) / 100) : 0;
    const total = charged + recalc;
    totalKop += total;
    w.payment_document_lines.raw(`${docId};${s.id};${fixed(vol, scale)};${kind};${fixed(tk, 2)};${rub(charged)};${rub(recalc)};${rub(total)}`);
  }
  const bal = a.balanceKop;
  const payable = Math.max(0, totalKop + bal);
  const last = mi === g.periods.length - 1;
  w.payment_documents.raw(
    `${docId};${a.org};${a.id};${year};${month};${a.number}-${year}${p2(month)};${rub(totalKop)};${rub(payable)};` +
      `${rub(Math.max(0, bal))};${rub(Math.max(0, -bal))};${OUR_BIK};40702810462000012345;${last ? "to_issue" : "issued"}`,
  );

  // Payment for the document (most are paid in full, some partly, some not at all).
  const x = r.next();
  let paid = 0;
  if (payable > 0 && x < 0.93) {
    paid = x < 0.85 ? payable : Math.floor((payable * r.int(30, 80)) / 100 / 10000) * 10000;
    if (paid <= 0) paid = payable;
  }
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  const src = paid > 0 ? r.next() : 0;
  const orderDate = paid > 0 ? ymd(next.year, next.month, r.int(1, 28)) : "";
  // Dated from today: a payment not made yet is not in the bundle.
  if (g.dated && orderDate > g.dated.today) paid = 0;
  if (paid > 0) {
    const id = `PM${++g.n.payment}`;
    const org = src < 0.5 ? a.org : src < 0.85 ? BANK_ORG : POST_ORG;
    const orderId = r.hex32();
    const orderNo = r.digits(9);
    let amount = rub(paid);
    const broken = g.brokenOn && g.targets.has("payment_nonpositive_amount", a.idx) && !g.paymentBrokenFor.has(a.idx);
    if (broken) {
      amount = a.idx % 2 === 0 ? "0.00" : "-" + amount;
      // The balance carries the intended payment on, so later rows match a bundle without broken objects.
      g.paymentBrokenFor.add(a.idx);
    }
    const line = w.payments.raw(
      `${id};${org};${orderId};${orderDate};${orderNo};${amount};${a.id};${docId};;${year};${month};${org === a.org ? "own" : "other"};0;`,
    );
    if (broken) g.markBroken("payment_nonpositive_amount", line, id, amount);
  }
  a.balanceKop = totalKop + bal - paid;
}
