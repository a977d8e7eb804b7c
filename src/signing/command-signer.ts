/**
 * A signer that runs a program: the data to sign on stdin, the signature on stdout (raw 64 bytes
 * or base64). For keys that live where Node cannot reach them directly — openssl with the gost
 * engine and a key file, a CryptoPro helper (csptest/cryptcp wrappers), an HSM's own tool.
 * Example: command ["openssl", "dgst", "-md_gost12_256", "-sign", "/etc/gis-sync/key.pem"].
 */
import { spawn } from "node:child_process";
import { Signer } from "./signer";
import { streebog256 } from "./streebog";

export interface CommandSignerOptions {
  command: string[];
  certificate: Buffer;
  output?: "raw" | "base64";
  /** The program's signature byte order: "sr" (openssl, PKCS#11) or "reversed" (CryptoAPI's little-endian). */
  byteOrder?: "sr" | "reversed";
  /** What goes to stdin: the data (the program hashes, e.g. `openssl dgst -md_gost12_256 -sign`) or its Streebog-256 hash (e.g. `openssl pkeyutl -sign`). */
  input?: "data" | "hash";
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const MAX_OUTPUT = 64 * 1024;

export class CommandSigner implements Signer {
  readonly certificate: Buffer;

  constructor(private readonly o: CommandSignerOptions) {
    if (o.command.length === 0) throw new Error("команда подписи не задана");
    this.certificate = o.certificate;
  }

  sign(data: Buffer): Promise<Buffer> {
    const [cmd, ...args] = this.o.command;
    return new Promise((resolve, reject) => {
      // Own process group, so a timeout also kills what a wrapper script started.
      const child = spawn(cmd, args, { env: this.o.env ?? process.env, stdio: ["pipe", "pipe", "pipe"], detached: true });
      const out: Buffer[] = [];
      let outBytes = 0;
      let err = "";
      const killAll = () => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL");
        }
      };
      const timer = setTimeout(() => {
        killAll();
        reject(
          new Error(`подпись: ${cmd} не ответил за ${this.o.timeoutMs ?? 30_000} мс${err.trim() ? `: ${err.trim().split("\n").slice(-3).join(" / ")}` : ""}`),
        );
      }, this.o.timeoutMs ?? 30_000);
      child.stdout.on("data", (d: Buffer) => {
        outBytes += d.length;
        if (outBytes <= MAX_OUTPUT) out.push(d);
        else killAll();
      });
      child.stderr.on("data", (d: Buffer) => {
        err = (err + d.toString()).slice(-2000);
      });
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(new Error(`подпись: не удалось запустить ${cmd}: ${e.message}`));
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        if (outBytes > MAX_OUTPUT) return reject(new Error(`подпись: ${cmd} вывел больше ${MAX_OUTPUT} байт — это не подпись`));
        if (code !== 0) return reject(new Error(`подпись: ${cmd} завершился с кодом ${code ?? "(сигнал)"}: ${err.trim().split("\n").slice(-3).join(" / ")}`));
        let sig = Buffer.concat(out);
        if (this.o.output === "base64") sig = Buffer.from(sig.toString("ascii").trim(), "base64");
        if (sig.length !== 64) return reject(new Error(`подпись: ${cmd} вернул ${sig.length} байт, ожидалось 64 (ГОСТ Р 34.10-2012, 256 бит)`));
        resolve(this.o.byteOrder === "reversed" ? Buffer.from(sig).reverse() : sig);
      });
      child.stdin.on("error", () => undefined); // the program may exit without reading; close reports it
      child.stdin.end(this.o.input === "hash" ? streebog256(data) : data);
    });
  }
}
