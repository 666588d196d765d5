import fs from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { build } from "vite";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEFAULT_API_VERSION } from "../../app/shopify/api-version";
import { launchBrowser, openWatchedPage, type WatchedPage } from "../setup/browser";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";
import { BROWSER_USER_AGENT, bearerHeaders } from "../setup/test-app";

// The product-details block (extensions/product-sync-block) as far as it can be checked without the
// Shopify CLI and the admin: it bundles, its toml names the module and target it renders at the
// API version Tandem speaks, it renders and works in Chromium on a page that plays the admin's part,
// and the app endpoint it calls answers with the product's state in each store and syncs it.
const EXTENSION = path.resolve("extensions/product-sync-block");
const MODULE = "./src/BlockExtension.tsx";
const PRIMARY = "block-primary.myshopify.com";
const DEPENDENT = "block-dependent.myshopify.com";
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
  await connectStores(network, PRIMARY, [{ shop: DEPENDENT }]);
  await network.startWorker();
  await network.idle();
  browser = await launchBrowser();
  blockCode = await bundleBlock(MODULE);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await network?.stop();
});

/** The block's module bundled as the CLI would: Preact and the Polaris web components' bindings inlined. */
async function bundleBlock(module: string) {
  const output = await build({
    configFile: false,
    logLevel: "silent",
    root: EXTENSION,
    build: { write: false, lib: { entry: path.join(EXTENSION, module), formats: ["es"], fileName: "block" } },
  });
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => ("output" in o ? o.output : []));
  return chunks.map((chunk) => ("code" in chunk ? chunk.code : "")).join("\n");
}

/**
 * A page at the app's origin that plays the admin's part for the block: it sets the `shopify`
 * global (the product on screen, and `i18n.translate` over the block's own locale file with
 * Shopify's {{name}} and one/other plural rules), adds the ID token to the block's fetches of
 * the app, and runs the module's default export. The s-* elements stay unstyled: Chromium
 * renders them as plain elements, which is enough to read and press them.
 */
async function openBlock(shop: string, productId: string, options: { appAnswers?: "abort" } = {}) {
  const page = (watched = await openWatchedPage(browser)).page;
  const strings = JSON.parse(fs.readFileSync(path.join(EXTENSION, "locales/en.default.json"), "utf8"));
  await page.route(`${network.app.origin}/__block/**`, (route) =>
    route.request().url().endsWith(".js")
      ? route.fulfill({ contentType: "text/javascript; charset=utf-8", body: blockCode })
      : route.fulfill({
          contentType: "text/html; charset=utf-8",
          body: `<!doctype html><html><body><script type="module">
            const strings = ${JSON.stringify(strings)};
            globalThis.shopify = {
              data: { selected: [{ id: ${JSON.stringify(productId)} }] },
              i18n: {
                translate(key, replacements = {}) {
                  let text = strings[key];
                  if (typeof text === "object") text = text[replacements.count === 1 ? "one" : "other"];
                  return text.replace(/{{(\\w+)}}/g, (_, name) => String(replacements[name]));
                },
              },
            };
            const { default: run } = await import("/__block/block.js");
            await run();
          </script></body></html>`,
        }),
  );
  await page.route(`${network.app.origin}/api/product-sync**`, (route) =>
    options.appAnswers === "abort" ? route.abort() : route.continue({ headers: { ...route.request().headers(), ...bearerHeaders(shop) } }),
  );
  await page.goto(`${network.app.origin}/__block/index.html`);
  return page;
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

  test("in the admin, shows each store's state of the product and syncs it on Sync now", async () => {
    const product = (await network.sim.control.snapshot(PRIMARY)).products[2];
    const page = await openBlock(PRIMARY, product.id);
    const block = page.locator("s-admin-block");
    await expect.poll(() => block.getAttribute("heading")).toBe("Tandem sync");
    await page.locator("s-badge", { hasText: "Linked · 2 variants" }).waitFor();
    expect(await block.locator("s-text").first().textContent()).toBe(DEPENDENT);
    expect(await page.locator("s-badge").getAttribute("tone")).toBe("success");

    await page.locator("s-button", { hasText: "Sync now" }).click();
    await page.locator("s-text", { hasText: "Syncing this product to 1 store now." }).waitFor();
    await network.idle();
    expect(watched.problems).toEqual([]);
  }, 60_000);

  test("says so when the app does not answer", async () => {
    const product = (await network.sim.control.snapshot(PRIMARY)).products[0];
    const page = await openBlock(PRIMARY, product.id, { appAnswers: "abort" });
    await page.locator("s-text", { hasText: "Tandem could not load this product's status." }).waitFor();
    expect(await page.locator("s-button").count()).toBe(0);
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
