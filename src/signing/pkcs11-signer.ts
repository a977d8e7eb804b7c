/**
 * A key on a PKCS#11 token (Rutoken, JaCarta, CryptoPro CSP's PKCS#11 module) through pkcs11js.
 * The token does the GOST math: either CKM_GOSTR3410_WITH_GOSTR3411_12_256 over the data, or
 * Streebog in software and CKM_GOSTR3410 over the 32-byte hash. The PIN comes from a secret source
 * and is never logged. The mechanism is a parameter so the same plumbing is tested with SoftHSM's
 * ECDSA (SoftHSM has no GOST); the GOST path is the small part below marked as such.
 */
import { createHash } from "node:crypto";
import * as pkcs11js from "pkcs11js";
import { readSecret } from "../util/secrets";
import { Signer } from "./signer";
import { streebog256 } from "./streebog";

/** TC26 vendor-defined mechanisms (Rutoken/JaCarta headers): see ../shared/reference/signing-toolchain.md §10. */
export const CKM_GOSTR3410_WITH_GOSTR3411_12_256 = 0xd4321008;
export const CKM_GOSTR3410 = 0x1201;
/** DER OID of Streebog-256, the parameter the combined mechanism takes. */
const STREEBOG_256_OID = Buffer.from("06082a85030701010202", "hex");

export interface Pkcs11Options {
  library: string;
  /** Token label, or else the slot index. */
  tokenLabel?: string;
  slot?: number;
  /** CKA_ID (hex) or CKA_LABEL of the key and its certificate. */
  keyId?: string;
  keyLabel?: string;
  /** The PIN itself; prefer Pkcs11Signer.open with a secret source (env:NAME / file:PATH). */
  pin: string;
  /**
   * "gost-combined": CKM_GOSTR3410_WITH_GOSTR3411_12_256 on the data; "gost-hash": software Streebog +
   * CKM_GOSTR3410 on the hash; "ecdsa-sha256": SoftHSM plumbing tests only.
   */
  mode: "gost-combined" | "gost-hash" | "ecdsa-sha256" | Pkcs11Mechanism;
}

/** Any other mechanism: what to C_SignInit with and what to feed C_Sign (the data itself or its hash). */
export interface Pkcs11Mechanism {
  mechanism: number;
  parameter?: Buffer;
  prehash?: "streebog256" | "sha256" | null;
  /** Reverse the 32-byte hash before C_Sign (some tokens expect the little-endian form; confirm on the token). */
  reverseHash?: boolean;
  signatureLength?: number;
}

/** The modes as mechanisms: the GOST ones are the small reviewed unit (see signing-toolchain.md §10). */
export const MECHANISMS: Record<"gost-combined" | "gost-hash" | "ecdsa-sha256", Pkcs11Mechanism> = {
  // Token hashes (Streebog-256, parameter = its DER OID) and signs; returns s‖r (PKCS#11 GOST convention = XMLDSig form).
  "gost-combined": { mechanism: CKM_GOSTR3410_WITH_GOSTR3411_12_256, parameter: STREEBOG_256_OID, prehash: null, signatureLength: 64 },
  // Streebog-256 in software, the token signs the 32-byte hash (byte order to be confirmed once on a real token).
  "gost-hash": { mechanism: CKM_GOSTR3410, prehash: "streebog256", signatureLength: 64 },
  // SoftHSM plumbing tests: raw r‖s of ECDSA P-256 over SHA-256.
  "ecdsa-sha256": { mechanism: pkcs11js.CKM_ECDSA, prehash: "sha256", signatureLength: 64 },
};

export class Pkcs11Signer implements Signer {
  readonly certificate: Buffer;
  private readonly lib = new pkcs11js.PKCS11();
  private readonly session: Buffer;
  private readonly key: Buffer;

  /** Opens the token with the PIN read from a secret source (env:NAME, file:PATH or - for stdin); the PIN is never logged. */
  static async open(o: Omit<Pkcs11Options, "pin"> & { pinSource: string }): Promise<Pkcs11Signer> {
    const { pinSource, ...rest } = o;
    const pin = await readSecret(pinSource, "PIN токена PKCS#11");
    return new Pkcs11Signer({ ...rest, pin });
  }

  private readonly o: Omit<Pkcs11Options, "pin">;
  private readonly mech: Pkcs11Mechanism;

  constructor(options: Pkcs11Options) {
    const { pin, ...o } = options; // the PIN is used once and not kept on the object
    this.o = o;
    this.mech = typeof o.mode === "string" ? MECHANISMS[o.mode] : o.mode;
    this.lib.load(o.library);
    this.lib.C_Initialize();
    try {
      const slots = this.lib.C_GetSlotList(true);
      const slot = o.tokenLabel !== undefined ? slots.find((s) => this.lib.C_GetTokenInfo(s).label.trim() === o.tokenLabel) : slots[o.slot ?? 0];
      if (!slot) throw new Error(`PKCS#11: токен ${o.tokenLabel ?? `в слоте ${o.slot ?? 0}`} не найден`);
      this.session = this.lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      try {
        this.lib.C_Login(this.session, pkcs11js.CKU_USER, pin);
      } catch (e) {
        // The library's message names the error code only; the PIN itself never appears in it.
        throw new Error(`PKCS#11: вход на токен не выполнен (${(e as Error).message.split(":")[0]})`);
      }
      const cert = this.find(pkcs11js.CKO_CERTIFICATE);
      this.certificate = this.lib.C_GetAttributeValue(this.session, cert, [{ type: pkcs11js.CKA_VALUE }])[0].value as Buffer;
      this.key = this.find(pkcs11js.CKO_PRIVATE_KEY);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private find(cls: number): Buffer {
    const template: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: cls }];
    if (this.o.keyId) template.push({ type: pkcs11js.CKA_ID, value: Buffer.from(this.o.keyId, "hex") });
    if (this.o.keyLabel) template.push({ type: pkcs11js.CKA_LABEL, value: this.o.keyLabel });
    this.lib.C_FindObjectsInit(this.session, template);
    const found = this.lib.C_FindObjects(this.session, 2);
    this.lib.C_FindObjectsFinal(this.session);
    const what = cls === pkcs11js.CKO_CERTIFICATE ? "сертификат" : "закрытый ключ";
    if (found.length === 0) throw new Error(`PKCS#11: ${what} ${this.o.keyId ?? this.o.keyLabel ?? ""} не найден на токене`);
    if (found.length > 1) throw new Error(`PKCS#11: на токене несколько объектов «${what}» — укажите keyId или keyLabel`);
    return found[0];
  }

  async sign(data: Buffer): Promise<Buffer> {
    const m = this.mech;
    let input = data;
    if (m.prehash === "streebog256") input = streebog256(data);
    else if (m.prehash === "sha256") input = createHash("sha256").update(data).digest();
    if (m.reverseHash) input = Buffer.from(input).reverse();
    this.lib.C_SignInit(this.session, m.parameter ? { mechanism: m.mechanism, parameter: m.parameter } : { mechanism: m.mechanism }, this.key);
    const sig = this.lib.C_Sign(this.session, input, Buffer.alloc(Math.max(m.signatureLength ?? 64, 512)));
    if (m.signatureLength && sig.length !== m.signatureLength) throw new Error(`PKCS#11: подпись ${sig.length} байт, ожидалось ${m.signatureLength}`);
    return Buffer.from(sig);
  }

  close(): void {
    try {
      this.lib.C_Finalize();
    } catch {
      /* already finalized */
    }
  }
}
