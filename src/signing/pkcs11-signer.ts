/**
 * A key on a PKCS#11 token (Rutoken, JaCarta, CryptoPro CSP's PKCS#11 module) through pkcs11js.
 * The token does the GOST math: either CKM_GOSTR3410_WITH_GOSTR3411_12_256 over the data, or
 * Streebog in software and CKM_GOSTR3410 over the 32-byte hash. The PIN comes from a secret source
 * and is never logged. The mechanism is a parameter so the same plumbing is tested with SoftHSM's
 * ECDSA (SoftHSM has no GOST); the GOST path is the small part below marked as such.
 */
import * as pkcs11js from "pkcs11js";
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
  pin: string;
  /**
   * "gost-combined": CKM_GOSTR3410_WITH_GOSTR3411_12_256 on the data; "gost-hash": software Streebog +
   * CKM_GOSTR3410 on the hash; "ecdsa-sha256": SoftHSM plumbing tests only.
   */
  mode: "gost-combined" | "gost-hash" | "ecdsa-sha256";
}

export class Pkcs11Signer implements Signer {
  readonly certificate: Buffer;
  private readonly lib = new pkcs11js.PKCS11();
  private readonly session: Buffer;
  private readonly key: Buffer;

  constructor(private readonly o: Pkcs11Options) {
    this.lib.load(o.library);
    this.lib.C_Initialize();
    try {
      const slots = this.lib.C_GetSlotList(true);
      const slot = o.tokenLabel !== undefined
        ? slots.find((s) => this.lib.C_GetTokenInfo(s).label.trim() === o.tokenLabel)
        : slots[o.slot ?? 0];
      if (!slot) throw new Error(`PKCS#11: токен ${o.tokenLabel ?? `в слоте ${o.slot ?? 0}`} не найден`);
      this.session = this.lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      try {
        this.lib.C_Login(this.session, pkcs11js.CKU_USER, o.pin);
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
    switch (this.o.mode) {
      // GOST path: the token returns s‖r (the PKCS#11 GOST convention), the XMLDSig form as is.
      case "gost-combined":
        this.lib.C_SignInit(this.session, { mechanism: CKM_GOSTR3410_WITH_GOSTR3411_12_256, parameter: STREEBOG_256_OID }, this.key);
        return this.lib.C_Sign(this.session, data, Buffer.alloc(64));
      case "gost-hash":
        this.lib.C_SignInit(this.session, { mechanism: CKM_GOSTR3410 }, this.key);
        return this.lib.C_Sign(this.session, streebog256(data), Buffer.alloc(64));
      case "ecdsa-sha256": {
        const { createHash } = await import("node:crypto");
        this.lib.C_SignInit(this.session, { mechanism: pkcs11js.CKM_ECDSA }, this.key);
        return this.lib.C_Sign(this.session, createHash("sha256").update(data).digest(), Buffer.alloc(64));
      }
    }
  }

  close(): void {
    try {
      this.lib.C_Finalize();
    } catch {
      /* already finalized */
    }
  }
}
