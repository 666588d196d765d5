import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StoreSnapshot } from "../../sim/snapshot";
import { connectStores, snapshotSkus, type SyncNetwork, startSyncNetwork, waitFor } from "../setup/sync-network";

// Sync all sends a batch's product writes as one bulk mutation (stagedUploadsCreate, upload,
// bulkOperationRunMutation) once they reach TANDEM_BULK_WRITE_THRESHOLD (10, the measured value and the default); batches of 250 here so that 120 products go in one operation.
const PRIMARY = "bulkw-primary.myshopify.com";
const PLAIN = "bulkw-plain.myshopify.com";
const KILLED = "bulkw-killed.myshopify.com";
const LOST = "bulkw-lost.myshopify.com";
const PRODUCTS = 120;
let network: SyncNetwork;

const stock = (snapshot: StoreSnapshot) =>
  Object.fromEntries(snapshot.products.flatMap((p) => p.variants.map((v) => [v.sku, Object.values(v.quantities).reduce((sum, q) => sum + q.available, 0)])));


async function expectExactCopy(shop: string) {
  const primary = await network.sim.control.snapshot(PRIMARY);
  const dependent = await network.sim.control.snapshot(shop);
  expect(dependent.products).toHaveLength(PRODUCTS);
  expect(snapshotSkus(dependent)).toEqual(snapshotSkus(primary));
  expect(stock(dependent)).toEqual(stock(primary));
  expect(await network.prisma.productLink.count({ where: { dependentShop: shop, createdByTandem: true } })).toBe(PRODUCTS);
  expect(await network.prisma.variantLink.count({ where: { dependentShop: shop } })).toBe(PRODUCTS * 2);
}

beforeAll(async () => {
  network = await startSyncNetwork({ TANDEM_BULK_WRITE_THRESHOLD: "10", TANDEM_SYNC_ALL_BATCH: "250" });
  const { control } = network.sim;
  for (const shop of [PRIMARY, PLAIN, KILLED, LOST]) await control.createStore({ domain: shop });
  await control.seed(PRIMARY, { products: PRODUCTS, variantsPerProduct: 2, seed: 11, skuPrefix: "BLK" });
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("Sync all of many new products", () => {
  test("creates them with one bulk mutation per batch, for a fraction of the direct writes' cost", async () => {
    await connectStores(network, PRIMARY, [{ shop: PLAIN }], { plan: "basic" });
    // Nothing is killed here: a 30 s lease, so a loaded machine never lets the run lapse and be
    // taken over, and the result counts all it did. Stopped after, for the kill test below.
    await network.startWorker({ TANDEM_JOB_LEASE_MS: "30000" });
    await network.idle(120_000);
    await network.killWorkers();
    await expectExactCopy(PLAIN);
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: PLAIN } });
    expect(job.status).toBe("succeeded");
    // 120 products in one batch of 250: one bulk mutation, even if the job had to run twice.
    const stats = await network.sim.control.stats(PLAIN);
    expect(stats.bulkOperations.MUTATION).toBe(1);
    expect(job.attempts).toBe(1);
    expect(JSON.parse(job.result!)).toMatchObject({ create: PRODUCTS, bulkWrites: 1 });
    expect(await network.prisma.syncLog.count({ where: { dependentShop: PLAIN, action: "created" } })).toBe(PRODUCTS);
    // One productSet each would have cost at least 10 points per product on the dependent.
    expect(stats.api.actualCost).toBeLessThan(PRODUCTS * 10 * 0.5);
  }, 180_000);
});

describe("a worker killed while Sync all's bulk write runs", () => {
  test("the next run collects that operation's results instead of sending the products again", async () => {
    await network.sim.control.setChaos({ bulkMutationLineMs: 40 });
    try {
      await connectStores(network, PRIMARY, [{ shop: KILLED }], { plan: "basic" });
      const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: KILLED } });
      await network.ensureWorker();
      await waitFor(
        () => network.prisma.job.findUniqueOrThrow({ where: { id: job.id } }),
        (j) => JSON.parse(j.checkpoint ?? "{}").pendingBulkWrite?.operationId != null,
        120_000,
      );
      // The operation runs on (about 5 s for 120 lines); nothing of it is linked yet.
      expect(await network.prisma.productLink.count({ where: { dependentShop: KILLED } })).toBe(0);
      await network.killWorkers();
      await network.startWorker();
      await network.idle(150_000);
      const finished = await network.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
      expect(finished.status).toBe("succeeded");
      expect(finished.attempts).toBeGreaterThanOrEqual(2); // more when a loaded machine lets a lease lapse
      // Every product was linked from the first run's operation; the second run wrote none again.
      expect((await network.sim.control.stats(KILLED)).bulkOperations.MUTATION).toBe(1);
      const result = JSON.parse(finished.result!);
      expect(result).toMatchObject({ linkedAfterRestart: PRODUCTS });
      expect(result.create ?? 0).toBe(0);
      expect(result.bulkWrites ?? 0).toBe(0);
    } finally {
      await network.sim.control.setChaos({ bulkMutationLineMs: 0 });
    }
    await expectExactCopy(KILLED);
  }, 240_000);
});

describe("the answer to bulkOperationRunMutation is lost", () => {
  test("the retried run finds the operation that did start, and each product exists once", async () => {
    await network.sim.control.setChaos({ lostResponseRate: 1, lostResponseFields: ["bulkOperationRunMutation"] });
    try {
      await connectStores(network, PRIMARY, [{ shop: LOST }], { plan: "basic" });
      await network.ensureWorker();
      await network.idle(150_000);
    } finally {
      await network.sim.control.setChaos({ lostResponseRate: 0, lostResponseFields: [] });
    }
    expect((await network.sim.control.stats(LOST)).api.lostResponses).toBeGreaterThan(0);
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: LOST } });
    expect(job.status).toBe("succeeded");
    expect(job.attempts).toBeGreaterThan(1);
    expect((await network.sim.control.stats(LOST)).bulkOperations.MUTATION).toBe(1);
    expect(JSON.parse(job.result!)).toMatchObject({ linkedAfterRestart: PRODUCTS });
    await expectExactCopy(LOST);
  }, 240_000);
});
