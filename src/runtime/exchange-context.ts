/**
 * The exchange for a stand, assembled from settings: the signer, the HTTP client with the stand's
 * address and connection mode, the error policy and the poll schedule. Secrets (PIN, Basic
 * password) are read from their sources here and never logged.
 */
import { DataSource } from "typeorm";
import { Stand } from "../../entities/gis-operation";
import { ExchangeContext } from "../exchange/exchange";
import { loadErrorPolicy, loadPollSchedule } from "../exchange/settings";
import { PollSchedule } from "../exchange/backoff";
import { getSetting } from "../settings/settings";
import { Signer, openSigner } from "../signing";
import { OrganizationSigners } from "../signing/organization-signers";
import { GisHttpClient, HttpAnswer, HttpOptions, TransportError, TransportMode, standUrl } from "../transport/http";
import { StandHealth } from "../queue/stand-health";
import { UserError } from "../util/errors";
import { readSecret } from "../util/secrets";
import { identitiesAt } from "../storage/identity/store";

export async function signerFromSettings(ds: DataSource): Promise<Signer> {
  const kind = await getSetting<string>(ds, "signer.kind");
  const need = async (key: string) => {
    const v = await getSetting<string | null>(ds, key);
    if (!v) throw new UserError(`Не задана настройка ${key} (подпись: ${kind})`);
    return v;
  };
  if (kind === "pkcs11") {
    return openSigner({
      kind: "pkcs11",
      library: await need("signer.pkcs11Library"),
      tokenLabel: await need("signer.tokenLabel"),
      keyId: (await getSetting<string | null>(ds, "signer.keyId")) ?? undefined,
      pinSource: await need("signer.pinSource"),
    } as never);
  }
  if (kind === "command") {
    return openSigner({ kind: "command", command: (await need("signer.command")).trim().split(/\s+/), certFile: await need("signer.certFile") });
  }
  const keyFile = await need("signer.keyFile");
  const certFile = await need("signer.certFile");
  try {
    return await openSigner({ kind: "software", keyFile, certFile });
  } catch (e) {
    // A missing or unreadable key is a configuration error: say which setting, not a stack trace.
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "файл не найден" : (e as Error).message;
    throw new UserError(`Подпись: не открыт ключ или сертификат (signer.keyFile ${keyFile}, signer.certFile ${certFile}): ${why}`);
  }
}

/** Whether the `signer.*` settings describe a signer at all (an installation whose organizations all have their own keys may have none). */
async function installationSignerConfigured(ds: DataSource): Promise<boolean> {
  const kind = await getSetting<string>(ds, "signer.kind");
  if (kind !== "software") return true;
  return !!((await getSetting<string | null>(ds, "signer.keyFile")) || (await getSetting<string | null>(ds, "signer.certFile")));
}

export interface ExchangeOptions {
  stand: Stand;
  /** Overrides the stand's URL (demo --stand-url, the in-process stand). */
  url?: string;
  signer?: Signer;
  schedule?: PollSchedule;
  mode?: TransportMode;
}

/** Stands in for the installation's signer where the settings name none: never signs (signing() opens the real ones). */
const NO_SIGNER: Signer = {
  certificate: Buffer.alloc(0),
  sign: () => Promise.reject(new UserError("Подпись установки не настроена (signer.keyFile / signer.kind)")),
};

/** The HTTP client that tells the stand's health record whether each request was answered. */
class WatchedHttpClient extends GisHttpClient {
  constructor(
    opts: HttpOptions,
    private readonly health: StandHealth | undefined,
    private readonly url: string,
  ) {
    super(opts);
  }

  override async post(servicePath: string, soapAction: string, body: string): Promise<HttpAnswer> {
    const startedAt = Date.now();
    const failed = (error: string) => this.health?.failed({ startedAt, error, request: `POST ${servicePath}`, url: this.url }).catch(() => undefined);
    let res: HttpAnswer;
    try {
      res = await super.post(servicePath, soapAction, body);
    } catch (e) {
      await failed(e instanceof TransportError ? `${e.code}: ${e.message}` : (e as Error).message);
      throw e;
    }
    // A SOAP fault is GIS answering; an HTTP error page (a proxy's 502) is not.
    if (res.status === 200 || /<(\w+:)?Fault[\s>]/.test(res.body)) await this.health?.answered().catch(() => undefined);
    else await failed(`HTTP ${res.status}`);
    return res;
  }
}

/** A factory: the exchange context for an organization (its orgPPAGUID goes into RequestHeader). */
export async function exchangeFactory(
  ds: DataSource,
  o: ExchangeOptions,
  health?: StandHealth,
): Promise<{ forOrganization(id: number | null): Promise<ExchangeContext>; url: string; close(): void }> {
  const signers = new OrganizationSigners(ds, o.signer ? async () => o.signer! : () => signerFromSettings(ds));
  // A broken installation key is a configuration error now, not a failed operation later.
  const signer = o.signer ?? ((await installationSignerConfigured(ds)) ? await signers.installationSigner() : null);
  const mode = o.mode ?? (o.stand === "local" ? "plain" : ((await getSetting<string>(ds, "transport.mode")) as TransportMode));
  const basicSource = await getSetting<string | null>(ds, "transport.basicPasswordSource");
  const url = o.url ?? standUrl(o.stand);
  const client = new WatchedHttpClient(
    {
      baseUrl: url,
      mode,
      certFingerprint: (await getSetting<string | null>(ds, "transport.certFingerprint")) ?? undefined,
      user: (await getSetting<string | null>(ds, "transport.basicUser")) ?? undefined,
      password: mode === "basic" && basicSource ? await readSecret(basicSource, "пароль тестового стенда") : undefined,
      responseTimeoutMs: (await getSetting<number>(ds, "transport.timeoutSeconds")) * 1000,
    },
    health,
    url,
  );
  const policy = await loadErrorPolicy(ds);
  const schedule = o.schedule ?? (await loadPollSchedule(ds));
  const maxInFlightPerOrganization = await getSetting<number>(ds, "exchange.maxInFlightPerOrganization");
  const orgGuid = new Map<number, string | undefined>();
  return {
    url,
    async forOrganization(id) {
      // Cached once known; the services stage may fill it in (exportOrgRegistry) during the run.
      if (id !== null && !orgGuid.get(id)) orgGuid.set(id, (await identitiesAt(ds, "organization", [id], o.stand)).get(id)?.gisOrgPpaGuid ?? undefined);
      return {
        ds,
        client,
        // What signs is asked per send (signing); `signer` is only the fallback of contexts made without it.
        signer: signer ?? NO_SIGNER,
        signing: (headerOnly, stand) => signers.forOrganization(id, headerOnly, stand),
        maxInFlightPerOrganization,
        policy,
        schedule,
        header: { orgPPAGUID: id === null ? undefined : orgGuid.get(id) },
      };
    },
    close: () => {
      client.close();
      void signers.close();
    },
  };
}
