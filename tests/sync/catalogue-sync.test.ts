import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StoreSnapshot } from "../../sim/snapshot";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";
import { bearerHeaders } from "../setup/test-app";

const PRIMARY = "cat-primary.myshopify.com";
const SAME = "cat-same-currency.myshopify.com";
const EURO = "cat-euro.myshopify.com";
let network: SyncNetwork;

/** The file names of a product's images: Shopify serves each store's copy from its own CDN URL. */
const fileNames = (images: string[]) => images.map((url) => new URL(url).pathname.split("/").at(-1));

function productNamed(snapshot: StoreSnapshot, title: string) {
  return snapshot.products.find((p) => p.title === title);
}

async function logOf(shop: string) {
  return network.prisma.syncLog.findMany({ where: { dependentShop: shop }, orderBy: { createdAt: "asc" } });
}

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse", "Downtown"] });
  await control.createStore({ domain: SAME, locations: ["Main", "Annex"] });
  await control.createStore({ domain: EURO, currencyCode: "EUR" });
  await control.createProduct(PRIMARY, {
    title: "Linen Tee", descriptionHtml: "<p>Soft</p>", vendor: "Primary Co", tags: ["summer"],
    options: [{ name: "Size", values: ["S", "M"] }],
    images: [{ url: "https://cdn.example.com/tee.jpg", alt: "Tee" }],
    variants: [{ sku: "TEE-S", price: "20.00", options: ["S"] }, { sku: "TEE-M", price: "20.00", compareAtPrice: "25.00", options: ["M"] }],
  });
  await control.createProduct(PRIMARY, { title: "Mug", variants: [{ sku: "MUG", price: "12.50" }] });
  await control.createProduct(PRIMARY, { title: "Sample without SKU", variants: [{ sku: null, price: "1.00" }] });
  await control.setInventory(PRIMARY, { sku: "TEE-S", location: "Warehouse", available: 5 });
  await control.setInventory(PRIMARY, { sku: "TEE-S", location: "Downtown", available: 3 });
  await control.setInventory(PRIMARY, { sku: "MUG", location: "Warehouse", available: 7 });
  await connectStores(network, PRIMARY, [{ shop: SAME }, { shop: EURO, preferences: { onPrimaryDelete: "delete" } }]);
  await network.startWorker();
  await network.idle();
});

afterAll(async () => {
  await network?.stop();
});

describe("first sync of a new network", () => {
  test("creates the primary's products in a same-currency dependent as tagged drafts, with prices and summed stock", async () => {
    const snapshot = await network.sim.control.snapshot(SAME);
    const tee = productNamed(snapshot, "Linen Tee");
    expect(tee).toMatchObject({
      status: "DRAFT", descriptionHtml: "<p>Soft</p>", tags: ["tandem"], options: [{ name: "Size", values: ["S", "M"] }],
    });
    expect(fileNames(tee!.images)).toEqual(["tee.jpg"]);
    expect(tee!.vendor).not.toBe("Primary Co");
    expect(tee!.variants.map((v) => [v.sku, v.price, v.compareAtPrice, v.options])).toEqual([
      ["TEE-S", "20.00", null, ["S"]],
      ["TEE-M", "20.00", "25.00", ["M"]],
    ]);
    // No mapping yet: both primary locations land in the dependent's default location.
    expect(tee!.variants[0].quantities.Main.available).toBe(8);
    expect(tee!.variants[0].quantities.Annex.available).toBe(0);
    expect(productNamed(snapshot, "Mug")!.variants[0].quantities.Main.available).toBe(7);
    expect(productNamed(snapshot, "Sample without SKU")).toBeUndefined();
    const log = await logOf(SAME);
    expect(log.filter((e) => e.action === "created").map((e) => e.productTitle).sort()).toEqual(["Linen Tee", "Mug"]);
    expect(log.find((e) => e.action === "skipped" && e.message.includes("no SKU"))?.fix).toContain("SKU");
  });

  test("in another currency without an exchange rate, products arrive with price 0 and the log says why", async () => {
    const snapshot = await network.sim.control.snapshot(EURO);
    expect(productNamed(snapshot, "Mug")!.variants[0].price).toBe("0.00");
    const log = await logOf(EURO);
    const entry = log.find((e) => e.message.includes("Prices not synced"));
    expect(entry?.message).toContain("USD");
    expect(entry?.fix).toContain("exchange rate");
  });

  test("Sync all reports its counts and the dashboard data match them", async () => {
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: SAME, status: "succeeded" } });
    expect(JSON.parse(job.result!)).toMatchObject({ total: 3, create: 2, skipped: 1 });
    const status = await network.load(PRIMARY, "/app/sync");
    expect(status.status).toBe(200);
    expect(status.text).toContain(SAME);
    const links = await network.prisma.productLink.count({ where: { dependentShop: SAME } });
    expect(links).toBe(2);
  });
});

