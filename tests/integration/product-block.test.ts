import fs from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEFAULT_API_VERSION } from "../../app/shopify/api-version";
import { launchBrowser, openWatchedPage, screenshot, type WatchedPage } from "../setup/browser";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";
import { BROWSER_USER_AGENT, bearerHeaders } from "../setup/test-app";

// The product-details block (extensions/product-sync-block) as far as it can be checked without the
// Shopify CLI and the admin: it bundles (`npm run build`), its toml names the module and target it
// renders at the API version Tandem speaks, it renders and works in Chromium on the simulator's
// product pages in both roles and languages, and the app endpoint it calls answers with the
// product's state in each store and syncs it.
const EXTENSION = path.resolve("extensions/product-sync-block");
const MODULE = "./src/BlockExtension.tsx";
const PRIMARY = "block-primary.myshopify.com";
const DEPENDENT = "block-dependent.myshopify.com";
const BUNDLE = path.resolve("build/extensions/product-sync-block.js");
const ADMIN_EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
let network: SyncNetwork;
let browser: Browser;
let watched: WatchedPage;
let blockCode = "";

async function api(shop: string, init: { productId?: string; form?: Record<string, string>; token?: "bad" } = {}) {
  const url = new URL("/api/product-sync", network.app.origin);
  if (init.productId !== undefined) url.searchParams.set("productId", init.productId);
  const headers = init.token === "bad" ? { Authorization: "Bearer not-a-token", "User-Agent": BROWSER_USER_AGENT } : bearerHeaders(shop);
  const response = await fetch(url, {
    method: init.form ? "POST" : "GET",
    headers: { ...headers, Origin: ADMIN_EXTENSION_ORIGIN },
    body: init.form ? new URLSearchParams(init.form) : undefined,
  });
  const text = await response.text();
  return { status: response.status, cors: response.headers.get("access-control-allow-origin"), body: text.startsWith("{") ? JSON.parse(text) : text };
}

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  for (const shop of [PRIMARY, DEPENDENT]) await control.createStore({ domain: shop });
  await control.seed(PRIMARY, { products: 3, variantsPerProduct: 2, seed: 9, skuPrefix: "BLOCK" });
  await control.createProduct(DEPENDENT, { title: "Only sold here", variants: [{ sku: "LOCAL-1", price: "5.00" }] });
  // A lamp whose large size this store sells in a product of its own, beside a lamp only it sells:
  // Tandem does not restructure that product (seed 000: the store's own variants stay).
  await control.createProduct(PRIMARY, { title: "Lamp", options: [{ name: "Size", values: ["S", "L"] }], variants: [{ sku: "LAMP-S", price: "20.00", options: ["S"] }, { sku: "LAMP-L", price: "30.00", options: ["L"] }] });
  await control.createProduct(DEPENDENT, {
    title: "Our lamps", options: [{ name: "Model", values: ["Big", "Desk"] }],
    variants: [{ sku: "LAMP-L", price: "31.00", options: ["Big"] }, { sku: "OWN-DESK-LAMP", price: "12.00", options: ["Desk"] }],
  });
  await connectStores(network, PRIMARY, [{ shop: DEPENDENT }]);
  await network.startWorker();
  await network.idle();
  browser = await launchBrowser();
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);
  blockCode = fs.readFileSync(BUNDLE, "utf8");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

/**
 * A product's page in the simulator's admin, with the block in its frame (sim/admin-extensions.ts:
 * the `shopify` global, the block's locale file, the ID token on its fetches of the app).
 */
async function openBlock(shop: string, productId: string, options: { appAnswers?: "abort"; locale?: string } = {}) {
  const page = (watched = await openWatchedPage(browser)).page;
  if (options.appAnswers === "abort") await page.route(`${network.app.origin}/api/product-sync**`, (route) => route.abort());
  await page.goto(`${network.sim.origin}/admin/${shop}/products/${productId.split("/").pop()}?locale=${options.locale ?? "en"}`);
  return { page, block: page.frameLocator("iframe.block") };
}

