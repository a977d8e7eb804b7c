/**
 * One signature by the configured signer, timed: readiness says whether the signer signs at all,
 * /metrics how long one signature takes. The signer is opened once per set of signer settings (a
 * token is not logged into on every probe) and the result kept for `ttlMs`.
 */
import crypto from "node:crypto";
import { DataSource } from "typeorm";
import { Setting } from "../../entities";
import { redact } from "../log";
import { signerFromSettings } from "../runtime/exchange-context";
import { Signer } from "../signing/signer";
import { describeProblems, signerProblems } from "./signer-check";

export interface ProbeResult {
  ok: boolean;
  seconds: number | null;
  message: string;
}

export class SignerProbe {
  private signer: { key: string; signer: Promise<Signer> } | null = null;
  private last: { at: number; result: Promise<ProbeResult> } | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly ttlMs = 30_000,
  ) {}

  probe(): Promise<ProbeResult> {
    if (!this.last || Date.now() - this.last.at > this.ttlMs) this.last = { at: Date.now(), result: this.run() };
    return this.last.result;
  }

  private async run(): Promise<ProbeResult> {
    const problems = await signerProblems(this.ds);
    if (problems.length) return { ok: false, seconds: null, message: describeProblems(problems) };
    const rows = await this.ds.getRepository(Setting).createQueryBuilder("s").where("s.key LIKE 'signer.%'").orderBy("s.key").getMany();
    const key = JSON.stringify(rows.map((r) => [r.key, r.value]));
    if (this.signer?.key !== key) this.signer = { key, signer: signerFromSettings(this.ds) };
    try {
      const signer = await this.signer.signer;
      const started = process.hrtime.bigint();
      await signer.sign(crypto.randomBytes(64));
      return { ok: true, seconds: Number(process.hrtime.bigint() - started) / 1e9, message: "подпись работает" };
    } catch (e) {
      this.signer = null;
      return { ok: false, seconds: null, message: `подпись не удалась: ${redact((e as Error).message)}` };
    }
  }
}
