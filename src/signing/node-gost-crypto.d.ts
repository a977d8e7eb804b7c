/** The part of node-gost-crypto (pure-JS GOST, MIT) that gis-sync uses. */
declare module "node-gost-crypto" {
  interface GostAlgorithm {
    name: string;
    version?: number;
    length?: number;
    namedCurve?: string;
    procreator?: string;
    hash?: GostAlgorithm;
    ukm?: ArrayBuffer | Uint8Array;
  }
  export const gostEngine: {
    getGostDigest(a: GostAlgorithm): { digest(data: ArrayBuffer): ArrayBuffer };
    getGostSign(a: GostAlgorithm): {
      sign(privateKey: ArrayBuffer, data: ArrayBuffer): ArrayBuffer;
      verify(publicKey: ArrayBuffer, signature: ArrayBuffer, data: ArrayBuffer): boolean;
      generateKey?(): { publicKey: ArrayBuffer; privateKey: ArrayBuffer };
    };
  };
}
