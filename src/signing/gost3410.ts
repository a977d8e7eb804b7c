/**
 * GOST R 34.10-2001/2012 (256-bit) signature *verification* with native BigInt, independent of the
 * pure-JS signing library. Used to verify GIS answers and, after every software signature, to
 * check our own output before it leaves (a fault in the library — node-gost-crypto 1.0.2 has a
 * `subtract is not defined` branch in its modular inverse — can then never yield a bad signature).
 *
 * Conventions (../shared/reference/signature-format.md): signature = s‖r, 32-byte big-endian each;
 * the hash (Streebog-256 or GOST 34.11-94 as openssl emits it) is read as a little-endian integer;
 * the public key from the certificate is X_le‖Y_le (64 bytes).
 * Not constant-time — verification handles public data only.
 */

interface Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  q: bigint;
  x: bigint;
  y: bigint;
}

// RFC 4357 §11.4 (CryptoPro parameter sets; the 2012 256-bit keys reuse them).
const CRYPTOPRO_A: Curve = {
  p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd97n,
  a: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd94n,
  b: 0xa6n,
  q: 0xffffffffffffffffffffffffffffffff6c611070995ad10045841b09b761b893n,
  x: 1n,
  y: 0x8d91e471e0989cda27df505a453f2b7635294f2ddf23e3b122acc99c9e9f1e14n,
};
const CRYPTOPRO_B: Curve = {
  p: 0x8000000000000000000000000000000000000000000000000000000000000c99n,
  a: 0x8000000000000000000000000000000000000000000000000000000000000c96n,
  b: 0x3e1af419a269a5f866a7d3c25c3df80ae979259373ff2b182f49d4ce7e1bbc8bn,
  q: 0x800000000000000000000000000000015f700cfff1a624e5e497161bcc8a198fn,
  x: 1n,
  y: 0x3fa8124359f96680b83d1c3eb2c070e5c545c9858d03ecfb744bf8d717717efcn,
};
const CRYPTOPRO_C: Curve = {
  p: 0x9b9f605f5a858107ab1ec85e6b41c8aacf846e86789051d37998f7b9022d759bn,
  a: 0x9b9f605f5a858107ab1ec85e6b41c8aacf846e86789051d37998f7b9022d7598n,
  b: 0x805an,
  q: 0x9b9f605f5a858107ab1ec85e6b41c8aa582ca3511eddfb74f02f3a6598980bb9n,
  x: 0n,
  y: 0x41ece55743711a8c3cbf3783cd08c0ee4d4dc440d4641a8f366e550dfdb3bb67n,
};

/** Parameter-set OIDs → curves (CryptoPro A/B/C, their XchA/XchB and TC26 aliases). */
export const GOST_CURVES: Record<string, Curve> = {
  "1.2.643.2.2.35.1": CRYPTOPRO_A,
  "1.2.643.2.2.36.0": CRYPTOPRO_A,
  "1.2.643.7.1.2.1.1.2": CRYPTOPRO_A,
  "1.2.643.2.2.35.2": CRYPTOPRO_B,
  "1.2.643.7.1.2.1.1.3": CRYPTOPRO_B,
  "1.2.643.2.2.35.3": CRYPTOPRO_C,
  "1.2.643.2.2.36.1": CRYPTOPRO_C,
  "1.2.643.7.1.2.1.1.4": CRYPTOPRO_C,
};

const mod = (x: bigint, m: bigint): bigint => {
  const r = x % m;
  return r < 0n ? r + m : r;
};

function inv(x: bigint, m: bigint): bigint {
  let [a, b] = [mod(x, m), m];
  let [u, v] = [1n, 0n];
  while (b !== 0n) {
    const t = a / b;
    [a, b] = [b, a - t * b];
    [u, v] = [v, u - t * v];
  }
  if (a !== 1n) throw new Error("не обратим");
  return mod(u, m);
}

type Jac = [bigint, bigint, bigint] | null; // Jacobian X, Y, Z; null = point at infinity

function dbl(c: Curve, P: Jac): Jac {
  if (!P) return null;
  const [X, Y, Z] = P;
  if (Y === 0n) return null;
  const p = c.p;
  const YY = (Y * Y) % p;
  const S = (4n * X * YY) % p;
  const ZZ = (Z * Z) % p;
  const M = (3n * X * X + c.a * ZZ * ZZ) % p;
  const X3 = mod(M * M - 2n * S, p);
  const Y3 = mod(M * (S - X3) - 8n * YY * YY, p);
  const Z3 = (2n * Y * Z) % p;
  return [X3, Y3, Z3];
}

