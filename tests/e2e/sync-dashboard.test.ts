import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launchBrowser, openWatchedPage, screenshot } from "../setup/browser";
import { choosePlan, connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

const PRIMARY = "dash-primary.myshopify.com";
const DEPENDENT = "dash-dependent.myshopify.com";
let network: SyncNetwork;
let browser: Browser;

beforeAll(async () => {
  network = await startSyncNetwork();
  // The primary's merchant is in Paris: the admin shows times on that clock.
  await network.sim.control.createStore({ domain: PRIMARY, ianaTimezone: "Europe/Paris" });
  await network.sim.control.createStore({ domain: DEPENDENT });
  await network.sim.control.seed(PRIMARY, { products: 30, variantsPerProduct: 2, seed: 3, skuPrefix: "DASH" });
  await network.sim.control.createMetafieldDefinition(PRIMARY, { name: "Material", namespace: "custom", key: "material", type: "single_line_text_field" });
  await network.sim.control.createMetafieldDefinition(PRIMARY, { name: "Care guide", namespace: "custom", key: "care", type: "multi_line_text_field" });
  await connectStores(network, PRIMARY, [{ shop: DEPENDENT }]);
  await network.startWorker();
  await network.idle();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

test("the primary's dashboard shows the counts, starts Sync all and follows it to the end", async () => {
  const watched = await openWatchedPage(browser);
  await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem`);
  const frame = watched.page.frameLocator("#app-frame");
  await frame.getByRole("heading", { name: "Sync status" }).waitFor({ timeout: 15_000 });
  await frame.getByText("30 products linked of 30 available").waitFor();
  await frame.getByRole("button", { name: "Sync all", exact: true }).click();
  // What started is confirmed with an App Bridge toast, not a banner on the page.
  await frame.locator(".tandem-sim-toast").filter({ hasText: "Sync all started for 1 store." }).waitFor();
  expect(await frame.locator(".Polaris-Banner").filter({ hasText: "Sync all started" }).count()).toBe(0);
  // The list refreshes by itself until the new task is done.
  await expect.poll(async () => frame.getByText("Done", { exact: true }).count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  // The activity chart counts the 30 products the first Sync all created (the second changed nothing).
  const chart = frame.getByRole("img", { name: "Sync activity over the last 14 days: 30 changes, 0 skipped, 0 errors" });
  await chart.waitFor();
  await expect.poll(() => chart.locator("svg").count()).toBeGreaterThan(0);
  await screenshot(watched.page, "dashboard-sync-status");
  // A frame too narrow for bars (or one laid out narrow for a moment) gets the figures as text,
  // never bars of negative size; back at full width the bars return.
  const appFrame = watched.page.locator("#app-frame");
  await appFrame.evaluate((element: HTMLElement) => (element.style.width = "100px"));
  await frame.getByText("Sync activity over the last 14 days: 30 changes, 0 skipped, 0 errors").waitFor();
  expect(await chart.locator("svg").count()).toBe(0);
  await appFrame.evaluate((element: HTMLElement) => (element.style.width = ""));
  await expect.poll(() => chart.locator("svg").count()).toBeGreaterThan(0);
  // The ⋯ menu of a task opens from the keyboard; a finished task shows its counts and cannot be retried.
  const menu = frame.getByRole("button", { name: `Actions for Sync all (${DEPENDENT})` }).first();
  await menu.focus();
  await menu.press("Enter");
  await frame.getByRole("menuitem", { name: "Details" }).click();
  await frame.getByText(/30 products in the primary · 30 unchanged · 30 products done/).first().waitFor();
  // Recent tasks is a card of its own; the second Sync all changed nothing and says so.
  await frame.getByRole("heading", { name: "Recent tasks", level: 2 }).waitFor();
  await frame.getByText("Nothing needed changing.").first().waitFor();
  // Times are the store's (Paris, GMT+1 in December), named so.
  await frame.getByText(/^[A-Z][a-z]{2} \d+, 2026, \d+:\d{2} [AP]M GMT\+1$/).first().waitFor();
  expect(await frame.getByText(/UTC/).count()).toBe(0);
  await menu.click();
  await frame.getByRole("menuitem", { name: "Sync log of this task" }).waitFor();
  expect(await frame.getByRole("menuitem", { name: "Retry" }).count()).toBe(0);
  await screenshot(watched.page, "dashboard-task-menu");
  // Its sync log is empty because nothing changed, which the page says (not "no entry matches these filters").
  await frame.getByRole("menuitem", { name: "Sync log of this task" }).click();
  await frame.getByText("This task wrote no entry").waitFor();
  const jobs = await network.prisma.job.findMany({ where: { kind: "sync-all", lane: DEPENDENT } });
  expect(jobs.map((j) => j.status)).toEqual(["succeeded", "succeeded"]);
  expect(watched.problems).toEqual([]);
}, 90_000);

test("the sync log lists entries, pages through them, filters, opens one and exports CSV", async () => {
  const watched = await openWatchedPage(browser);
  await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem/app/sync-log?pageSize=10`);
  const frame = watched.page.frameLocator("#app-frame");
  await frame.getByRole("heading", { name: "Sync log" }).waitFor({ timeout: 15_000 });
  const rows = frame.locator("tbody tr");
  await expect.poll(() => rows.count()).toBe(10);
  await screenshot(watched.page, "sync-log");
  const firstPage = await rows.first().innerText();
  await frame.getByRole("button", { name: "Next" }).click();
  await expect.poll(async () => rows.first().innerText()).not.toBe(firstPage);
  await frame.getByRole("button", { name: "Previous" }).click();
  await expect.poll(async () => rows.first().innerText()).toBe(firstPage);

  await frame.getByLabel("Kind").selectOption("skipped");
  await frame.getByText("No entry matches these filters").waitFor();
  await frame.getByLabel("Kind").selectOption("created");
  await expect.poll(() => rows.count()).toBe(10);
  await frame.getByLabel("SKU").fill("DASH-00003-1");
  await frame.getByRole("button", { name: "Search" }).click();
  await expect.poll(() => rows.count()).toBe(1);
  // Polaris shows the clear button while the field has focus.
  await frame.getByLabel("SKU").focus();
  await frame.getByRole("button", { name: "Clear" }).click();
  await expect.poll(() => rows.count()).toBe(10);

  const [download] = await Promise.all([watched.page.waitForEvent("download"), frame.getByRole("button", { name: "Export CSV" }).click()]);
  const csv = await (await download.createReadStream()).toArray();
  const lines = Buffer.concat(csv).toString("utf8").split("\r\n").filter(Boolean);
  const created = await network.prisma.syncLog.count({ where: { primaryShop: PRIMARY, action: "created" } });
  expect(lines).toHaveLength(created + 1);

  await rows.first().click();
  await frame.getByRole("heading", { name: "What happened" }).waitFor();
  await screenshot(watched.page, "sync-log-entry");
  // Keyboard: the back action works with Enter.
  await frame.getByRole("link", { name: "Sync log" }).first().press("Enter");
  await frame.getByRole("heading", { name: "Sync log" }).waitFor();
  expect(watched.problems).toEqual([]);
}, 90_000);

test("stock and order entries name their product, and what happened is shown whole", async () => {
  const sku = "DASH-00004-1";
  const product = (await network.sim.control.snapshot(PRIMARY)).products.find((p) => p.variants.some((v) => v.sku === sku))!;
  // A sale on the dependent: its stock entry and its order entry (order mirroring) carry SKUs, no title.
  await network.sim.control.placeOrder(DEPENDENT, { lines: [{ sku, quantity: 1 }], paid: true });
  await network.idle();
  const written = await network.prisma.syncLog.findMany({ where: { dependentShop: DEPENDENT, action: { in: ["stock", "order"] }, skus: { contains: sku } } });
  expect(written.map((entry) => [entry.action, entry.productTitle]).sort()).toEqual([["order", null], ["stock", null]]);

  const watched = await openWatchedPage(browser);
  const frame = watched.page.frameLocator("#app-frame");
  for (const action of ["stock", "order"]) {
    await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem/app/sync-log?action=${action}`);
    await frame.getByRole("heading", { name: "Sync log" }).waitFor({ timeout: 15_000 });
    const row = frame.locator("tbody tr").filter({ hasText: sku }).first();
    await row.getByText(product.title, { exact: true }).waitFor();
    // Nothing runs past the table's right edge: long messages wrap inside their column.
    const overflow = await frame.locator("table").evaluate((table) => table.getBoundingClientRect().width - table.parentElement!.clientWidth);
    expect(overflow, action).toBeLessThanOrEqual(1);
    await screenshot(watched.page, `sync-log-${action}`);
  }
  await frame.locator("tbody tr").filter({ hasText: sku }).first().click();
  await frame.getByRole("heading", { name: product.title }).waitFor();
  // On the dashboard, the sale's stock and order tasks are one folded line of Recent tasks.
  await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem`);
  await frame.getByText("Stock and orders kept in step").first().waitFor({ timeout: 15_000 });
  await screenshot(watched.page, "dashboard-recent-tasks");
  expect(watched.problems).toEqual([]);
}, 90_000);

test("a paused dependent shows on both dashboards, with the way to resume on the primary's", async () => {
  const connection = await network.prisma.connection.findFirstOrThrow({ where: { dependentShop: DEPENDENT } });
  await network.post(PRIMARY, "/app/settings", { intent: "pause", connectionId: connection.id });
  try {
    const watched = await openWatchedPage(browser);
    await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem`);
    const frame = watched.page.frameLocator("#app-frame");
    await frame.getByText(`Sync to ${DEPENDENT} is paused`, { exact: true }).waitFor({ timeout: 15_000 });
    // Still counted in Sync status, marked paused, rather than dropped.
    await frame.getByText("30 products linked of 30 available").waitFor();
    expect(await frame.getByText("Paused", { exact: true }).count()).toBeGreaterThanOrEqual(2);
    await frame.getByRole("button", { name: "Sync all", exact: true }).click();
    // Nothing started: a banner that stays, with the way to resume (not a toast that goes).
    await frame.locator(".Polaris-Banner").filter({ hasText: `Not started: Sync to ${DEPENDENT} is paused by the primary store. Resume it under Dependent stores in Settings.` }).waitFor();
    expect(await frame.locator(".tandem-sim-toast").count()).toBe(0);
    await frame.getByRole("link", { name: "Resume in Settings" }).click();
    await frame.getByRole("heading", { name: "Dependent stores" }).waitFor();
    await screenshot(watched.page, "settings-after-paused-banner");

    await watched.page.goto(`${network.sim.origin}/admin/${DEPENDENT}/apps/tandem`);
    await frame.getByText(`Sync from ${PRIMARY} is paused by that store`, { exact: true }).waitFor({ timeout: 15_000 });
    await screenshot(watched.page, "dashboard-paused-dependent");
    expect(watched.problems).toEqual([]);
  } finally {
    await network.post(PRIMARY, "/app/settings", { intent: "resume", connectionId: connection.id });
    await network.idle();
  }
}, 90_000);

test("the plan card offers an upgrade below the top plan, and a change of plan on it", async () => {
  const watched = await openWatchedPage(browser);
  const frame = watched.page.frameLocator("#app-frame");
  await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem`);
  await frame.getByRole("link", { name: "Upgrade plan" }).waitFor({ timeout: 15_000 });
  await choosePlan(network, PRIMARY, "plus");
  await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem`);
  await frame.getByRole("link", { name: "Change plan" }).waitFor({ timeout: 15_000 });
  expect(await frame.getByRole("link", { name: "Upgrade plan" }).count()).toBe(0);

  // Free ends the paid plan at once: the page asks first, and keeping the plan changes nothing.
  await frame.getByRole("link", { name: "Change plan" }).click();
  await frame.getByRole("button", { name: "Switch to Free" }).click();
  await frame.getByText(/^Switch to Free\? Your Plus subscription ends now\./).waitFor();
  await screenshot(watched.page, "plan-confirm-free");
  await frame.getByRole("button", { name: "Keep Plus" }).click();
  await expect.poll(() => frame.getByText(/^Switch to Free\?/).count()).toBe(0);
  expect((await network.prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY } })).plan).toBe("plus");
  await frame.getByRole("button", { name: "Switch to Free" }).click();
  await frame.getByText(/^Switch to Free\?/).waitFor();
  // The banner's button comes first on the page, above the plan cards.
  await frame.getByRole("button", { name: "Switch to Free" }).first().click();
  await frame.getByText("You are now on the Free plan", { exact: false }).waitFor();
  expect((await network.prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY } })).plan).toBe("free");
  expect(watched.problems).toEqual([]);
}, 90_000);

test("seed 004's network views: the primary adds stores and reads each dependent's preferences and locations; a dependent names its primary", async () => {
  const watched = await openWatchedPage(browser);
  const frame = watched.page.frameLocator("#app-frame");
  await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem`);
  await frame.getByRole("heading", { name: "Connected stores" }).waitFor({ timeout: 15_000 });
  expect(await frame.getByRole("link", { name: "Add store" }).getAttribute("href")).toContain("/app/onboarding");
  await frame.getByRole("link", { name: "Settings" }).last().click();
  await frame.getByRole("heading", { name: "Dependent stores" }).waitFor();
  // Read only: what the dependent saved, and where each of the primary's locations goes there.
  await frame.getByRole("button", { name: "Its preferences and locations" }).click();
  await frame.getByText("On · buffer 0, share 100 %").waitFor();
  const [primaryLocation] = (await network.sim.control.snapshot(PRIMARY)).locations;
  await frame.getByText(new RegExp(`^${primaryLocation.name} → `)).waitFor();
  await screenshot(watched.page, "settings-dependent-setup");
  // A selection tag no product has is not saved: the page says so at the field and offers "Save anyway".
  await frame.getByLabel("Only products with this tag").fill("no-such-tag");
  await frame.getByRole("button", { name: "Save selection" }).click();
  await frame.getByText("No product of this store has the tag “no-such-tag”, so nothing would sync.").waitFor();
  await frame.getByText("No product has the tag “no-such-tag”. Check its spelling").waitFor();
  await frame.getByRole("button", { name: "Save anyway" }).waitFor();
  expect((await network.prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY } })).selectionTag).toBeNull();
  await screenshot(watched.page, "settings-selection-confirm");
  // Saved anyway: the change is confirmed with an App Bridge toast, not a banner on the page.
  await frame.getByRole("button", { name: "Save anyway" }).click();
  await frame.locator(".tandem-sim-toast").filter({ hasText: "Only products tagged “no-such-tag” sync from now on. 0 products have this tag." }).waitFor();
  expect(await frame.getByText("No product of this store has the tag").count()).toBe(0);
  expect((await network.prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY } })).selectionTag).toBe("no-such-tag");
  await network.idle();

  await watched.page.goto(`${network.sim.origin}/admin/${DEPENDENT}/apps/tandem`);
  await frame.getByText(`Synced from ${PRIMARY}, the primary store.`).waitFor({ timeout: 15_000 });
  expect(await frame.getByRole("link", { name: "Add store" }).count()).toBe(0);
  expect(watched.problems).toEqual([]);
}, 90_000);