describe("the product-details block extension", () => {
  test("bundles, and its toml renders that module at the product-details block target at 2026-10", async () => {
    const toml = parseToml(fs.readFileSync(path.join(EXTENSION, "shopify.extension.toml"), "utf8")) as {
      api_version: string;
      extensions: { type: string; targeting: { module: string; target: string }[] }[];
    };
    expect(toml.api_version).toBe(DEFAULT_API_VERSION);
    const [extension] = toml.extensions;
    expect(extension.type).toBe("ui_extension");
    expect(extension.targeting).toEqual([{ module: MODULE, target: "admin.product-details.block.render" }]);
    // Its @shopify/ui-extensions is the release of its api_version (2026-10 -> 2026.10.x).
    const packageJson = JSON.parse(fs.readFileSync(path.join(EXTENSION, "package.json"), "utf8"));
    const [year, month] = toml.api_version.split("-");
    expect(packageJson.dependencies["@shopify/ui-extensions"]).toMatch(new RegExp(`^${year}\\.${Number(month)}\\.`));
    expect(blockCode).toContain("admin-block");
    expect(blockCode).toContain("/api/product-sync");
  }, 60_000);

  test("on the primary's product page, shows each store's state of the product and syncs it on Sync now", async () => {
    const product = (await network.sim.control.snapshot(PRIMARY)).products[2];
    const { page, block } = await openBlock(PRIMARY, product.id);
    await expect.poll(() => block.locator("s-admin-block").getAttribute("heading")).toBe("Tandem sync");
    await block.locator("s-badge", { hasText: "Linked · 2 variants" }).waitFor();
    expect(await block.locator("s-text").first().textContent()).toBe(DEPENDENT);
    expect(await block.locator("s-badge").getAttribute("tone")).toBe("success");
    await screenshot(page, "product-block-primary");

    await block.locator("s-button", { hasText: "Sync now" }).click();
    await block.locator("s-text", { hasText: "Syncing this product to 1 store now." }).waitFor();
    await network.idle();
    expect(watched.problems).toEqual([]);
  }, 60_000);

  test("on a dependent's product page, shows its own copy's state", async () => {
    const primaryProduct = (await network.sim.control.snapshot(PRIMARY)).products[1];
    const link = await network.prisma.productLink.findFirstOrThrow({ where: { dependentShop: DEPENDENT, primaryProductId: primaryProduct.id } });
    const { page, block } = await openBlock(DEPENDENT, link.dependentProductId);
    await block.locator("s-badge", { hasText: "Linked · 2 variants" }).waitFor();
    expect(await block.locator("s-text").first().textContent()).toBe(DEPENDENT);
    await screenshot(page, "product-block-dependent");
    expect(watched.problems).toEqual([]);
  }, 60_000);

  test.each([
    { locale: "en", badge: "Linked · 1 variant", problem: "“Lamp” was not restructured: this store added its own variants (OWN-DESK-LAMP) and its options differ from the primary's. Fix: Rename this product's options like the primary's, or remove the variants this store added" },
    { locale: "fr", badge: "Lié · 1 variante", syncNow: "Synchroniser maintenant", problem: "« Lamp » n’a pas été restructuré : cette boutique a ajouté ses propres variantes (OWN-DESK-LAMP) et ses options diffèrent de celles de la boutique principale. Solution : Renommez les options de ce produit comme dans la boutique principale, ou retirez les variantes ajoutées par cette boutique" },
    { locale: "de", badge: "Verknüpft · 1 Variante", syncNow: "Jetzt synchronisieren", problem: "„Lamp“ wurde nicht umgebaut: Dieser Shop hat eigene Varianten hinzugefügt (OWN-DESK-LAMP), und seine Optionen weichen von denen des Hauptshops ab. Lösung: Benenne die Optionen dieses Produkts wie im Hauptshop oder entferne die Varianten, die dieser Shop hinzugefügt hat" },
  ])("in a dependent whose copy has a problem, shows it with the log's reason and fix ($locale)", async ({ locale, badge, problem, syncNow }) => {
    const lamp = (await network.sim.control.snapshot(PRIMARY)).products.find((p) => p.title === "Lamp")!;
    const link = await network.prisma.productLink.findFirstOrThrow({ where: { dependentShop: DEPENDENT, primaryProductId: lamp.id } });
    const { page, block } = await openBlock(DEPENDENT, link.dependentProductId, { locale });
    await block.locator("s-badge", { hasText: badge }).waitFor();
    expect(await block.locator("s-badge").getAttribute("tone")).toBe("warning");
    expect(await block.locator("s-text").nth(1).textContent()).toBe(problem);
    // The block's own words in the admin's language too.
    if (syncNow) await block.locator("s-button", { hasText: syncNow }).waitFor();
    await screenshot(page, `product-block-problem-${locale}`);
    expect(watched.problems).toEqual([]);
  }, 60_000);

  test("says so when the app does not answer", async () => {
    const product = (await network.sim.control.snapshot(PRIMARY)).products[0];
    const { block } = await openBlock(PRIMARY, product.id, { appAnswers: "abort" });
    await block.locator("s-text", { hasText: "Tandem could not load this product's status." }).waitFor();
    expect(await block.locator("s-button").count()).toBe(0);
    // The aborted fetch is the only error the page shows.
    expect(watched.problems.filter((problem) => !problem.includes("net::ERR_FAILED"))).toEqual([]);
  });
});

