import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser, openWatchedPage, screenshot } from "../setup/browser";
import { embeddedAppUrl } from "../../sim/admin-frame";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";
import { BROWSER_USER_AGENT, TEST_API_KEY, TEST_API_SECRET } from "../setup/test-app";

// The admin pages beyond the dashboard: Products (the primary's catalogue 25 at a time, each
// product's state in each dependent and what keeps it from syncing, with the fix), Settings of each
// role, and how the pages hold up with an empty and a 10,000-product network.
const PRIMARY = "prod-primary.myshopify.com";
const EVERYTHING = "prod-everything.myshopify.com";
const MATCHING = "prod-matching.myshopify.com";
const SEEDED = 30;
// A large network: 10,000 products on the primary and as many sync log entries.
const LARGE = "prod-large.myshopify.com";
const LARGE_DEPENDENT = "prod-large-dependent.myshopify.com";
const LARGE_PRODUCTS = 10_000;
const EMPTY = "prod-empty.myshopify.com";
let network: SyncNetwork;
let browser: Browser;

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  for (const shop of [PRIMARY, EVERYTHING, MATCHING, LARGE, LARGE_DEPENDENT, EMPTY]) await control.createStore({ domain: shop });
  await control.seed(LARGE, { products: LARGE_PRODUCTS, variantsPerProduct: 3, seed: 6, skuPrefix: "BIG" });
  await control.seed(PRIMARY, { products: SEEDED, variantsPerProduct: 2, seed: 5, skuPrefix: "PROD" });
  await control.createProduct(PRIMARY, { title: "Sample without SKU", variants: [{ sku: null, price: "1.00" }] });
  await control.createProduct(PRIMARY, { title: "Red Scarf", variants: [{ sku: "DUP-1", price: "9.00" }] });
  await control.createProduct(PRIMARY, { title: "Blue Scarf", variants: [{ sku: "DUP-1", price: "9.00" }] });
  // Matching already sells the first seeded product: only that one is in both stores.
  const first = (await control.snapshot(PRIMARY)).products[0];
  await control.createProduct(MATCHING, { title: first.title, options: first.options, variants: first.variants.map((v) => ({ sku: v.sku, price: v.price, options: v.options })) });
  await connectStores(network, PRIMARY, [{ shop: EVERYTHING }, { shop: MATCHING, preferences: { scope: "matching" } }], { plan: "basic" });
  await network.startWorker();
  await network.idle();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