test("a dependent's unsaved preferences show App Bridge's save bar: Discard puts them back, Save saves them", async () => {
  const countsUnpaid = async () => (await network.prisma.syncPreferences.findFirstOrThrow({ where: { dependentShop: DEPENDENT } })).countUnpaidOrders;
  const before = await countsUnpaid();
  const watched = await openWatchedPage(browser);
  await watched.page.goto(`${network.sim.origin}/admin/${DEPENDENT}/apps/tandem/app/settings`);
  const frame = watched.page.frameLocator("#app-frame");
  const unpaid = frame.getByRole("checkbox", { name: "Count unpaid orders" });
  await unpaid.waitFor({ timeout: 15_000 });
  // The save bar is the admin's, outside the app's frame: hidden until a value differs from the saved one.
  const saveBar = watched.page.getByRole("region", { name: "Unsaved changes" });
  expect(await saveBar.isVisible()).toBe(false);
  await unpaid.click();
  await saveBar.waitFor();
  await screenshot(watched.page, "settings-save-bar");
  // Changed back by hand: nothing is unsaved any more.
  await unpaid.click();
  await saveBar.waitFor({ state: "hidden" });
  // Discard puts the saved value back.
  await unpaid.click();
  await saveBar.getByRole("button", { name: "Discard" }).click();
  await saveBar.waitFor({ state: "hidden" });
  expect(await unpaid.isChecked()).toBe(before);
  expect(await countsUnpaid()).toBe(before);
  // Save submits the form: saved, confirmed with a toast, the bar gone.
  await unpaid.click();
  await saveBar.getByRole("button", { name: "Save" }).click();
  await frame.locator(".tandem-sim-toast").filter({ hasText: "Preferences saved." }).waitFor();
  await saveBar.waitFor({ state: "hidden" });
  expect(await countsUnpaid()).toBe(!before);
  expect(await unpaid.isChecked()).toBe(!before);
  expect(watched.problems).toEqual([]);
});

