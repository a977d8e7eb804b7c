/**
 * An organization's signing identity through the web: operators see what signs (kind, certificate
 * subject and expiry — never a PIN source or a command line); admins set a key file, a token slot or
 * the operator signature. A signing command is set from the server's command line only
 * (gis-sync org signer --kind command), like signer.command.
 */
import { Organization } from "../../../entities/organization";
import { SignerKind } from "../../../entities/organization-signer";
import { describeOrganizationSigner, setOrganizationSigner } from "../../signing/organization-signer-store";
import { badRequest, notFound } from "../http";
import { Ctx, Route } from "../router";
import { idParam } from "./houses";

async function organizationOf(ctx: Ctx): Promise<Organization> {
  const o = await ctx.ds.getRepository(Organization).findOneBy({ id: idParam(ctx.params.id, "Организация") });
  if (!o) throw notFound(`Организация ${ctx.params.id}`);
  return o;
}

const WEB_KINDS = ["software", "pkcs11", "operator"] as const;

export const organizationSignerRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/organizations/{id}/signer",
    access: "operator",
    tag: "Организации",
    summary: "Чем подписываются запросы организации: вид подписи, сертификат (владелец, срок) — без секретов",
    handler: async (ctx) => describeOrganizationSigner(ctx.ds, await organizationOf(ctx)),
  },
  {
    method: "PUT",
    path: "/api/organizations/{id}/signer",
    access: "admin",
    tag: "Организации",
    summary:
      "Задать подпись организации: ключ в файле (software), токен PKCS#11 (pkcs11) или подпись установки как оператора (operator); внешняя программа — только из командной строки сервера",
    body: {
      kind: { type: "string", enum: WEB_KINDS, required: true, description: "Вид подписи" },
      keyFile: { type: "string", description: "software: путь к файлу ключа PKCS#8 PEM на сервере" },
      certFile: { type: "string", description: "software: путь к файлу сертификата PEM на сервере" },
      tokenLabel: { type: "string", description: "pkcs11: метка токена (библиотека — настройка сервера signer.pkcs11Library)" },
      keyId: { type: "string", description: "pkcs11: CKA_ID ключа (hex)" },
      pinSource: { type: "string", description: "pkcs11: откуда читать PIN — env:ПЕРЕМЕННАЯ или file:/путь (не сам PIN)" },
    },
    handler: async (ctx) => {
      const org = await organizationOf(ctx);
      const b = ctx.json("Подпись организации");
      if (b.has("command"))
        throw badRequest("Подпись организации, поле command: внешняя программа задаётся только из командной строки сервера (gis-sync org signer)");
      const kind = b.str("kind", { required: true, values: WEB_KINDS }) as SignerKind;
      return setOrganizationSigner(
        ctx.ds,
        org,
        {
          kind,
          keyFile: b.str("keyFile", { max: 1000 }),
          certFile: b.str("certFile", { max: 1000 }),
          tokenLabel: b.str("tokenLabel", { max: 100 }),
          keyId: b.str("keyId", { max: 100 }),
          pinSource: b.str("pinSource", { max: 300 }),
        },
        ctx.actor,
        "api",
      );
    },
  },
];