function add(c: Curve, P: Jac, Q: Jac): Jac {
  if (!P) return Q;
  if (!Q) return P;
  const p = c.p;
  const [X1, Y1, Z1] = P;
  const [X2, Y2, Z2] = Q;
  const Z1Z1 = (Z1 * Z1) % p;
  const Z2Z2 = (Z2 * Z2) % p;
  const U1 = (X1 * Z2Z2) % p;
  const U2 = (X2 * Z1Z1) % p;
  const S1 = (Y1 * Z2 * Z2Z2) % p;
  const S2 = (Y2 * Z1 * Z1Z1) % p;
  if (U1 === U2) return S1 === S2 ? dbl(c, P) : null;
  const H = mod(U2 - U1, p);
  const R = mod(S2 - S1, p);
  const HH = (H * H) % p;
  const HHH = (H * HH) % p;
  const X3 = mod(R * R - HHH - 2n * U1 * HH, p);
  const Y3 = mod(R * (U1 * HH - X3) - S1 * HHH, p);
  const Z3 = (H * Z1 * Z2) % p;
  return [X3, Y3, Z3];
}

function affineX(c: Curve, P: Jac): bigint | null {
  if (!P) return null;
  const zi = inv(P[2], c.p);
  return (P[0] * zi * zi) % c.p;
}

/** k1·P1 + k2·P2 (Shamir's trick). */
function mul2(c: Curve, k1: bigint, P1: Jac, k2: bigint, P2: Jac): Jac {
  const P12 = add(c, P1, P2);
  let R: Jac = null;
  const bits = Math.max(k1.toString(2).length, k2.toString(2).length);
  for (let i = bits - 1; i >= 0; i--) {
    R = dbl(c, R);
    const b1 = (k1 >> BigInt(i)) & 1n;
    const b2 = (k2 >> BigInt(i)) & 1n;
    if (b1 && b2) R = add(c, R, P12);
    else if (b1) R = add(c, R, P1);
    else if (b2) R = add(c, R, P2);
  }
  return R;
}

const leToBig = (b: Buffer): bigint => BigInt(`0x${Buffer.from(b).reverse().toString("hex") || "0"}`);
const beToBig = (b: Buffer): bigint => BigInt(`0x${b.toString("hex") || "0"}`);

function onCurve(c: Curve, x: bigint, y: bigint): boolean {
  return mod(y * y - (x * x * x + c.a * x + c.b), c.p) === 0n;
}

/**
 * Verifies a 64-byte s‖r signature over a 32-byte hash with a public key X_le‖Y_le on the curve
 * named by `curveOid`. Throws on an unknown curve or malformed key; returns false for a bad signature.
 */
export function gostVerifyHash(curveOid: string, publicKey: Buffer, hash: Buffer, signature: Buffer): boolean {
  const c = GOST_CURVES[curveOid];
  if (!c) throw new Error(`набор параметров ${curveOid} не поддерживается`);
  if (publicKey.length !== 64) throw new Error(`открытый ключ: ${publicKey.length} байт вместо 64`);
  if (signature.length !== 64 || hash.length !== 32) return false;
  const qx = leToBig(publicKey.subarray(0, 32));
  const qy = leToBig(publicKey.subarray(32));
  if (qx >= c.p || qy >= c.p || !onCurve(c, qx, qy)) throw new Error("открытый ключ не лежит на кривой");
  const s = beToBig(signature.subarray(0, 32));
  const r = beToBig(signature.subarray(32));
  if (r <= 0n || r >= c.q || s <= 0n || s >= c.q) return false;
  let e = mod(leToBig(hash), c.q);
  if (e === 0n) e = 1n;
  const v = inv(e, c.q);
  const z1 = mod(s * v, c.q);
  const z2 = mod(-r * v, c.q);
  const C = mul2(c, z1, [c.x, c.y, 1n], z2, [qx, qy, 1n]);
  const x = affineX(c, C);
  return x !== null && mod(x, c.q) === r;
}

/** Self-test of the curve constants: G on the curve and q·G = O. */
export function checkCurves(): boolean {
  for (const c of [CRYPTOPRO_A, CRYPTOPRO_B, CRYPTOPRO_C]) {
    if (!onCurve(c, c.x, c.y)) return false;
    if (mul2(c, c.q, [c.x, c.y, 1n], 0n, null) !== null) return false;
  }
  return true;
}

/** The public key X_le‖Y_le for a private key d (32 bytes little-endian) on the curve `curveOid`. */
export function gostPublicKey(curveOid: string, dLE: Buffer): Buffer {
  const c = GOST_CURVES[curveOid];
  if (!c) throw new Error(`набор параметров ${curveOid} не поддерживается`);
  const d = leToBig(dLE);
  if (d <= 0n || d >= c.q) throw new Error("закрытый ключ вне диапазона 0 < d < q");
  const P = mul2(c, d, [c.x, c.y, 1n], 0n, null);
  if (!P) throw new Error("закрытый ключ вне диапазона");
  const zi = inv(P[2], c.p);
  const x = (P[0] * zi * zi) % c.p;
  const y = (P[1] * zi * zi * zi) % c.p;
  const le = (v: bigint) => Buffer.from(v.toString(16).padStart(64, "0"), "hex").reverse();
  return Buffer.concat([le(x), le(y)]);
}
