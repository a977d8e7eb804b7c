/** The part of better-sqlite3 (MIT) that the backup uses: its online backup API. */
declare module "better-sqlite3" {
  interface Statement {
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  }
  class Database {
    constructor(file: string, options?: { readonly?: boolean; fileMustExist?: boolean });
    pragma(source: string): unknown;
    prepare(source: string): Statement;
    backup(destination: string): Promise<{ totalPages: number; remainingPages: number }>;
    close(): void;
  }
  export = Database;
}