test("a dependent chooses field by field what it takes, behind the save bar: Discard puts a choice back, Save keeps it", async () => {
  const rulesSaved = async () => JSON.parse((await network.prisma.syncPreferences.findFirstOrThrow({ where: { dependentShop: DEPENDENT } })).fieldRules) as Record<string, string>;
  const before = await rulesSaved();
  const watched = await openWatchedPage(browser);
  await watched.page.goto(`${network.sim.origin}/admin/${DEPENDENT}/apps/tandem/app/settings`);
  const frame = watched.page.frameLocator("#app-frame");
  const saveBar = watched.page.getByRole("region", { name: "Unsaved changes" });
  await frame.getByRole("heading", { name: "What this store takes of each product field" }).waitFor({ timeout: 15_000 });
  // Seed 000's rules are what a store starts with.
  expect(await frame.getByLabel("Vendor", { exact: true }).inputValue()).toBe("never");
  expect(await frame.getByLabel("Description", { exact: true }).inputValue()).toBe("first");
  // A title can only be taken always or on first import: Shopify needs one to create the product.
  expect(await frame.getByLabel("Title", { exact: true }).locator("option").allTextContents()).toEqual(["Always", "On first import only"]);
  await frame.getByLabel("Tags", { exact: true }).selectOption("always");
  await saveBar.waitFor();
  await saveBar.getByRole("button", { name: "Discard" }).click();
  await saveBar.waitFor({ state: "hidden" });
  expect(await frame.getByLabel("Tags", { exact: true }).inputValue()).toBe("never");
  expect(await rulesSaved()).toEqual(before);

  await frame.getByLabel("Vendor", { exact: true }).selectOption("always");
  await frame.getByLabel("Compare-at price", { exact: true }).selectOption("never");
  await screenshot(watched.page, "settings-field-rules");
  await saveBar.getByRole("button", { name: "Save" }).click();
  await frame.locator(".tandem-sim-toast").filter({ hasText: "Preferences saved." }).waitFor();
  expect(await rulesSaved()).toMatchObject({ vendor: "always", compareAtPrice: "never", tags: "never", title: "always" });
  expect(watched.problems).toEqual([]);
  await network.idle();
});

