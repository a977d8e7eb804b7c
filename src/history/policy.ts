/**
 * Field policies (the manual's «Поля для синхронизации»), per entity field:
 *  - replicated: the billing import owns it; manual edits are refused;
 *  - history: earlier values are kept with the period they were in force (src/history/history.ts);
 *  - importedFromGis: GIS is the source (ЕЛС, ИЖКУ, GIS GUIDs…); the billing import never overwrites it.
 * Defaults live here; rows of the field_policy table override them per installation.
 */
import { DataSource } from "typeorm";
import { FieldPolicy } from "../../entities/field-policy";
import { BUNDLE_FILES } from "../bundle/format";
import { UserError } from "../util/errors";

interface Flags {
  replicated: boolean;
  history: boolean;
  importedFromGis: boolean;
}

/** Values whose past matters for charges and reports: areas, residents, shares. */
const DEFAULT_HISTORY: Record<string, string[]> = {
  account: ["totalArea", "residentialArea", "heatedArea", "residentsCount", "paymentShare"],
  premise: ["totalArea", "residentialArea", "residentsCount"],
  room: ["area"],
  house: ["totalArea", "residentialArea", "nonResidentialArea"],
};

/** Identifiers GIS assigns besides the gis… properties: ЕЛС and ИЖКУ. */
const DEFAULT_FROM_GIS: Record<string, string[]> = {
  account: ["unifiedNumber", "utilityServiceId"],
};

export class FieldPolicies {
  constructor(private readonly overrides: Map<string, Flags>) {}

  static defaults(): FieldPolicies {
    return new FieldPolicies(new Map());
  }

  /** Defaults plus the installation's overrides from the field_policy table. */
  static async load(ds: DataSource): Promise<FieldPolicies> {
    const rows = await ds.getRepository(FieldPolicy).find();
    return new FieldPolicies(new Map(rows.map((r) => [`${r.entityType}.${r.field}`, r])));
  }

  private flags(entity: string, field: string): Flags {
    const o = this.overrides.get(`${entity}.${field}`);
    if (o) return o;
    const fromGis = /^gis[A-Z]/.test(field) || (DEFAULT_FROM_GIS[entity] ?? []).includes(field);
    return {
      replicated: !fromGis && BUNDLE_FILES.some((f) => f.entity === entity && f.fields.some((x) => x.property === field)),
      history: (DEFAULT_HISTORY[entity] ?? []).includes(field),
      importedFromGis: fromGis,
    };
  }

  isReplicated(entity: string, field: string): boolean {
    return this.flags(entity, field).replicated;
  }
  keepsHistory(entity: string, field: string): boolean {
    return this.flags(entity, field).history;
  }
  isFromGis(entity: string, field: string): boolean {
    return this.flags(entity, field).importedFromGis;
  }

  /** Guard for manual edits (API, UI): a replicated field is changed in billing, not here. */
  assertEditable(entity: string, field: string): void {
    if (this.isReplicated(entity, field)) {
      throw new UserError(`Поле ${entity}.${field} загружается из учётной системы и не редактируется вручную`, 2);
    }
    if (this.isFromGis(entity, field)) {
      throw new UserError(`Поле ${entity}.${field} присваивает ГИС ЖКХ, его нельзя изменить вручную`, 2);
    }
  }
}
