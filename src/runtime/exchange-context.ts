/**
 * The exchange for a stand, assembled from settings: the signer, the HTTP client with the stand's
 * address and connection mode, the error policy and the poll schedule. Secrets (PIN, Basic
 * password) are read from their sources here and never logged.
 */
import { DataSource } from "typeorm";
import { Organization } from "../../entities/organization";
import { Stand } from "../../entities/gis-operation";
import { ExchangeContext } from "../exchange/exchange";
import { loadErrorPolicy, loadPollSchedule } from "../exchange/settings";
import { PollSchedule } from "../exchange/backoff";
import { getSetting } from "../settings/settings";
import { Signer, openSigner } from "../signing";
import { GisHttpClient, TransportMode, standUrl } from "../transport/http";
import { UserError } from "../util/errors";
import { readSecret } from "../util/secrets";

export async function signerFromSettings(ds: DataSource): Promise<Signer> {
  const kind = await getSetting<string>(ds, "signer.kind");
  const need = async (key: string) => {
    const v = await getSetting<string | null>(ds, key);
    if (!v) throw new UserError(`Не задана настройка ${key} (подпись: ${kind})`);
    return v;
  };
  if (kind === "pkcs11") {
    return openSigner({ kind: "pkcs11", library: await need("signer.pkcs11Library"), tokenLabel: await need("signer.tokenLabel"),
      keyId: (await getSetting<string | null>(ds, "signer.keyId")) ?? undefined, pinSource: await need("signer.pinSource") } as never);
  }
  if (kind === "command") {
    const [cmd, ...args] = (await need("signer.command")).split(/\s+/);
    return openSigner({ kind: "command", command: cmd, args, certFile: await need("signer.certFile") } as never);
  }
  return openSigner({ kind: "software", keyFile: await need("signer.keyFile"), certFile: await need("signer.certFile") });
}

export interface ExchangeOptions {
  stand: Stand;
  /** Overrides the stand's URL (demo --stand-url, the in-process stand). */
  url?: string;
  signer?: Signer;
  schedule?: PollSchedule;
  mode?: TransportMode;
}

/** A factory: the exchange context for an organization (its orgPPAGUID goes into RequestHeader). */
export async function exchangeFactory(ds: DataSource, o: ExchangeOptions): Promise<{ forOrganization(id: number | null): Promise<ExchangeContext>; close(): void }> {
  const signer = o.signer ?? (await signerFromSettings(ds));
  const mode = o.mode ?? (o.stand === "local" ? "plain" : ((await getSetting<string>(ds, "transport.mode")) as TransportMode));
  const basicSource = await getSetting<string | null>(ds, "transport.basicPasswordSource");
  const client = new GisHttpClient({
    baseUrl: o.url ?? standUrl(o.stand), mode,
    certFingerprint: (await getSetting<string | null>(ds, "transport.certFingerprint")) ?? undefined,
    user: (await getSetting<string | null>(ds, "transport.basicUser")) ?? undefined,
    password: mode === "basic" && basicSource ? await readSecret(basicSource, "пароль тестового стенда") : undefined,
    responseTimeoutMs: (await getSetting<number>(ds, "transport.timeoutSeconds")) * 1000,
  });
  const policy = await loadErrorPolicy(ds);
  const schedule = o.schedule ?? (await loadPollSchedule(ds));
  const orgGuid = new Map<number, string | undefined>();
  return {
    async forOrganization(id) {
      // Cached once known; the services stage may fill it in (exportOrgRegistry) during the run.
      if (id !== null && !orgGuid.get(id)) orgGuid.set(id, (await ds.getRepository(Organization).findOneBy({ id }))?.gisOrgPpaGuid ?? undefined);
      return { ds, client, signer, policy, schedule, header: { orgPPAGUID: id === null ? undefined : orgGuid.get(id) } };
    },
    close: () => client.close(),
  };
}