test("the primary ticks the metafield definitions that travel, behind the save bar: Discard puts them back, Save keeps them", async () => {
  const chosen = async () => (await network.prisma.metafieldChoice.findMany({ where: { primaryShop: PRIMARY }, orderBy: { key: "asc" } })).map((c) => `${c.namespace}.${c.key}:${c.type}`);
  const watched = await openWatchedPage(browser);
  await watched.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem/app/settings`);
  const frame = watched.page.frameLocator("#app-frame");
  const saveBar = watched.page.getByRole("region", { name: "Unsaved changes" });
  await frame.getByRole("heading", { name: "Metafields that travel" }).waitFor({ timeout: 15_000 });
  // Each definition the primary has, by its name, with its namespace, key and type.
  await frame.getByText("custom.care · multi_line_text_field", { exact: true }).waitFor();
  await frame.getByText("Material", { exact: true }).click();
  await saveBar.waitFor();
  await saveBar.getByRole("button", { name: "Discard" }).click();
  await saveBar.waitFor({ state: "hidden" });
  expect(await frame.getByRole("checkbox", { name: "Material" }).isChecked()).toBe(false);
  expect(await chosen()).toEqual([]);

  await frame.getByText("Material", { exact: true }).click();
  await frame.getByText("Care guide", { exact: true }).click();
  await screenshot(watched.page, "settings-metafields");
  await saveBar.getByRole("button", { name: "Save" }).click();
  await frame.locator(".tandem-sim-toast").filter({ hasText: "2 metafields travel to the dependents now." }).waitFor();
  expect(await chosen()).toEqual(["custom.care:multi_line_text_field", "custom.material:single_line_text_field"]);
  expect(watched.problems).toEqual([]);
  await network.idle();
});

test("the other settings forms keep unsaved changes behind the save bar too: the primary's selection and stock mode, a dependent's locations", async () => {
  const primaryPage = await openWatchedPage(browser);
  await primaryPage.page.goto(`${network.sim.origin}/admin/${PRIMARY}/apps/tandem/app/settings`);
  const primary = primaryPage.page.frameLocator("#app-frame");
  const primaryBar = primaryPage.page.getByRole("region", { name: "Unsaved changes" });
  const tag = primary.getByLabel("Only products with this tag");
  await tag.waitFor({ timeout: 15_000 });
  const savedTag = await tag.inputValue();
  expect(await primaryBar.isVisible()).toBe(false);
  // A tag typed and discarded: the field shows the saved tag, and nothing was saved.
  await tag.fill("summer-only");
  await primaryBar.waitFor();
  await primaryBar.getByRole("button", { name: "Discard" }).click();
  await primaryBar.waitFor({ state: "hidden" });
  expect(await tag.inputValue()).toBe(savedTag);
  expect((await network.prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY } })).selectionTag ?? "").toBe(savedTag);
  // The stock mode chosen and discarded: shared stays chosen and saved.
  // Polaris draws its own radio over the hidden input: the merchant clicks the choice's label.
  await primary.getByText("Strict allocation: each store sells only its own share", { exact: true }).click();
  await primaryBar.waitFor();
  await primaryBar.getByRole("button", { name: "Discard" }).click();
  await primaryBar.waitFor({ state: "hidden" });
  expect(await primary.getByRole("radio", { name: /^Shared stock/ }).isChecked()).toBe(true);
  expect((await network.prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY } })).stockMode).toBe("shared");
  expect(primaryPage.problems).toEqual([]);

  // A dependent's location mapping: a location chosen shows the bar, and its Save saves it.
  const dependentPage = await openWatchedPage(browser);
  await dependentPage.page.goto(`${network.sim.origin}/admin/${DEPENDENT}/apps/tandem/app/settings`);
  const dependent = dependentPage.page.frameLocator("#app-frame");
  const dependentBar = dependentPage.page.getByRole("region", { name: "Unsaved changes" });
  const [primaryLocation] = (await network.sim.control.snapshot(PRIMARY)).locations;
  const [dependentLocation] = (await network.sim.control.snapshot(DEPENDENT)).locations;
  const mappingSelect = dependent.getByLabel(primaryLocation!.name, { exact: true });
  await mappingSelect.waitFor({ timeout: 15_000 });
  expect(await mappingSelect.inputValue()).toBe("");
  await mappingSelect.selectOption({ label: dependentLocation!.name });
  await dependentBar.waitFor();
  await dependentBar.getByRole("button", { name: "Save" }).click();
  await dependent.locator(".tandem-sim-toast").filter({ hasText: /^Location mapping saved/ }).waitFor();
  await dependentBar.waitFor({ state: "hidden" });
  expect(await mappingSelect.inputValue()).toBe(dependentLocation!.id);
  expect(dependentPage.problems).toEqual([]);
}, 90_000);
