/**
 * Who signs for an organization. A settlement centre sends for many organizations; each signs with
 * its own key (its organization_signer row: a key file, a PKCS#11 token slot and key, an external
 * command) or the installation's signer (the `signer.*` settings) signs as operator on its behalf —
 * then the request header says IsOperatorSignature, and GIS takes it only where the organization
 * has granted our information system its rights: once exportDataProvider has found none, such a
 * request fails before sending (PRE_NO_DELEGATION). Rights are a stand's: the organization's
 * data-provider GUID on the operation's stand, asked by an exportDataProvider applied on that stand.
 * The installation's own organization (gis.ourOrganizationId, else the only one marked ours)
 * without a row signs with the installation's signer as itself.
 *
 * Opened signers are kept per process, keyed by their configuration (a token is logged into once),
 * and closed on shutdown. A failed open is not kept: a fixed key file is picked up by the next send.
 */
import { DataSource } from "typeorm";
import { GisOperation } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { Organization } from "../../entities/organization";
import { OrganizationSigner } from "../../entities/organization-signer";
import { oneAt } from "../storage/identity/store";
import { getSetting } from "../settings/settings";
import { UserError } from "../util/errors";
import { SignerConfig, openSigner } from "./index";
import { Signer } from "./signer";

export interface OrganizationSigning {
  signer: Signer;
  /** The installation signs for the organization as operator (base:IsOperatorSignature). */
  isOperatorSignature: boolean;
}

/** Why an organization's requests cannot be signed: the operation fails with `code`, nothing is sent. */
export class SigningRefused extends Error {
  constructor(
    readonly code: "SIGNER" | "PRE_NO_DELEGATION",
    message: string,
  ) {
    super(message);
    this.name = "SigningRefused";
  }
}

/** The organization as people know it: «short name» (ОГРН …). */
export function organizationLabel(o: Pick<Organization, "id" | "shortName" | "fullName" | "ogrn"> | null, id?: number | null): string {
  if (!o) return `организация ${id ?? "?"}`;
  return `«${o.shortName ?? o.fullName}» (ОГРН ${o.ogrn ?? "не указан"})`;
}

/** The installation's own organization: the setting «Наша организация», else the only one marked ours; null when neither says. */
export async function installationOrganizationId(ds: DataSource): Promise<number | null> {
  const id = await getSetting<number | null>(ds, "gis.ourOrganizationId");
  if (id) return id;
  const ours = await ds.getRepository(Organization).find({ select: { id: true }, where: { isOurs: true }, take: 2 });
  return ours.length === 1 ? ours[0].id : null;
}

export class OrganizationSigners {
  private readonly opened = new Map<string, Promise<Signer>>();

  /** `installation`: opens the installation's signer (the `signer.*` settings), asked only when it signs. */
  constructor(
    private readonly ds: DataSource,
    private readonly openInstallation: () => Promise<Signer>,
  ) {}

  /**
   * The signer for an organization's request to `stand` (the operation's: the rights an operator
   * signature needs are that stand's). `headerOnly`: the request carries ISRequestHeader (no
   * organization in it: no operator signature, no delegated rights needed, no stand asked).
   */
  async forOrganization(organizationId: number | null, headerOnly = false, stand?: string): Promise<OrganizationSigning> {
    if (organizationId === null) return { signer: await this.installationSigner(), isOperatorSignature: false };
    const row = await this.ds.getRepository(OrganizationSigner).findOneBy({ organizationId });
    if (row && row.kind !== "operator") {
      const org = await this.ds.getRepository(Organization).findOneBy({ id: organizationId });
      return { signer: await this.open(row, org), isOperatorSignature: false };
    }
    const own = !row && (await installationOrganizationId(this.ds)) === organizationId;
    if (own || headerOnly) return { signer: await this.installationSigner(), isOperatorSignature: false };
    if (!stand) throw new Error("OrganizationSigners.forOrganization: an operator signature needs the operation's stand");
    const org = await oneAt(this.ds, "organization", organizationId, stand);
    // exportDataProvider (services stage) said the rights on this stand are absent: GIS would refuse.
    // Never asked on this stand yet (the first run's earlier steps): GIS decides, and the same run's services stage asks.
    if (org?.dataProviderCheckedAt && !org.gisDataProviderGuid && (await dataProviderAskedAt(this.ds, organizationId, stand))) {
      throw new SigningRefused(
        "PRE_NO_DELEGATION",
        `Организация ${organizationLabel(org, organizationId)} подписывается подписью оператора, но не предоставила информационной системе ` +
          "права поставщика информации (exportDataProvider не дал DataProviderGUID): ГИС ЖКХ такой запрос отклонит. " +
          "Выполните этап services после выдачи прав в ГИС ЖКХ или задайте организации её собственную подпись: gis-sync org signer",
      );
    }
    return { signer: await this.installationSigner(), isOperatorSignature: true };
  }

