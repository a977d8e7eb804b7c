/**
 * Clients for the API and UI tests: a headless browser (playwright-core driving Debian's chromium,
 * no browser download; screenshots go to test-artifacts/ at the project root) and a plain HTTP
 * client with one cookie jar and the CSRF token from login.
 */
import fs from "node:fs";
import path from "node:path";
import { Browser, Page, chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const ARTIFACTS = path.resolve(__dirname, "../../../test-artifacts");

export function browserAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"] });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The API over plain HTTP: one cookie jar, the CSRF token from login. */
export interface Answer {
  status: number;
  headers: Headers;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
  body: Buffer;
}

export class Client {
  cookie = "";
  csrf = "";
  constructor(readonly base: string) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (body !== undefined) h["content-type"] = "application/json";
    const res = await fetch(this.base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), redirect: "manual" });
    const set = res.headers.get("set-cookie");
    if (set) this.cookie = set.split(";")[0];
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString("utf8");
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, json, text, body: buf };
  }

  async login(login: string, password: string): Promise<Answer> {
    const a = await this.call("POST", "/api/login", { login, password });
    if (a.status === 200) this.csrf = a.json.csrfToken;
    return a;
  }

  /** A state-changing call with the CSRF header. */
  send(method: string, path: string, body: unknown = {}): Promise<Answer> {
    return this.call(method, path, body, { "x-csrf-token": this.csrf });
  }

  get(path: string): Promise<Answer> {
    return this.call("GET", path);
  }
}
