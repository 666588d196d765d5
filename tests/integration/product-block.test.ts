import fs from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";
import { BROWSER_USER_AGENT, bearerHeaders } from "../setup/test-app";

// The product-details block (extensions/product-sync-block) as far as it can be checked without the
// Shopify CLI: it bundles, its toml names the module and target it renders, and the app endpoint
// it calls answers with the product's state in each store and syncs it on "Sync now".
const EXTENSION = path.resolve("extensions/product-sync-block");
const PRIMARY = "block-primary.myshopify.com";
const DEPENDENT = "block-dependent.myshopify.com";
const ADMIN_EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
let network: SyncNetwork;

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
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("the product-details block extension", () => {
  test("bundles, and its toml renders that module at the product-details block target", async () => {
    const toml = parseToml(fs.readFileSync(path.join(EXTENSION, "shopify.extension.toml"), "utf8")) as { extensions: { type: string; targeting: { module: string; target: string }[] }[] };
    const [extension] = toml.extensions;
    expect(extension.type).toBe("ui_extension");
    expect(extension.targeting).toEqual([{ module: "./src/BlockExtension.tsx", target: "admin.product-details.block.render" }]);
    const output = await build({
      configFile: false,
      logLevel: "silent",
      root: EXTENSION,
      build: { write: false, lib: { entry: path.join(EXTENSION, extension.targeting[0].module), formats: ["es"], fileName: "block" } },
    });
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => ("output" in o ? o.output : []));
    const code = chunks.map((chunk) => ("code" in chunk ? chunk.code : "")).join("\n");
    expect(code).toContain("admin.product-details.block.render");
    expect(code).toContain("/api/product-sync");
  }, 60_000);
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
