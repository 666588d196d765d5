import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { BROWSER_USER_AGENT } from "./test-app";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Headless Debian Chromium with the flags this offline machine needs (no background networking). */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Bound on a store's first open of Tandem, which installs it (token exchange, then the first
 * page): measured over 10 s in a loaded SQLite pass and over 15 s in a loaded PostgreSQL pass.
 * Tests wait on the page itself; this only bounds the wait.
 */
export const FIRST_OPEN_TIMEOUT = 45_000;

export type WatchedPage = { page: Page; context: BrowserContext; problems: string[] };

/**
 * A page whose console errors, page errors and requests leaving this machine are collected:
 * a test asserts `problems` is empty. The user agent is a normal Chrome one because the
 * library answers HeadlessChrome with 410 (bot filter).
 */
export async function openWatchedPage(browser: Browser, locale = "en-US"): Promise<WatchedPage> {
  const context = await browser.newContext({ userAgent: BROWSER_USER_AGENT, locale, viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => {
    problems.push(`request left the machine: ${route.request().url()}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return { page, context, problems };
}

export async function screenshot(page: Page, name: string) {
  const file = path.resolve("test-results", `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
