/**
 * `gis-sync org list` — the organizations the installation serves: role, OGRN/KPP, who signs for
 * them and the certificate's subject and expiry. `gis-sync org signer ORG --kind …` sets an
 * organization's signing identity (audited; a signing command only here, never through the web).
 */
import os from "node:os";
import { Command } from "commander";
import { Organization } from "../../../entities/organization";
import { SIGNER_KINDS, SignerKind } from "../../../entities/organization-signer";
import { SignerView, describeOrganizationSigner, findOrganization, setOrganizationSigner } from "../../signing/organization-signer-store";
import { UserError } from "../../util/errors";
import { withDatabase } from "../context";
import { identitiesAt } from "../../storage/identity/store";
import { STANDS } from "../../../entities/gis-operation";

const KIND_NAMES: Record<SignerKind, string> = {
  software: "ключ в файле",
  pkcs11: "токен PKCS#11",
  command: "внешняя программа",
  operator: "подпись установки",
};

export function signerText(v: SignerView): string {
  const how =
    v.kind === "operator" ? (v.isOperatorSignature ? "подпись оператора (IsOperatorSignature)" : "подпись установки (своя организация)") : KIND_NAMES[v.kind];
  const cert = v.certificate
    ? `${v.certificate.subject}, до ${v.certificate.notAfter.slice(0, 10)}${v.certificate.expired ? " — ИСТЁК" : ""}`
    : (v.certificateNote ?? "сертификат не задан");
  return `${how}; ${cert}`;
}

export function registerOrg(program: Command): void {
  const cmd = program.command("org").description("Организации: список, подпись каждой организации");
  cmd
    .command("list")
    .description("Организации: полномочия, ОГРН/КПП, чем подписываются запросы, сертификат")
    .option("--json", "вывод в JSON")
    .action(async (o: { json?: boolean }) => {
      await withDatabase(async (ds) => {
        const orgs = await ds.getRepository(Organization).find({ order: { id: "ASC" } });
        // orgPPAGUID is per stand: each stand that registered the organization gives its own.
        const guids = new Map<number, Record<string, string>>();
        for (const stand of STANDS)
          for (const [id, at] of await identitiesAt(
            ds,
            "organization",
            orgs.map((x) => x.id),
            stand,
          ))
            if (at.gisOrgPpaGuid) guids.set(id, { ...guids.get(id), [stand]: at.gisOrgPpaGuid });
        const rows = [];
        for (const org of orgs) {
          rows.push({
            id: org.id,
            name: org.shortName ?? org.fullName,
            role: org.role,
            ogrn: org.ogrn,
            kpp: org.kpp,
            isOurs: org.isOurs,
            orgPPAGUID: guids.get(org.id) ?? {},
            signer: await describeOrganizationSigner(ds, org),
          });
        }
        if (o.json) {
          console.log(JSON.stringify(rows, null, 2));
          return;
        }
        for (const r of rows) {
          console.log(
            `${r.id}\t${r.name}${r.isOurs ? " (наша)" : ""}\t${r.role ?? "—"}\tОГРН ${r.ogrn ?? "—"}\tКПП ${r.kpp ?? "—"}\n    подпись: ${signerText(r.signer)}`,
          );
        }
      });
    });
  cmd
    .command("signer <org>")
    .description("Подпись организации (ORG — ОГРН или номер): свой ключ, токен, внешняя программа или подпись оператора")
    .requiredOption("--kind <kind>", `вид подписи: ${SIGNER_KINDS.join(" | ")}`)
    .option("--key <file>", "software: файл ключа PKCS#8 PEM")
    .option("--cert <file>", "software, command: файл сертификата PEM")
    .option("--token-label <label>", "pkcs11: метка токена (библиотека — настройка signer.pkcs11Library)")
    .option("--key-id <hex>", "pkcs11: CKA_ID ключа")
    .option("--pin-source <source>", "pkcs11: откуда читать PIN — env:ПЕРЕМЕННАЯ или file:/путь")
    .option("--command <json>", 'command: программа и аргументы JSON-массивом, например \'["/usr/bin/sign","--key","k1"]\'')
    .option("--json", "вывод в JSON")
    .action(
      async (
        ref: string,
        o: { kind: string; key?: string; cert?: string; tokenLabel?: string; keyId?: string; pinSource?: string; command?: string; json?: boolean },
      ) => {
        if (!(SIGNER_KINDS as readonly string[]).includes(o.kind)) throw new UserError(`--kind: ${SIGNER_KINDS.join(" | ")}`);
        await withDatabase(async (ds) => {
          const org = await findOrganization(ds, ref);
          const v = await setOrganizationSigner(
            ds,
            org,
            {
              kind: o.kind as SignerKind,
              keyFile: o.key,
              certFile: o.cert,
              tokenLabel: o.tokenLabel,
              keyId: o.keyId,
              pinSource: o.pinSource,
              command: o.command,
            },
            `cli:${os.userInfo().username}`,
            "cli",
          );
          console.log(o.json ? JSON.stringify(v, null, 2) : `Организация «${org.shortName ?? org.fullName}»: ${signerText(v)}`);
        });
      },
    );
}
