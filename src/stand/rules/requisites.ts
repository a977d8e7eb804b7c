/**
 * Payment requisites: GIS takes only requisites registered for the organization, which a bank
 * account passes only with a correct control digit for its bank (the Central Bank's "ключевание":
 * the last three digits of the BIK and the 20-digit account, weighted 7-1-3, sum ending in 0).
 */
const WEIGHTS = [7, 1, 3];

export function validRequisites(bik: string, account: string): boolean {
  if (!/^\d{9}$/.test(bik) || !/^\d{20}$/.test(account)) return false;
  const digits = (bik.slice(-3) + account).split("").map(Number);
  const sum = digits.reduce((s, d, i) => s + ((d * WEIGHTS[i % 3]) % 10), 0);
  return sum % 10 === 0;
}