describe("the admin pages", () => {
  test("the primary sees each product's state in every dependent, the problems and their fix, page by page", async () => {
    const watched = await openWatchedPage(browser);
    await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem/app/products`);
    const frame = watched.page.frameLocator("#app-frame");
    await frame.getByRole("heading", { name: "Products" }).waitFor({ timeout: 15_000 });
    const rows = frame.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(25);
    for (const store of [EVERYTHING, MATCHING]) await frame.getByRole("columnheader", { name: store }).waitFor();
    // The first product is linked in both stores; the others only where every product is created.
    await expect.poll(() => rows.first().getByText("Linked · 2 variants").count()).toBe(2);
    await expect.poll(() => rows.nth(1).getByText("Linked · 2 variants").count()).toBe(1);
    await expect.poll(() => rows.nth(1).getByText("Not linked yet").count()).toBe(1);

    await frame.getByRole("button", { name: "Next" }).click();
    await frame.getByText("Sample without SKU", { exact: true }).waitFor();
    await expect.poll(() => rows.count()).toBe(SEEDED + 3 - 25);
    // The reasons come from the sync log; the same one in every store is shown once.
    const noSku = rows.filter({ hasText: "Sample without SKU" });
    await expect.poll(() => noSku.getByText("1 variant of “Sample without SKU” has no SKU and is not synced", { exact: true }).count()).toBe(1);
    await noSku.getByText("Fix: Give every variant a unique SKU in the primary store").waitFor();
    // The duplicate SKU keeps both scarves out of every store.
    for (const title of ["Red Scarf", "Blue Scarf"]) {
      const scarf = rows.filter({ hasText: title });
      await expect.poll(() => scarf.getByText("Not synced", { exact: true }).count()).toBe(2);
      await scarf.getByText("SKU DUP-1 is used by more than one variant in the primary store; not synced").waitFor();
      await scarf.getByText("Fix: Make each SKU unique in the primary store").waitFor();
    }
    await screenshot(watched.page, "products-problems");
    await frame.getByRole("button", { name: "Previous" }).click();
    await expect.poll(() => rows.count()).toBe(25);

    await frame.getByLabel("SKU").fill("DUP-1");
    await frame.getByLabel("SKU").press("Enter");
    await expect.poll(() => rows.count()).toBe(2);
    await frame.getByLabel("SKU").fill("ZZZNOSUCHSKU");
    await frame.getByRole("button", { name: "Search" }).click();
    await frame.getByText("No product has this SKU").waitFor();
    expect(watched.problems).toEqual([]);
  }, 90_000);

  test("a dependent sees the primary's catalogue with its own state only", async () => {
    const watched = await openWatchedPage(browser);
    await watched.page.goto(`${network.sim.origin}/admin/${MATCHING}/apps/tandem/app/products`);
    const frame = watched.page.frameLocator("#app-frame");
    await frame.getByRole("heading", { name: "Products" }).waitFor({ timeout: 15_000 });
    await frame.getByText(`${PRIMARY}'s catalogue`, { exact: false }).waitFor();
    await frame.getByRole("columnheader", { name: MATCHING }).waitFor();
    expect(await frame.getByRole("columnheader", { name: EVERYTHING }).count()).toBe(0);
    const rows = frame.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(25);
    await expect.poll(() => frame.getByText("Linked · 2 variants").count()).toBe(1);
    await screenshot(watched.page, "products-dependent");
    expect(watched.problems).toEqual([]);
  }, 60_000);

  test("the primary takes a product out of the sync from its row, choosing what becomes of the copies, then brings it back", async () => {
    const watched = await openWatchedPage(browser);
    await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem/app/products`);
    const frame = watched.page.frameLocator("#app-frame");
    const rows = frame.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(25);
    const row = rows.nth(1);
    const title = (await network.sim.control.snapshot(PRIMARY)).products[1].title;
    await row.getByRole("button", { name: "Take out…" }).click();
    await frame.getByText("Archive the copies", { exact: true }).click();
    expect(await frame.getByRole("radio", { name: "Archive the copies" }).isChecked()).toBe(true);
    await frame.getByText("Its details and stock stop moving in both directions.").waitFor();
    await screenshot(watched.page, "products-take-out");
    // exact: the open popover's button owns its content, so its name holds this text too.
    await frame.getByRole("button", { name: "Take out of the sync", exact: true }).click();
    await frame.locator(".tandem-sim-toast").filter({ hasText: `“${title}” no longer syncs. Its copies are being archived in 2 stores.` }).waitFor();
    // The row says so in every store's column at once, and offers the way back.
    await expect.poll(() => row.getByText("Taken out by the primary").count()).toBe(2);
    await network.idle();
    const copy = async () => (await network.sim.control.snapshot(EVERYTHING)).products.find((p) => p.title === title);
    expect((await copy())?.status).toBe("ARCHIVED");

    await row.getByRole("button", { name: "Bring back" }).click();
    await frame.locator(".tandem-sim-toast").filter({ hasText: `“${title}” syncs again` }).waitFor();
    await network.idle();
    await watched.page.reload();
    await expect.poll(() => frame.locator("tbody tr").nth(1).getByText("Linked · 2 variants").count()).toBe(1);
    expect((await copy())?.status).not.toBe("ARCHIVED");
    expect(watched.problems).toEqual([]);
  }, 90_000);

  test("a 10,000-product network's Products and Sync log pages load one page at a time", async () => {
    // Connected without a Sync all (the dependent's setup is not finished), then a large log.
    expect((await network.post(LARGE, "/app/onboarding", { intent: "choose-role", role: "primary" })).status).toBe(200);
    const key = (await network.load(LARGE, "/app/settings")).text.match(/TNDM(-[0-9A-Z]{4}){8}/)![0];
    await network.post(LARGE_DEPENDENT, "/app/onboarding", { intent: "choose-role", role: "dependent" });
    await network.post(LARGE_DEPENDENT, "/app/onboarding", { intent: "connect-key", key });
    await network.prisma.syncLog.createMany({
      data: Array.from({ length: LARGE_PRODUCTS }, (_, i) => ({
        primaryShop: LARGE, dependentShop: LARGE_DEPENDENT, action: i % 10 === 0 ? "error" : "updated",
        productTitle: `Product ${i}`, skus: JSON.stringify([`BIG-${i}`]), message: i % 10 === 0 ? "Shopify refused the change" : "Updated price",
      })),
    });
    const before = (await network.sim.control.stats(LARGE)).api;
    const watched = await openWatchedPage(browser);
    await watched.page.goto(`${network.sim.origin}/admin/${LARGE}/apps/tandem/app/products`);
    const frame = watched.page.frameLocator("#app-frame");
    const rows = frame.locator("tbody tr");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(25);
    await frame.getByRole("columnheader", { name: LARGE_DEPENDENT }).waitFor();
    const first = await rows.first().innerText();
    await frame.getByRole("button", { name: "Next" }).click();
    await expect.poll(async () => rows.first().innerText()).not.toBe(first);
    await expect.poll(() => rows.count()).toBe(25);
    // One page of 25 products read for each view, never the catalogue.
    const after = (await network.sim.control.stats(LARGE)).api;
    expect(after.requests - before.requests).toBe(2);
    expect(after.actualCost - before.actualCost).toBeLessThan(2 * 600);

    await watched.page.goto(`${network.sim.origin}/admin/${LARGE}/apps/tandem/app/sync-log`);
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(50);
    await frame.getByLabel("Kind").selectOption("error");
    await expect.poll(async () => (await rows.allInnerTexts()).every((text) => text.includes("Error"))).toBe(true);
    await screenshot(watched.page, "sync-log-large-network");
    expect(watched.problems).toEqual([]);
  }, 120_000);

  test("the settings of each role render, and their main actions are reachable from the keyboard", async () => {
    const primary = await openWatchedPage(browser);
    await primary.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem/app/settings`);
    const primaryFrame = primary.page.frameLocator("#app-frame");
    await primaryFrame.getByRole("heading", { name: "Connection key" }).waitFor({ timeout: 15_000 });
    await primaryFrame.getByRole("heading", { name: "Dependent stores" }).waitFor();
    for (const store of [EVERYTHING, MATCHING]) await primaryFrame.getByText(store).first().waitFor();
    // The stock mode, each choice with its trade-off; saving waits for a change (not submitted here:
    // the other tests of this file share these stores' stock).
    await primaryFrame.getByRole("heading", { name: "Stock across stores" }).waitFor();
    await primaryFrame.getByText(/so no store can sell more than its share and no unit is sold twice/).waitFor();
    const saveMode = primaryFrame.getByRole("button", { name: "Save stock mode" });
    expect(await saveMode.isDisabled()).toBe(true);
    await primaryFrame.getByText("Strict allocation: each store sells only its own share", { exact: true }).click();
    expect(await saveMode.isDisabled()).toBe(false);
    await screenshot(primary.page, "settings-primary");

    const dependent = await openWatchedPage(browser);
    await dependent.page.goto(`${network.sim.origin}/admin/${MATCHING}/apps/tandem/app/settings`);
    const frame = dependent.page.frameLocator("#app-frame");
    await frame.getByRole("heading", { name: "Primary store", exact: true }).waitFor({ timeout: 15_000 });
    await frame.getByRole("heading", { name: "Locations", exact: true }).waitFor();
    await frame.getByText(PRIMARY).first().waitFor();
    await screenshot(dependent.page, "settings-dependent");
    // Disconnect asks first; Enter on the focused button opens the confirmation, Cancel closes it.
    const disconnect = frame.getByRole("button", { name: "Disconnect…" });
    await disconnect.focus();
    await disconnect.press("Enter");
    await frame.getByRole("button", { name: "Disconnect and keep products" }).waitFor();
    await frame.getByRole("button", { name: "Disconnect, keep products with stock at 0" }).waitFor();
    await frame.getByRole("button", { name: "Cancel" }).press("Enter");
    await disconnect.waitFor();
    expect(await network.prisma.connection.count({ where: { dependentShop: MATCHING, status: "connected" } })).toBe(1);
    expect([...primary.problems, ...dependent.problems]).toEqual([]);
  }, 60_000);

  test("an empty network's pages say what to do next", async () => {
    expect((await network.post(EMPTY, "/app/onboarding", { intent: "choose-role", role: "primary" })).status).toBe(200);
    const text = async (route: string) => {
      const page = await network.page(EMPTY, route);
      expect(page.status).toBe(200);
      return page.html.replace(/<!-- -->/g, "");
    };
    expect(await text("/app")).toContain("No store is connected yet");
    expect(await text("/app/products")).toContain("The primary store has no products yet");
    expect(await text("/app/sync-log")).toContain("Nothing has been synced yet");
  });

  test("what a page cannot show is said inside the app, in the admin's language, never as a bare status", async () => {
    // A query the Products page cannot use shows its first page; a SKU too long to be one is marked on the field.
    const sideways = await network.page(PRIMARY, "/app/products?direction=sideways");
    expect(sideways.status).toBe(200);
    expect(sideways.html).toContain((await network.sim.control.snapshot(PRIMARY)).products[0].title);
    const longSku = await network.page(PRIMARY, `/app/products?sku=${"X".repeat(300)}`);
    expect(longSku.status).toBe(200);
    expect(longSku.html.replace(/<!-- -->/g, "")).toContain("Too long: at most 255 characters (this has 300)");
    // An unknown sync log entry: its status, with the app's navigation, a title, what happened and the way back.
    const missing = await network.page(PRIMARY, "/app/sync-log/no-such-entry");
    expect(missing.status).toBe(404);
    expect(missing.html).toMatch(/<ui-nav-menu[\s\S]*Not found[\s\S]*What this link points to does not exist[\s\S]*Back to the dashboard/);
    const french = await fetch(embeddedAppUrl({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: network.app.origin, handle: "tandem" }, PRIMARY, { path: "/app/sync-log/no-such-entry", locale: "fr" }), { headers: { "User-Agent": BROWSER_USER_AGENT } });
    expect(french.status).toBe(404);
    expect(await french.text()).toMatch(/Introuvable[\s\S]*Retour au tableau de bord/);
    // In the browser: the same page, with no error of React's or the console's.
    const watched = await openWatchedPage(browser);
    await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem/app/sync-log/no-such-entry`);
    const frame = watched.page.frameLocator("#app-frame");
    await frame.getByRole("heading", { name: "Not found" }).waitFor({ timeout: 15_000 });
    await frame.getByRole("link", { name: "Back to the dashboard" }).waitFor();
    expect(watched.problems.filter((problem) => !problem.includes("404"))).toEqual([]);
  }, 60_000);
});
