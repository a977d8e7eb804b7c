import { DefaultNamingStrategy } from "typeorm";

/** Embedded columns read as one word: sync.errorCode → syncErrorCode (the default gives syncErrorcode). */
export class NamingStrategy extends DefaultNamingStrategy {
  override columnName(propertyName: string, customName: string | undefined, prefixes: string[]): string {
    const name = customName || propertyName;
    const prefix = prefixes.join("");
    return prefix ? prefix + name.charAt(0).toUpperCase() + name.slice(1) : name;
  }
}
