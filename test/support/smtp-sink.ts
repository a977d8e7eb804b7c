/**
 * A real SMTP server for tests (smtp-server, on 127.0.0.1 and a random port): it takes every
 * message with a login and password, and keeps what arrived, decoded (subject's encoded words,
 * base64 or quoted-printable text body).
 */
import { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
  user: string | undefined;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Resolves once `n` messages have arrived (rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_m, _cs: string, enc: string, data: string) =>
    enc.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : qp(data.replace(/_/g, " ")),
  );
}

function qp(s: string): string {
  const bytes = s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, "%25"));
}

export function parseMail(raw: string): { headers: Record<string, string>; subject: string; text: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, at).replace(/\r?\n[ \t]+/g, " ");
  const body = raw.slice(at).replace(/^\r?\n\r?\n/, "");
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const cte = (headers["content-transfer-encoding"] ?? "").toLowerCase();
  const text = cte === "base64" ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8") : cte === "quoted-printable" ? qp(body) : body;
  return { headers, subject: decodeWords(headers.subject ?? ""), text: text.replace(/\r\n/g, "\n") };
}

export async function startSmtpSink(o: { user?: string; password?: string } = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: !o.user,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === o.user && auth.password === o.password) cb(null, { user: auth.username });
      else cb(new Error("Invalid username or password"));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const p = parseMail(raw);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: p.subject,
          text: p.text,
          raw,
          user: session.user as string | undefined,
        });
        for (const w of waiters.splice(0)) w();
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    waitFor(n, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`SMTP: за ${timeoutMs} мс пришло писем ${mails.length} из ${n}`)), timeoutMs);
        const check = () => {
          if (mails.length >= n) {
            clearTimeout(deadline);
            resolve(mails.slice(0, n));
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
