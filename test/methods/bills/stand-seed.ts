/** Seeds for the bills and payment method tests: a placed payment document and the stand's placing of notices, without placing a house first. */
import { PaymentDocumentRow, tables } from "../../../src/stand/domain/state";
import { MemoryStore } from "../../../src/stand/store";
import { exportNotificationsOfOrderExecution } from "../../../src/methods/bills/export-notifications-of-order-execution";
import { importNotificationsOfOrderExecution } from "../../../src/methods/payment/import-notifications-of-order-execution";
import { StateAnswer } from "../../../src/stages/types";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, newStandStore, runStand } from "../../support/method-harness";

export const IPD = "12АБ345678-01-6111";
export const HOT = G(7101);
export const COLD = G(7102);

/** A payment document of UO for 1,000.00 roubles: 600.00 hot water (MSType), 400.00 cold water. */
export function seedDocument(store: MemoryStore, over: Partial<PaymentDocumentRow> = {}): PaymentDocumentRow {
  const row: PaymentDocumentRow = {
    id: IPD,
    guid: G(7100),
    org: UO,
    accountGuid: G(7000),
    unifiedAccountNumber: "12АБ345678",
    fiasHouseGuid: G(7001),
    number: "ПД-1",
    month: 11,
    year: 2026,
    totalKopecks: 100000,
    withdrawn: false,
    requisites: [{ bik: "049205603", account: "40702810000000000001" }],
    content: "",
    updated: "2026-11-20T07:00:00Z",
    charges: [
      { kind: "MSType", guid: HOT, kopecks: 60000 },
      { kind: "MSType", guid: COLD, kopecks: 40000 },
    ],
    ...over,
  };
  tables(store).paymentDocuments.set(row.id, row);
  return row;
}

/** A payment agent's notice of 2,115.86 roubles for the document IPD. */
export const NOTICE = {
  notifications: [
    {
      transportGuid: G(60),
      supplier: { id: "5001", name: "ПАО Сбербанк" },
      recipient: {
        inn: "7701234567",
        legal: { kpp: "770101001", name: "ООО «УК Дом»" },
        paymentInformation: {
          recipientInn: "7701234567",
          recipientKpp: "770101001",
          bankName: "ПАО Сбербанк",
          paymentRecipient: "ООО «УК Дом»",
          bankBik: "044525225",
          operatingAccountNumber: "40702810938000000001",
        },
      },
      order: {
        orderId: "A".repeat(32),
        orderDate: "2026-11-20",
        orderNum: "123",
        amountKopecks: 211586,
        paymentPurpose: "Оплата ЖКУ за 11.2026",
        paymentDocumentId: "12АБ345678-01-6111",
        year: 2026,
        month: 11,
        unifiedAccountNumber: "12АБ345678",
      },
    },
  ],
};

/** The stand's notice of a payment another organization (a bank) placed against our bill IPD, as exportNotificationsOfOrderExecution answers it. */
export async function anotherOrganizationsNotice(now: Date): Promise<StateAnswer> {
  const store = newStandStore();
  seedDocument(store);
  const H = { orgPPAGUID: UO, date: now };
  const order = { ...NOTICE.notifications[0].order, paymentDocumentId: IPD };
  await runStand(
    store,
    "importNotificationsOfOrderExecution",
    buildMethodRequest(importNotificationsOfOrderExecution, H, { notifications: [{ ...NOTICE.notifications[0], order }] }).xml,
    UO,
  );
  const a = await runStand(
    store,
    "exportNotificationsOfOrderExecution",
    buildMethodRequest(exportNotificationsOfOrderExecution, H, { paymentDocumentId: IPD }).xml,
    UO,
  );
  return a.answer as unknown as StateAnswer;
}