  /** Closes every opened signer (a PKCS#11 session is logged out); the next request opens them again. */
  async close(): Promise<void> {
    const all = [...this.opened.values()];
    this.opened.clear();
    for (const p of all) {
      const s = await p.catch(() => null);
      (s as { close?: () => void } | null)?.close?.();
    }
  }

  /** The installation's signer (the `signer.*` settings), opened once. */
  installationSigner(): Promise<Signer> {
    return this.cached("installation", this.openInstallation);
  }

  private async open(row: OrganizationSigner, org: Organization | null): Promise<Signer> {
    const who = organizationLabel(org, row.organizationId);
    const config = await signerConfig(this.ds, row, who);
    return this.cached(JSON.stringify(config), async () => {
      try {
        return await openSigner(config);
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? `файл не найден: ${(e as NodeJS.ErrnoException).path ?? ""}`.trim() : (e as Error).message;
        throw new SigningRefused("SIGNER", `Подпись организации ${who} (${row.kind}) не открыта: ${why}. Проверьте gis-sync org signer`);
      }
    });
  }

  private cached(key: string, open: () => Promise<Signer>): Promise<Signer> {
    let p = this.opened.get(key);
    if (!p) {
      p = open();
      this.opened.set(key, p);
      // A failed open is tried again next time (the file may have been put back).
      p.catch(() => this.opened.get(key) === p && this.opened.delete(key));
    }
    return p;
  }
}

/**
 * Whether an exportDataProvider carrying the organization was applied on `stand` (its answer set the
 * organization's data-provider GUID there, or none). dataProviderCheckedAt is the organization's
 * own column, set by a check on any stand: a check of sit01 says nothing about prod.
 */
export async function dataProviderAskedAt(ds: DataSource, organizationId: number, stand: string): Promise<boolean> {
  const found = await ds
    .getRepository(GisOperationItem)
    .createQueryBuilder("i")
    .innerJoin(GisOperation, "o", "o.id = i.operationId")
    .where("i.objectType = 'organization' AND i.objectId = :organizationId", { organizationId })
    .andWhere("o.method = 'exportDataProvider' AND o.stand = :stand AND o.state = 'done' AND o.appliedAt IS NOT NULL", { stand })
    .select("i.id", "id")
    .limit(1)
    .getRawOne();
  return !!found;
}

/** The signer configuration an organization_signer row describes; a missing field is named. */
export async function signerConfig(ds: DataSource, row: OrganizationSigner, who: string): Promise<SignerConfig> {
  const need = (v: string | null, field: string) => {
    if (!v) throw new SigningRefused("SIGNER", `Подпись организации ${who} (${row.kind}): не задано поле ${field}. Задайте его: gis-sync org signer`);
    return v;
  };
  switch (row.kind) {
    case "software":
      return { kind: "software", keyFile: need(row.keyFile, "keyFile"), certFile: need(row.certFile, "certFile") };
    case "pkcs11": {
      const library = await getSetting<string | null>(ds, "signer.pkcs11Library");
      if (!library) throw new SigningRefused("SIGNER", `Подпись организации ${who} (pkcs11): не задана настройка сервера signer.pkcs11Library`);
      return {
        kind: "pkcs11",
        library,
        tokenLabel: need(row.tokenLabel, "tokenLabel"),
        keyId: row.keyId ?? undefined,
        pinSource: need(row.pinSource, "pinSource"),
      };
    }
    case "command": {
      return { kind: "command", command: parseCommand(need(row.command, "command"), who), certFile: need(row.certFile, "certFile") };
    }
    default:
      throw new UserError(`Подпись организации ${who}: вид ${row.kind} не открывается как ключ`);
  }
}

/** A command as its JSON array of strings: the program, then its arguments (no shell). */
export function parseCommand(json: string, who = "организации"): string[] {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    v = null;
  }
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "string" && x !== "")) {
    throw new SigningRefused("SIGNER", `Подпись ${who}: команда — JSON-массив строк, программа и её аргументы, например ["/usr/bin/sign","--key","k1"]`);
  }
  return v as string[];
}
