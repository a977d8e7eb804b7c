/**
 * The settings the HTTP server reads on every request (trusted proxies, the /metrics token), cached
 * for a few seconds so a request costs no extra query; a change takes effect within `ttlMs`.
 */
import crypto from "node:crypto";
import { DataSource } from "typeorm";
import { AddressRange, parseRanges } from "../auth/addresses";
import { log } from "../log";
import { getSetting } from "../settings/settings";
import { readSecret } from "../util/secrets";

export interface ServerSettingsOverrides {
  /** Addresses/subnets of trusted reverse proxies (instead of server.trustedProxies). */
  trustedProxies?: string;
  /** The /metrics bearer token itself (instead of server.metricsTokenSource). */
  metricsToken?: string;
}

export class ServerSettings {
  private cached: { at: number; proxies: AddressRange[]; token: string | null } | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly overrides: ServerSettingsOverrides = {},
    private readonly ttlMs = 5000,
  ) {}

  private async load() {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached;
    let proxies: AddressRange[] = [];
    try {
      proxies = parseRanges(this.overrides.trustedProxies ?? (await getSetting<string>(this.ds, "server.trustedProxies")));
    } catch (e) {
      log.warn(`server.trustedProxies: ${(e as Error).message}; X-Forwarded-For is ignored`);
    }
    let token: string | null = this.overrides.metricsToken ?? null;
    if (token === null) {
      const source = await getSetting<string | null>(this.ds, "server.metricsTokenSource");
      if (source) token = await readSecret(source, "токен /metrics").catch((e: Error) => (log.warn(`server.metricsTokenSource: ${e.message}`), null));
    }
    this.cached = { at: Date.now(), proxies, token: token || null };
    return this.cached;
  }

  async trustedProxies(): Promise<AddressRange[]> {
    return (await this.load()).proxies;
  }

  /** Does an Authorization header carry the configured /metrics token? */
  async metricsTokenMatches(authorization: string | undefined): Promise<boolean> {
    const token = (await this.load()).token;
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!token || !m) return false;
    const a = crypto.createHash("sha256").update(m[1]).digest();
    const b = crypto.createHash("sha256").update(token).digest();
    return crypto.timingSafeEqual(a, b);
  }
}
