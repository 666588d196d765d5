import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchBrowser, openWatchedPage, screenshot } from "../setup/browser";
import { startAppWithSimulator, type TestNetwork } from "../setup/test-app";

const shop = "smoke-test.myshopify.com";
let network: TestNetwork;
let browser: Browser;

beforeAll(async () => {
  network = await startAppWithSimulator();
  // Not installed yet: opening the app installs it through token exchange, as on Shopify.
  await network.sim.control.createStore({ domain: shop });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

test("the dashboard renders a Polaris page inside the simulator's admin frame", async () => {
  const { page, problems } = await openWatchedPage(browser);
  await page.goto(`${network.sim.origin}/admin/${shop}/apps/tandem`);
  const frame = page.frameLocator("#app-frame");
  await frame.locator(".Polaris-Page").waitFor({ timeout: 10_000 });
  await expect(frame.getByRole("heading", { name: "Dashboard" }).textContent()).resolves.toBe("Dashboard");
  await expect(frame.getByText(`Tandem is installed on ${shop}`).count()).resolves.toBe(1);
  await screenshot(page, "dashboard-smoke");
  expect(problems).toEqual([]);
});
