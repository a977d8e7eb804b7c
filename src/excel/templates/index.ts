/** Every template kind, in the order GIS wants data loaded (the manual's exchange order). */
import { UserError } from "../../util/errors";
import { contracts } from "./contracts";
import { supplyContracts } from "./supply-contracts";
import { mkd } from "./mkd";
import { zhd } from "./zhd";
import { accounts } from "./accounts";
import { meters } from "./meters";
import { readings } from "./readings";
import { readingsCommon } from "./readings-common";
import { tempAddresses } from "./temp-addresses";
import { paymentDocuments } from "./payment-documents";
import { TemplateDefinition } from "./types";

export const TEMPLATES: TemplateDefinition[] = [
  contracts,
  supplyContracts,
  tempAddresses,
  mkd,
  zhd,
  accounts,
  meters,
  readings,
  readingsCommon,
  paymentDocuments,
];

export const TEMPLATE_KINDS = TEMPLATES.map((t) => t.kind);

export function templateFor(kind: string): TemplateDefinition {
  const t = TEMPLATES.find((x) => x.kind === kind);
  if (!t) throw new UserError(`Неизвестный вид шаблона «${kind}». Допустимые: ${TEMPLATE_KINDS.join(", ")}`);
  return t;
}

export * from "./types";
