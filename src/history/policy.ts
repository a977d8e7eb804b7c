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

export interface Flags {
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

/** Properties the importer computes from bundle columns (src/importer/rules.ts DERIVED): replicated like the columns. */
const DERIVED_FROM_BUNDLE: Record<string, string[]> = {
  meter: ["lastVerificationDate"],
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

  /** The field's markers: the installation's row when there is one, else the defaults. */
  flags(entity: string, field: string): Flags {
    const o = this.overrides.get(`${entity}.${field}`);
    if (o) return { replicated: o.replicated, history: o.history, importedFromGis: o.importedFromGis };
    return FieldPolicies.defaultFlags(entity, field);
  }

  isOverridden(entity: string, field: string): boolean {
    return this.overrides.has(`${entity}.${field}`);
  }

  /** The installation template's markers (the manual's «ШАБЛОН ПО УМОЛЧАНИЮ»). */
  static defaultFlags(entity: string, field: string): Flags {
    const fromGis = /^gis[A-Z]/.test(field) || (DEFAULT_FROM_GIS[entity] ?? []).includes(field);
    return {
      replicated:
        !fromGis &&
        (BUNDLE_FILES.some((f) => f.entity === entity && f.fields.some((x) => x.property === field)) || (DERIVED_FROM_BUNDLE[entity] ?? []).includes(field)),
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

  /**
   * Guard for manual edits (API, UI): a replicated field is changed in billing, not here; a field
   * imported from GIS is GIS's. `what` names the object and the field for the message
   * («Лицевой счёт 12, поле «Общая площадь»»). `fromBilling` false: an object entered by hand,
   * which no import touches, so replication does not hold it.
   */
  assertEditable(entity: string, field: string, what = `Поле ${entity}.${field}`, fromBilling = true): void {
    if (fromBilling && this.isReplicated(entity, field)) {
      throw new UserError(`${what}: загружается из учётной системы (отметка «Репликация» в «Поля для синхронизации») и вручную не изменяется`, 2);
    }
    if (this.isFromGis(entity, field)) {
      throw new UserError(`${what}: значение присваивает ГИС ЖКХ (отметка «Импорт» в «Поля для синхронизации»), его нельзя изменить вручную`, 2);
    }
  }
}
