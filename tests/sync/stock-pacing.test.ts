import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork, waitFor } from "../setup/sync-network";

// Stock pushes are paced per dependent (TANDEM_STOCK_PUSH_INTERVAL_MS, 8 s here to make it plain,
// and far longer than the test's three webhooks take to arrive on a loaded machine: at 1.5 s one
// came after the paced push had started, and made a second): a change after a quiet spell goes at once;
// changes within the interval of the last push share the next one's write. A product edit leaves
// its linked variants' stock to such a push.
const PRIMARY = "pacing-primary.myshopify.com";
const SHOP_A = "pacing-a.myshopify.com";
const SHOP_B = "pacing-b.myshopify.com";
const INTERVAL_MS = 8000;
const TEE = ["TEE-S", "TEE-M", "TEE-L"];
let network: SyncNetwork;

async function stockOf(shop: string, sku: string): Promise<number> {
  const variant = (await network.sim.control.snapshot(shop)).products.flatMap((p) => p.variants).find((v) => v.sku === sku)!;
  return Object.values(variant.quantities).reduce((sum, level) => sum + level.available, 0);
}
const requestsOf = async (shop: string, operation: string) =>
  ((await network.sim.control.stats(shop)).api.operations as Record<string, { requests: number }>)[operation]?.requests ?? 0;
const pushesTo = (shop: string) => network.prisma.job.findMany({ where: { kind: "push-stock", lane: shop }, orderBy: { createdAt: "asc" } });
const quiet = () => new Promise((resolve) => setTimeout(resolve, INTERVAL_MS + 100));

beforeAll(async () => {
  network = await startSyncNetwork({ TANDEM_RECONCILE_INTERVAL_MS: "0", TANDEM_STOCK_PUSH_INTERVAL_MS: String(INTERVAL_MS) });
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: SHOP_A, locations: ["Main"] });
  await control.createStore({ domain: SHOP_B, locations: ["Main"] });
  await control.createProduct(PRIMARY, {
    title: "Tee", options: [{ name: "Size", values: ["S", "M", "L"] }],
    variants: TEE.map((sku) => ({ sku, price: "20.00", options: [sku.slice(4)] })),
  });
  for (const sku of TEE) await control.setInventory(PRIMARY, { sku, location: "Warehouse", available: 10 });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: SHOP_A }, { shop: SHOP_B }]);
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("stock pushes paced per dependent", () => {
  test("a change after a quiet spell goes at once; changes within the interval share the next push's one write", { timeout: 60_000 }, async () => {
    const { control } = network.sim;
    await quiet();
    const before = (await pushesTo(SHOP_A)).length;
    await control.setInventory(PRIMARY, { sku: "TEE-S", location: "Warehouse", available: 9 });
    // The next changes follow as soon as this push is done (the interval runs from its start).
    const [first] = await waitFor(async () => (await pushesTo(SHOP_A)).slice(before), (pushes) => pushes[0]?.status === "succeeded");
    // Not held back: due when it was queued.
    expect(first.runAt.getTime()).toBe(first.createdAt.getTime());
    expect(await stockOf(SHOP_A, "TEE-S")).toBe(9);

    // Three changes right after it, one webhook each: one more push, which waited out the interval.
    const writesBefore = await requestsOf(SHOP_A, "TandemInventorySet");
    for (const sku of TEE) await control.setInventory(PRIMARY, { sku, location: "Warehouse", available: 5 });
    await network.idle();
    const after = (await pushesTo(SHOP_A)).slice(before + 1);
    expect(after).toHaveLength(1);
    expect(after[0].startedAt!.getTime()).toBeGreaterThanOrEqual(first.startedAt!.getTime() + INTERVAL_MS);
    expect(await requestsOf(SHOP_A, "TandemInventorySet")).toBe(writesBefore + 1);
    for (const shop of [SHOP_A, SHOP_B]) for (const sku of TEE) expect([shop, sku, await stockOf(shop, sku)]).toEqual([shop, sku, 5]);
  });

  test("a linked product's edit reads no stock in either store: its levels reach the dependents by push", async () => {
    const { control } = network.sim;
    const tee = (await control.snapshot(PRIMARY)).products.find((p) => p.title === "Tee")!;
    const reads = async () => ({ primary: await requestsOf(PRIMARY, "TandemInventoryLevels"), a: await requestsOf(SHOP_A, "TandemInventoryLevels"), b: await requestsOf(SHOP_B, "TandemInventoryLevels") });
    const readsBefore = await reads();
    // A price and a level changed together: the product sync and a push, and no level read.
    await control.updateVariant(PRIMARY, tee.variants[1].id, { price: "24.00" });
    await control.setInventory(PRIMARY, { sku: "TEE-M", location: "Warehouse", available: 3 });
    await network.idle();
    for (const shop of [SHOP_A, SHOP_B]) {
      const variant = (await control.snapshot(shop)).products.flatMap((p) => p.variants).find((v) => v.sku === "TEE-M")!;
      expect([shop, variant.price, await stockOf(shop, "TEE-M")]).toEqual([shop, "24.00", 3]);
    }
    expect(await reads()).toEqual(readsBefore);
    const syncs = await network.prisma.job.findMany({ where: { kind: "sync-product", status: "succeeded" }, orderBy: { createdAt: "desc" }, take: 2 });
    expect(syncs.map((job) => JSON.parse(job.result!).outcome)).toEqual(["update", "update"]);
  });
});
