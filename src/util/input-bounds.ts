/**
 * Bounded input: limits on what an uploaded or imported file may make us hold or unpack — the
 * size of a zip's (or an xlsx's) content, its number of entries, an xlsx's shared strings (count
 * and bytes, and no DOCTYPE), a CSV's columns and record length. A file over a limit is refused
 * before it is read, with a message naming the file and the setting, instead of filling the heap.
 * Declared sizes in a zip can lie, so content is also counted as it is unpacked.
 */
import { Readable, Transform } from "node:stream";
import { DataSource } from "typeorm";
import * as unzipper from "unzipper";
import { getSetting } from "../settings/settings";
import { UserError } from "./errors";

export interface InputLimits {
  /** An uploaded file, as sent. */
  uploadBytes: number;
  /** Everything a zip or xlsx unpacks to. */
  unzippedBytes: number;
  zipEntries: number;
  /** An xlsx's shared strings: how many, and how many bytes of XML. */
  sharedStrings: number;
  sharedStringsBytes: number;
  csvColumns: number;
  /** One CSV record (a line), in characters. */
  csvRecordChars: number;
}

const MB = 1 << 20;

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  uploadBytes: 200 * MB,
  unzippedBytes: 1024 * MB,
  zipEntries: 10_000,
  sharedStrings: 2_000_000,
  sharedStringsBytes: 256 * MB,
  csvColumns: 1000,
  csvRecordChars: 1 * MB,
};

/** The settings behind each limit (group «Импорт»), named in every refusal. */
export const LIMIT_SETTINGS = {
  uploadBytes: "import.maxUploadMb",
  unzippedBytes: "import.maxUnzippedMb",
  zipEntries: "import.maxZipEntries",
  sharedStrings: "import.maxSharedStrings",
  sharedStringsBytes: "import.maxSharedStringsMb",
  csvColumns: "import.maxCsvColumns",
  csvRecordChars: "import.maxCsvRecordKb",
} as const;

/** A file refused for its size or shape: a UserError, so the CLI and the API show the message alone. */
export class InputRefused extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "InputRefused";
  }
}

/** The file is not a zip archive at all (or a damaged one): readers say what they expected instead. */
export class NotAnArchive extends InputRefused {}

export async function inputLimits(ds: DataSource): Promise<InputLimits> {
  const n = async (k: string) => Number(await getSetting<number>(ds, k));
  return {
    uploadBytes: (await n(LIMIT_SETTINGS.uploadBytes)) * MB,
    unzippedBytes: (await n(LIMIT_SETTINGS.unzippedBytes)) * MB,
    zipEntries: await n(LIMIT_SETTINGS.zipEntries),
    sharedStrings: await n(LIMIT_SETTINGS.sharedStrings),
    sharedStringsBytes: (await n(LIMIT_SETTINGS.sharedStringsBytes)) * MB,
    csvColumns: await n(LIMIT_SETTINGS.csvColumns),
    csvRecordChars: (await n(LIMIT_SETTINGS.csvRecordChars)) * 1024,
  };
}

const mb = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} МБ`;

/** Opens a zip (or xlsx) by its central directory and refuses it when it declares too much. */
export async function openBoundedZip(
  file: string,
  label: string,
  limits: InputLimits,
  /** A more specific check of the declared entries, before the totals (an xlsx's shared strings). */
  first?: (dir: unzipper.CentralDirectory) => void,
): Promise<unzipper.CentralDirectory> {
  let dir: unzipper.CentralDirectory;
  try {
    dir = await unzipper.Open.file(file);
  } catch (e) {
    throw new NotAnArchive(`${label}: не zip-архив или архив повреждён (${(e as Error).message})`);
  }
  first?.(dir);
  if (dir.files.length > limits.zipEntries)
    throw new InputRefused(`${label}: в архиве ${dir.files.length} файлов, допустимо не более ${limits.zipEntries} (настройка ${LIMIT_SETTINGS.zipEntries})`);
  const declared = dir.files.reduce((s, f) => s + (f.uncompressedSize || 0), 0);
  if (declared > limits.unzippedBytes)
    throw new InputRefused(
      `${label}: архив распаковывается в ${mb(declared)}, допустимо не более ${mb(limits.unzippedBytes)} (настройка ${LIMIT_SETTINGS.unzippedBytes}) — похоже на zip-бомбу`,
    );
  return dir;
}

/** A budget of unpacked bytes shared by the entries of one archive: declared sizes may lie, counted bytes do not. */
export class UnzipBudget {
  private used = 0;
  constructor(
    private readonly label: string,
    private readonly limits: InputLimits,
  ) {}

  /** The entry's content, failing the stream as soon as the archive's total passes the limit. */
  stream(entry: unzipper.CentralDirectoryFile): Readable {
    const source = entry.stream();
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        this.used += chunk.length;
        if (this.used > this.limits.unzippedBytes) {
          source.unpipe(counter);
          source.destroy();
          done(
            new InputRefused(
              `${this.label}: содержимое архива больше ${mb(this.limits.unzippedBytes)} (настройка ${LIMIT_SETTINGS.unzippedBytes}) — похоже на zip-бомбу`,
            ),
          );
          return;
        }
        done(null, chunk);
      },
    });
    source.on("error", (e) => counter.destroy(e));
    return source.pipe(counter);
  }
}

const items = (xml: string) => (xml.match(/<si[\s>/]/g) ?? []).length;

const entryOf = (dir: unzipper.CentralDirectory, name: string) => dir.files.find((f) => f.path.replace(/^\//, "").toLowerCase() === name);

/**
 * Checks an xlsx before anything reads it: the archive's limits, then its shared strings — their
 * XML size, their count, and no DOCTYPE (entities are how a small file becomes a huge one).
 */
export async function checkXlsx(file: string, label: string, limits: InputLimits): Promise<void> {
  const tooBig = () =>
    new InputRefused(
      `${label}: общие строки книги (xl/sharedStrings.xml) больше ${mb(limits.sharedStringsBytes)} (настройка ${LIMIT_SETTINGS.sharedStringsBytes}); разбейте файл на несколько`,
    );
  const dir = await openBoundedZip(file, label, limits, (d) => {
    if ((entryOf(d, "xl/sharedstrings.xml")?.uncompressedSize ?? 0) > limits.sharedStringsBytes) throw tooBig();
  });
  const ss = entryOf(dir, "xl/sharedstrings.xml");
  if (!ss) return;
  let bytes = 0;
  let count = 0;
  let tail = "";
  const stream = new UnzipBudget(label, limits).stream(ss);
  try {
    for await (const chunk of stream) {
      bytes += (chunk as Buffer).length;
      if (bytes > limits.sharedStringsBytes) throw tooBig();
      // A window over the chunk boundary so a tag split in two is still seen.
      const text = tail + (chunk as Buffer).toString("latin1");
      if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text))
        throw new InputRefused(`${label}: в общих строках книги (xl/sharedStrings.xml) есть DOCTYPE — такие файлы не принимаются (защита от XXE)`);
      count += items(text) - items(tail);
      if (count > limits.sharedStrings)
        throw new InputRefused(
          `${label}: в книге больше ${limits.sharedStrings} общих строк (настройка ${LIMIT_SETTINGS.sharedStrings}); разбейте файл на несколько`,
        );
      tail = text.slice(-16);
    }
  } finally {
    stream.destroy();
  }
}