describe("the sync log", () => {
  test("is filtered and paginated over HTTP, newest first, and only within the asking store's network", async () => {
    const first = await network.load(SAME, "/app/sync-log?action=created&pageSize=1");
    expect(first.status).toBe(200);
    // The cursor of a page is the id of its last entry: the newest "created" entry here.
    const newest = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SAME, action: "created" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    const cursor = newest.id;
    expect(first.text).toContain(cursor);
    expect(first.text).toContain(newest.productTitle!);
    expect(cursor).toBeTruthy();
    const second = await network.load(SAME, `/app/sync-log?action=created&pageSize=1&cursor=${cursor}`);
    const titles = [first.text, second.text].map((text) => (text.includes("Linen Tee") ? "Linen Tee" : text.includes("Mug") ? "Mug" : "?"));
    expect(titles.sort()).toEqual(["Linen Tee", "Mug"]);
    const bad = await network.load(SAME, "/app/sync-log?action=exploded");
    expect(bad.status).toBe(400);
    // Another dependent of the same primary, even asking for this store's entries, sees none of them.
    const sibling = await network.load(EURO, `/app/sync-log?store=${SAME}`);
    expect(sibling.status).toBe(200);
    expect(sibling.text).not.toContain(cursor);
  });
});

describe("the sync log pages", () => {
  test("page back to newer entries with the previous cursor", async () => {
    const [newest, older] = await network.prisma.syncLog.findMany({ where: { dependentShop: SAME, action: "created" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 2 });
    const back = await network.load(SAME, `/app/sync-log?action=created&pageSize=1&cursor=${older.id}&direction=previous`);
    expect(back.status).toBe(200);
    expect(back.text).toContain(newest.id);
    expect(back.text).not.toContain(`"${older.id}"`);
  });

  test("one entry opens in full for its network only", async () => {
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SAME, action: "created" } });
    const page = await network.page(SAME, `/app/sync-log/${entry.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(entry.message);
    // Another dependent of the same primary sees only its own entries.
    const sibling = await network.page(EURO, `/app/sync-log/${entry.id}`);
    expect(sibling.status).toBe(404);
    expect(sibling.html).not.toContain(entry.message);
  });

  test("exports as CSV with the page's filters, one line per entry, only within the asking store's network", async () => {
    const csv = async (shop: string, query: string) => {
      const response = await fetch(new URL(`/app/sync-log.csv?${query}`, network.app.origin), { headers: bearerHeaders(shop) });
      return { status: response.status, type: response.headers.get("content-type"), lines: (await response.text()).split("\r\n").filter(Boolean) };
    };
    const created = await csv(SAME, "action=created");
    expect(created.status).toBe(200);
    expect(created.type).toContain("text/csv");
    expect(created.lines[0]).toBe("date,store,primary_store,kind,product,skus,fields,message,fix,primary_product_id,dependent_product_id,task");
    const expected = await network.prisma.syncLog.count({ where: { dependentShop: SAME, action: "created" } });
    expect(expected).toBeGreaterThan(0);
    expect(created.lines).toHaveLength(expected + 1);
    expect(created.lines.slice(1).every((line) => line.includes(",created,"))).toBe(true);
    expect((await csv(SAME, "action=exploded")).status).toBe(400);
    const sibling = await csv(EURO, `store=${SAME}`);
    expect(sibling.status).toBe(200);
    expect(sibling.lines).toHaveLength(1);
  });
});

describe("automatic sync from the primary's webhooks", () => {
  test("title, prices, added variants and stock changes reach every dependent; dependent edits are overwritten", async () => {
    const { control } = network.sim;
    const primary = await control.snapshot(PRIMARY);
    const tee = productNamed(primary, "Linen Tee")!;
    const dependentTee = productNamed(await control.snapshot(SAME), "Linen Tee")!;
    await control.updateProduct(SAME, dependentTee.id, { title: "Renamed by the dependent" });
    // The description is copied when Tandem creates the product, never after (seed 000).
    await control.updateProduct(PRIMARY, tee.id, {
      title: "Linen Tee 2", descriptionHtml: "<p>Rewritten on the primary</p>",
      images: [{ url: "https://cdn.example.com/tee-front.jpg", alt: "Front" }, { url: "https://cdn.example.com/tee.jpg", alt: "Tee" }],
    });
    await control.addVariant(PRIMARY, tee.id, { sku: "TEE-L", price: "22.00", options: ["L"] });
    await control.updateVariant(PRIMARY, tee.variants[0].id, { price: "19.00" });
    await control.setInventory(PRIMARY, { sku: "TEE-M", location: "Downtown", available: 4 });
    await network.idle();
    const after = productNamed(await control.snapshot(SAME), "Linen Tee 2")!;
    expect(after.id).toBe(dependentTee.id);
    expect(after.variants.map((v) => [v.sku, v.price])).toEqual([["TEE-S", "19.00"], ["TEE-M", "20.00"], ["TEE-L", "22.00"]]);
    expect(after.variants[1].quantities.Main.available).toBe(4);
    expect(after.options).toEqual([{ name: "Size", values: ["S", "M", "L"] }]);
    expect(after.status).toBe("DRAFT");
    expect(after.descriptionHtml).toBe("<p>Soft</p>");
    expect(fileNames(after.images)).toEqual(["tee-front.jpg", "tee.jpg"]);
    const euro = productNamed(await control.snapshot(EURO), "Linen Tee 2")!;
    expect(euro.variants.map((v) => v.sku)).toEqual(["TEE-S", "TEE-M", "TEE-L"]);
  });

  test("images travel when they change on the primary, not with every other edit (each store has its own copies)", async () => {
    const { control } = network.sim;
    const tee = productNamed(await control.snapshot(PRIMARY), "Linen Tee 2")!;
    const before = productNamed(await control.snapshot(SAME), "Linen Tee 2")!.images;
    await control.updateProduct(PRIMARY, tee.id, { descriptionHtml: "<p>Edited again</p>" });
    await control.updateVariant(PRIMARY, tee.variants[0].id, { price: "18.00" });
    await network.idle();
    const edited = productNamed(await control.snapshot(SAME), "Linen Tee 2")!;
    expect(edited.variants[0].price).toBe("18.00");
    // The same copies, not new ones made from the primary's pictures again.
    expect(edited.images).toEqual(before);
    await control.updateProduct(PRIMARY, tee.id, { images: [{ url: "https://cdn.example.com/tee-back.jpg", alt: "Back" }] });
    await network.idle();
    expect(fileNames(productNamed(await control.snapshot(SAME), "Linen Tee 2")!.images)).toEqual(["tee-back.jpg"]);
    expect(fileNames(productNamed(await control.snapshot(EURO), "Linen Tee 2")!.images)).toEqual(["tee-back.jpg"]);
  });

  test("a variant removed on the primary is removed on the dependent; one the dependent added stays", async () => {
    const { control } = network.sim;
    const tee = productNamed(await control.snapshot(PRIMARY), "Linen Tee 2")!;
    const dependentTee = productNamed(await control.snapshot(SAME), "Linen Tee 2")!;
    await control.addVariant(SAME, dependentTee.id, { sku: "TEE-XL-LOCAL", price: "30.00", options: ["XL"] });
    await control.deleteVariant(PRIMARY, tee.variants.find((v) => v.sku === "TEE-M")!.id);
    await network.idle();
    const after = productNamed(await control.snapshot(SAME), "Linen Tee 2")!;
    expect(after.variants.map((v) => v.sku)).toEqual(["TEE-S", "TEE-L", "TEE-XL-LOCAL"]);
  });

  test("status follows the primary after creation; a deleted primary product is archived on the dependent, or deleted where chosen", async () => {
    const { control } = network.sim;
    const mug = productNamed(await control.snapshot(PRIMARY), "Mug")!;
    await control.updateProduct(PRIMARY, mug.id, { status: "DRAFT" });
    await network.idle();
    await control.updateProduct(PRIMARY, mug.id, { status: "ACTIVE" });
    await network.idle();
    expect(productNamed(await control.snapshot(SAME), "Mug")!.status).toBe("ACTIVE");
    // Unlisted (2025-10+): on sale by direct link only; the copy is unlisted too, and listed again with it.
    await control.updateProduct(PRIMARY, mug.id, { status: "UNLISTED" });
    await network.idle();
    expect(productNamed(await control.snapshot(SAME), "Mug")!.status).toBe("UNLISTED");
    await control.updateProduct(PRIMARY, mug.id, { status: "ACTIVE" });
    await network.idle();
    expect(productNamed(await control.snapshot(SAME), "Mug")!.status).toBe("ACTIVE");
    await control.deleteProduct(PRIMARY, mug.id);
    await network.idle();
    expect(productNamed(await control.snapshot(SAME), "Mug")!.status).toBe("ARCHIVED");
    const log = await logOf(SAME);
    expect(log.some((e) => e.action === "archived" && e.productTitle === "Mug")).toBe(true);
    expect(await network.prisma.productLink.count({ where: { dependentShop: SAME, primaryProductId: mug.id } })).toBe(0);
    // The euro store chose "delete" (seed 004's choice when the primary deletes a product).
    expect(productNamed(await control.snapshot(EURO), "Mug")).toBeUndefined();
    expect((await logOf(EURO)).some((e) => e.action === "deleted" && e.productTitle === "Mug")).toBe(true);
  });

  test("a dependent's edits to its own products start nothing; a stock edit there is set back once, without a loop", async () => {
    const { control } = network.sim;
    const jobsBefore = await network.prisma.job.count();
    const dependentTee = productNamed(await control.snapshot(SAME), "Linen Tee 2")!;
    await control.updateProduct(SAME, dependentTee.id, { title: "Local edit" });
    await network.idle();
    expect(await network.prisma.job.count()).toBe(jobsBefore);
    expect(productNamed(await control.snapshot(SAME), "Local edit")).toBeDefined();

    const levelOf = async () => {
      const variant = (await control.snapshot(SAME)).products.flatMap((p) => p.variants).find((v) => v.sku === "TEE-S")!;
      return Object.fromEntries(Object.entries(variant.quantities).map(([location, level]) => [location, level.available]));
    };
    const before = await levelOf();
    await control.setInventory(SAME, { sku: "TEE-S", location: "Main", available: 1 });
    await network.idle();
    // Seed 002: the primary is the system of record for stock; the echo of the repair starts nothing.
    expect(await levelOf()).toEqual(before);
    expect(await network.prisma.job.count()).toBe(jobsBefore + 1);
  });
});
