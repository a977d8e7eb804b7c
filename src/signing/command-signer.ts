/**
 * A signer that runs a program: the data to sign on stdin, the signature on stdout (raw 64 bytes
 * or base64). For keys that live where Node cannot reach them directly — openssl with the gost
 * engine and a key file, a CryptoPro helper (csptest/cryptcp wrappers), an HSM's own tool.
 * Example: command ["openssl", "dgst", "-md_gost12_256", "-sign", "/etc/gis-sync/key.pem"].
 */
import { spawn } from "node:child_process";
import { Signer } from "./signer";

export interface CommandSignerOptions {
  command: string[];
  certificate: Buffer;
  output?: "raw" | "base64";
  /** The program's signature byte order: "sr" (openssl, PKCS#11) or "reversed" (CryptoAPI's little-endian). */
  byteOrder?: "sr" | "reversed";
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export class CommandSigner implements Signer {
  readonly certificate: Buffer;

  constructor(private readonly o: CommandSignerOptions) {
    if (o.command.length === 0) throw new Error("команда подписи не задана");
    this.certificate = o.certificate;
  }

  sign(data: Buffer): Promise<Buffer> {
    const [cmd, ...args] = this.o.command;
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { env: this.o.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
      const out: Buffer[] = [];
      let err = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`подпись: ${cmd} не ответил за ${this.o.timeoutMs ?? 30_000} мс`));
      }, this.o.timeoutMs ?? 30_000);
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.on("data", (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
      child.on("error", (e) => { clearTimeout(timer); reject(new Error(`подпись: не удалось запустить ${cmd}: ${e.message}`)); });
      child.on("close", (code) => {
        clearTimeout(timer);
        if (code !== 0) return reject(new Error(`подпись: ${cmd} завершился с кодом ${code}: ${err.trim().split("\n").slice(-3).join(" / ")}`));
        let sig = Buffer.concat(out);
        if (this.o.output === "base64") sig = Buffer.from(sig.toString("ascii").trim(), "base64");
        if (sig.length !== 64) return reject(new Error(`подпись: ${cmd} вернул ${sig.length} байт, ожидалось 64 (ГОСТ Р 34.10-2012, 256 бит)`));
        resolve(this.o.byteOrder === "reversed" ? Buffer.from(sig).reverse() : sig);
      });
      child.stdin.on("error", () => undefined); // the program may exit without reading; close reports it
      child.stdin.end(data);
    });
  }
}
