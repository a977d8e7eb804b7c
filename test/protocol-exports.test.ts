import { test } from "node:test";
import assert from "node:assert/strict";
import { parseResponse } from "../src/transport/results/results";
import { exportedPaymentDocuments } from "../src/methods/bills/export-payment-document-data";
import { assertValidInAllPackages, officialSkip } from "./support/xsd";

import { G } from "./support/guids";
const I = "http://dom.gosuslugi.ru/schema/integration";
const NS =
  `xmlns:hm="${I}/house-management/" xmlns:bills="${I}/bills/" xmlns:base="${I}/base/" xmlns:nsi-base="${I}/nsi-base/" xmlns:account-base="${I}/account-base/" ` +
  `xmlns:bills-base="${I}/bills-base/" xmlns:payments-base="${I}/payments-base/" xmlns:ind-base="${I}/individual-registry-base/" xmlns:mdb="${I}/metering-device-base/" ` +
  `xmlns:org-reg-base="${I}/organizations-registry-base/"`;
/** A getStateResult of `prefix`'s service around hand-written result rows (each sample validates against the official XSD, checked below). */
const gsr = (prefix: "hm" | "bills", inner: string) =>
  `<${prefix}:getStateResult ${NS} Id="signed-data-container" base:version="${prefix === "hm" ? "11.0.0.1" : "10.0.1.1"}"><base:RequestState>3</base:RequestState>` +
  `<base:MessageGUID>${G(99)}</base:MessageGUID>${inner}</${prefix}:getStateResult>`;
const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const result = (body: string) => {
  const r = parseResponse(envelope(body));
  assert.equal(r.kind, "state");
  return (r as Extract<typeof r, { kind: "state" }>).result;
};

const PD = `<bills:exportPaymentDocResult><bills:PaymentDocument><account-base:AccountGuid>${G(18)}</account-base:AccountGuid><bills-base:PaymentDocumentNumber>11-2026-000001</bills-base:PaymentDocumentNumber><bills:Expose>true</bills:Expose><bills:TotalPayableByPD>2115.86</bills:TotalPayableByPD><base:Month>11</base:Month><base:Year>2026</base:Year><bills-base:PaymentDocumentID>12АБ345678-01-6111</bills-base:PaymentDocumentID><bills:PaymentInformation><payments-base:BankBIK>044525225</payments-base:BankBIK></bills:PaymentInformation></bills:PaymentDocument></bills:exportPaymentDocResult>`;

const SAMPLES: Array<[string, "hm" | "bills", string]> = [["payment documents", "bills", PD]];

test("exports: the hand-written result samples follow both official packages", { skip: officialSkip() }, () => {
  for (const [name, prefix, inner] of SAMPLES) assertValidInAllPackages(envelope(gsr(prefix, inner)), name);
});

test("exports: exportPaymentDocResult → ИПД, account, period, amount, state", () => {
  const { documents, errors } = exportedPaymentDocuments(result(gsr("bills", PD)));
  assert.deepEqual(documents, [
    {
      paymentDocumentId: "12АБ345678-01-6111",
      paymentDocumentNumber: "11-2026-000001",
      accountGuid: G(18),
      year: 2026,
      month: 11,
      amount: 2115.86,
      state: "exposed",
    },
  ]);
  assert.deepEqual(errors, []);
  const withError = `<bills:exportPaymentDocResult><base:ErrorMessage><base:ErrorCode>INT002012</base:ErrorCode><base:Description>Нет объектов для экспорта</base:Description></base:ErrorMessage></bills:exportPaymentDocResult>`;
  assert.deepEqual(exportedPaymentDocuments(result(gsr("bills", withError))).errors, [{ code: "INT002012", description: "Нет объектов для экспорта" }]);
});
