/** The part of unzipper's API the xlsx reader uses (the package ships no types). */
declare module "unzipper" {
  import { Readable } from "node:stream";
  export interface CentralDirectoryFile {
    path: string;
    type: "File" | "Directory";
    uncompressedSize: number;
    stream(): Readable;
    buffer(): Promise<Buffer>;
  }
  export interface CentralDirectory {
    files: CentralDirectoryFile[];
  }
  export const Open: { file(path: string): Promise<CentralDirectory> };
}
