import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

// A burst of product changes (a price list imported, a bulk edit in the admin) goes to each
// dependent as one "sync-products" job: a bulk export of those products in both stores and a bulk
// write, instead of a read and a write of each product in both stores.
const PRIMARY = "burst-primary.myshopify.com";
const SHOP_A = "burst-a.myshopify.com";
const SHOP_B = "burst-b.myshopify.com";
const PRODUCTS = 24;
let network: SyncNetwork;

const pricesOf = async (shop: string) =>
  Object.fromEntries((await network.sim.control.snapshot(shop)).products.flatMap((p) => p.variants.map((v) => [v.sku, v.price])));

const operationsOf = async (shop: string) => (await network.sim.control.stats(shop)).api.operations as Record<string, { requests: number }>;
const requestsOf = (operations: Record<string, { requests: number }>, name: string) => operations[name]?.requests ?? 0;

beforeAll(async () => {
  network = await startSyncNetwork({ TANDEM_RECONCILE_INTERVAL_MS: "0" });
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: SHOP_A, locations: ["Main"] });
  await control.createStore({ domain: SHOP_B, locations: ["Main"] });
  await control.seed(PRIMARY, { products: PRODUCTS, variantsPerProduct: 2, seed: 7 });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: SHOP_A }, { shop: SHOP_B }]);
  await network.idle(120_000);
}, 180_000);

afterAll(async () => {
  await network?.stop();
});

describe("a burst of product changes", () => {
  test("reaches every dependent through one sync-products job each, with bulk reads and writes, and each product job says where it went", async () => {
    const { control } = network.sim;
    const products = (await control.snapshot(PRIMARY)).products;
    // Queued while no worker runs, as a bulk edit's webhooks pile up faster than they are worked off.
    await network.killWorkers();
    for (const product of products.slice(0, 20)) {
      for (const variant of product.variants) await control.updateVariant(PRIMARY, variant.id, { price: (Number(variant.price) + 1).toFixed(2) });
    }
    // Deleted within the burst: not in the primary's export, so it goes back to a single product sync (archived).
    await control.deleteProduct(PRIMARY, products[0].id);
    // New within the burst: no link yet, so it keeps its own job (its SKUs are looked for in the whole store).
    await control.createProduct(PRIMARY, { title: "Burst newcomer", variants: [{ sku: "BURST-NEW", price: "9.00" }] });
    await control.webhooksIdle();
    const waiting = await network.prisma.job.count({ where: { kind: "sync-product", lane: SHOP_A, status: "queued" } });
    expect(waiting).toBe(21);

    const before = { primary: await operationsOf(PRIMARY), a: await operationsOf(SHOP_A), bulk: (await control.stats(SHOP_A)).bulkOperations };
    await network.startWorker();
    await network.idle(120_000);

    const expected = await pricesOf(PRIMARY);
    for (const shop of [SHOP_A, SHOP_B]) {
      const prices = await pricesOf(shop);
      for (const [sku, price] of Object.entries(expected)) expect([sku, prices[sku]]).toEqual([sku, price]);
      const bursts = await network.prisma.job.findMany({ where: { kind: "sync-products", lane: shop } });
      expect(bursts.map((job) => job.status)).toEqual(["succeeded"]);
      const result = JSON.parse(bursts[0].result!);
      // 20 changed products: 19 written in one bulk mutation, the deleted one sent back to its own sync.
      expect(result).toMatchObject({ products: 20, update: 19, bulkWrites: 1, sentToProductSync: 1 });
      const taken = await network.prisma.job.findMany({ where: { kind: "sync-product", lane: shop, result: { contains: bursts[0].id } } });
      expect(taken.length).toBe(20);
      expect(taken.every((job) => job.status === "succeeded")).toBe(true);
    }
    const deleted = (await control.snapshot(SHOP_A)).products.find((p) => p.variants.some((v) => v.sku === products[0].variants[0].sku))!;
    expect(deleted.status).toBe("ARCHIVED");
    expect((await control.snapshot(SHOP_A)).products.filter((p) => p.title === "Burst newcomer")).toHaveLength(1);

    // Read in bulk: the primary's products were not read one by one for the burst (only the
    // newcomer and the deleted product were, once per dependent), nor the dependent's.
    const after = { primary: await operationsOf(PRIMARY), a: await operationsOf(SHOP_A), bulk: (await control.stats(SHOP_A)).bulkOperations };
    expect(requestsOf(after.primary, "TandemProduct") - requestsOf(before.primary, "TandemProduct")).toBeLessThanOrEqual(4);
    expect(requestsOf(after.a, "TandemProduct") - requestsOf(before.a, "TandemProduct")).toBeLessThanOrEqual(2);
    expect(after.bulk.MUTATION - before.bulk.MUTATION).toBe(1);
  }, 180_000);

  test("a few changes still go one product at a time, without waiting on bulk operations", async () => {
    const { control } = network.sim;
    const products = (await control.snapshot(PRIMARY)).products.filter((p) => p.status !== "ARCHIVED").slice(0, 3);
    const burstsBefore = await network.prisma.job.count({ where: { kind: "sync-products" } });
    for (const product of products) await control.updateVariant(PRIMARY, product.variants[0].id, { price: "42.00" });
    await network.idle();
    expect(await network.prisma.job.count({ where: { kind: "sync-products" } })).toBe(burstsBefore);
    for (const shop of [SHOP_A, SHOP_B]) {
      const prices = await pricesOf(shop);
      for (const product of products) expect(prices[product.variants[0].sku!]).toBe("42.00");
    }
  });
});
