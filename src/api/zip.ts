/** Zip files in memory with archiver (deflate, UTF-8 names, zip64 when needed): the archive's XML for GIS support. */
import archiver from "archiver";

export async function zipFiles(files: Array<{ name: string; data: Buffer | string; date?: Date }>): Promise<Buffer> {
  const zip = archiver("zip", { zlib: { level: 6 } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.on("data", (c: unknown) => chunks.push(c as Buffer));
    zip.on("end", () => resolve(Buffer.concat(chunks)));
    zip.on("warning", reject);
    zip.on("error", reject);
  });
  for (const f of files) zip.append(Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data, "utf8"), { name: f.name, date: f.date ?? new Date() });
  await zip.finalize();
  return done;
}
