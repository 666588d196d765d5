import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startSimulator, type Simulator } from "../../sim/server";
import { launchBrowser, openWatchedPage, screenshot } from "../setup/browser";
import { TEST_API_KEY, TEST_API_SECRET, freePort, seedOfflineSession, startTestApp, type TestApp } from "../setup/test-app";

const shop = "smoke-test.myshopify.com";
let sim: Simulator;
let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  sim = await startSimulator({ app: { apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl, handle: "tandem" } });
  app = await startTestApp({
    PORT: String(appPort),
    SHOPIFY_APP_URL: appUrl,
    APP_BRIDGE_SCRIPT_URL: `${sim.origin}/cdn/app-bridge.js`,
    SHOPIFY_ADMIN_API_ORIGIN: sim.origin,
  });
  await sim.control.createStore({ domain: shop });
  const { accessToken } = await sim.control.install(shop);
  await seedOfflineSession(app.databaseUrl, shop, accessToken);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sim?.close();
});

test("the dashboard renders a Polaris page inside the simulator's admin frame", async () => {
  const { page, problems } = await openWatchedPage(browser);
  await page.goto(`${sim.origin}/admin/${shop}/apps/tandem`);
  const frame = page.frameLocator("#app-frame");
  await frame.locator(".Polaris-Page").waitFor({ timeout: 10_000 });
  await expect(frame.getByRole("heading", { name: "Dashboard" }).textContent()).resolves.toBe("Dashboard");
  await expect(frame.getByText(`Tandem is installed on ${shop}`).count()).resolves.toBe(1);
  await screenshot(page, "dashboard-smoke");
  expect(problems).toEqual([]);
});