describe("its endpoint, /api/product-sync", () => {
  test("tells the primary each store's state of a product, with the CORS headers the admin needs", async () => {
    const product = (await network.sim.control.snapshot(PRIMARY)).products[0];
    const answer = await api(PRIMARY, { productId: product.id });
    expect(answer.status).toBe(200);
    expect(answer.cors).toBe("*");
    expect(answer.body).toMatchObject({ synced: true, primaryShop: PRIMARY, stores: [{ shop: DEPENDENT, state: "linked", variants: 2, problem: null }] });
  });

  test("tells a dependent about its copy, and says when a product is not synced by Tandem", async () => {
    const dependent = await network.sim.control.snapshot(DEPENDENT);
    const copy = dependent.products.find((p) => p.title !== "Only sold here")!;
    expect((await api(DEPENDENT, { productId: copy.id })).body).toMatchObject({ synced: true, stores: [{ shop: DEPENDENT, state: "linked" }] });
    const local = dependent.products.find((p) => p.title === "Only sold here")!;
    expect((await api(DEPENDENT, { productId: local.id })).body).toMatchObject({ synced: false, stores: [] });
    // A product id of the primary means nothing from the dependent's side.
    const primaryProduct = (await network.sim.control.snapshot(PRIMARY)).products[0];
    expect((await api(DEPENDENT, { productId: primaryProduct.id })).body).toMatchObject({ synced: false });
  });

  test("refuses a bad token and a malformed product id", async () => {
    const product = (await network.sim.control.snapshot(PRIMARY)).products[0];
    expect((await api(PRIMARY, { productId: product.id, token: "bad" })).status).toBe(401);
    const malformed = await api(PRIMARY, { productId: "42; DROP TABLE" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toContain("Product GID");
  });

  test("Sync now sets a product edited in the dependent back to the primary's at once", async () => {
    const primary = (await network.sim.control.snapshot(PRIMARY)).products[1];
    const link = await network.prisma.productLink.findFirstOrThrow({ where: { dependentShop: DEPENDENT, primaryProductId: primary.id } });
    // A dependent's own edits start nothing (only the primary's webhooks do).
    await network.sim.control.updateProduct(DEPENDENT, link.dependentProductId, { title: "Renamed in the dependent" });
    await network.idle();
    const copyOf = async () => (await network.sim.control.snapshot(DEPENDENT)).products.find((p) => p.id === link.dependentProductId)!;
    expect((await copyOf()).title).toBe("Renamed in the dependent");

    const synced = await api(PRIMARY, { form: { intent: "sync-now", productId: primary.id } });
    expect(synced).toMatchObject({ status: 200, cors: "*", body: { ok: true, message: "Syncing this product to 1 store now." } });
    await network.idle();
    expect((await copyOf()).title).toBe(primary.title);
    const bad = await api(PRIMARY, { form: { intent: "sync-later", productId: primary.id } });
    expect(bad.status).toBe(400);
  });
});

describe("a product taken out of the sync", () => {
  test("a copy the store unlinked says so in its block, in the store's language, and Sync now is refused", async () => {
    const primary = (await network.sim.control.snapshot(PRIMARY)).products[0];
    const link = await network.prisma.productLink.findFirstOrThrow({ where: { dependentShop: DEPENDENT, primaryProductId: primary.id } });
    const unlinked = await network.post(DEPENDENT, "/app/products", { intent: "exclude", productId: primary.id, outcome: "keep" });
    expect(unlinked.shown).toContain("no longer syncs to this store");
    await network.idle();
    expect(await network.prisma.productLink.count({ where: { dependentShop: DEPENDENT, primaryProductId: primary.id } })).toBe(0);

    // The copy has no link any more: the block finds the store's choice by the copy's id.
    const { page, block } = await openBlock(DEPENDENT, link.dependentProductId, { locale: "es" });
    await block.locator("s-badge", { hasText: "Desvinculado por la tienda" }).waitFor();
    expect(await block.locator("s-badge").getAttribute("tone")).toBe("warning");
    // Nothing to sync now: the block says where to bring it back instead.
    await block.locator("s-text", { hasText: "Este producto está fuera de la sincronización. Vuelve a incluirlo en Tandem › Productos." }).waitFor();
    expect(await block.locator("s-button").count()).toBe(0);
    await screenshot(page, "product-block-unlinked-es");
    expect(watched.problems).toEqual([]);
    expect((await api(PRIMARY, { productId: primary.id })).body).toMatchObject({ stores: [{ shop: DEPENDENT, state: "excluded", by: "store", outcome: "keep" }] });
    const refused = await api(DEPENDENT, { form: { intent: "sync-now", productId: link.dependentProductId } });
    expect(refused).toMatchObject({ status: 409, body: { ok: false, message: "This product is out of the sync: bring it back in Tandem › Products first." } });
    await network.idle();
    expect(await network.prisma.productLink.count({ where: { dependentShop: DEPENDENT, primaryProductId: primary.id } })).toBe(0);
  }, 60_000);
});
