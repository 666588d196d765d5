import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FIRST_OPEN_TIMEOUT, launchBrowser, openWatchedPage, screenshot } from "../setup/browser";
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

test("the app renders a Polaris page inside the simulator's admin frame", async () => {
  const { page, problems } = await openWatchedPage(browser);
  await page.goto(`${network.sim.origin}/admin/${shop}/apps/tandem`);
  const frame = page.frameLocator("#app-frame");
  // A store with no role yet is taken to onboarding.
  await frame.getByRole("heading", { name: "Set up Tandem" }).waitFor({ timeout: FIRST_OPEN_TIMEOUT });
  await expect(frame.getByRole("button", { name: "Make this the primary store" }).count()).resolves.toBe(1);
  await screenshot(page, "onboarding-choose-role");
  expect(problems).toEqual([]);
});
