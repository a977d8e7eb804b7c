/**
 * A headless browser for UI tests: playwright-core driving Debian's chromium (no browser download).
 * Screenshots go to test-artifacts/ at the project root.
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
