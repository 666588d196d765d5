import { afterAll, beforeAll, expect, test } from "vitest";
import { connectStores, type SyncNetwork, snapshotSkus, startSyncNetwork, waitFor } from "../setup/sync-network";

/**
 * Issue 10's promise: several worker processes share the work, and one of them dying mid-Sync all
 * (SIGKILL: no clean-up, its locks and lease left behind) loses and duplicates nothing. Runs on
 * each engine: the embedded SQLite queue in the first pass, graphile-worker on PostgreSQL in the
 * second (scripts/test-postgres.ts).
 */
const PRIMARY = "crash-primary.myshopify.com";
const DEPENDENTS = ["crash-dependent-1.myshopify.com", "crash-dependent-2.myshopify.com", "crash-dependent-3.myshopify.com"];
const PRODUCTS = 120;
let network: SyncNetwork;

beforeAll(async () => {
  // Small Sync all batches, so each one checkpoints often and the kill lands mid-run.
  // A 5 s lease: the killed worker's job returns 5 s after the kill, and a live worker whose heartbeat
  // a loaded machine delays by a few seconds keeps its job (so the victim runs exactly twice).
  network = await startSyncNetwork({ TANDEM_RECONCILE_INTERVAL_MS: "0", TANDEM_SYNC_ALL_BATCH: "10", TANDEM_WORKER_CONCURRENCY: "2", TANDEM_JOB_LEASE_MS: "5000" });
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  for (const shop of DEPENDENTS) await control.createStore({ domain: shop, locations: ["Main"] });
  await control.seed(PRIMARY, { products: PRODUCTS, variantsPerProduct: 2, seed: 10, skuPrefix: "CRASH" });
  // Latency, so a Sync all lasts long enough to be caught halfway.
  await control.setChaos({ latencyMs: 15, latencyJitterMs: 10 });
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

test("killing one of three workers mid-Sync all loses and duplicates nothing; the other two finish its work", async () => {
  // Connecting queues a Sync all per dependent; three workers share them.
  await connectStores(network, PRIMARY, DEPENDENTS.map((shop) => ({ shop })), { plan: "plus" });
  for (let i = 0; i < 3; i++) await network.startWorker();

  const victim = await waitFor(
    () => network.prisma.job.findFirst({ where: { kind: "sync-all", status: "running", progressDone: { gt: 0 } } }),
    (job) => job !== null && job.progressTotal !== null && job.progressDone < job.progressTotal,
    60_000,
  );
  const killedPid = await network.killWorkerRunning(victim!.leaseOwner!);
  expect(network.liveWorkers()).toBe(2);

  await network.idle(180_000);

  const syncAlls = await network.prisma.job.findMany({ where: { kind: "sync-all" } });
  expect(syncAlls.map((j) => [j.lane, j.status]).sort()).toEqual(DEPENDENTS.map((shop) => [shop, "succeeded"]));
  const resumed = syncAlls.find((j) => j.id === victim!.id)!;
  // The killed attempt, then another worker's; it went on from its checkpoint.
  expect(resumed.attempts).toBe(2);
  expect(resumed.leaseOwner).toBeNull();
  expect(resumed.progressDone).toBe(resumed.progressTotal);

  const primarySkus = snapshotSkus(await network.sim.control.snapshot(PRIMARY));
  expect(primarySkus).toHaveLength(PRODUCTS * 2);
  for (const shop of DEPENDENTS) {
    const snapshot = await network.sim.control.snapshot(shop);
    // Every product once: the same SKUs, none twice.
    expect(snapshot.products, shop).toHaveLength(PRODUCTS);
    expect(snapshotSkus(snapshot), shop).toEqual(primarySkus);
    expect(await network.prisma.productLink.count({ where: { dependentShop: shop } }), shop).toBe(PRODUCTS);
    expect(await network.prisma.variantLink.count({ where: { dependentShop: shop } }), shop).toBe(PRODUCTS * 2);
    // No product was created twice: the resumed run did not create again what the killed one had
    // (one created just before the kill is matched by SKU and logged as updated).
    const created = await network.prisma.syncLog.groupBy({ by: ["primaryProductId"], where: { dependentShop: shop, action: "created" }, _count: true });
    expect(created.length, shop).toBeGreaterThan(PRODUCTS * 0.9);
    expect(created.filter((row) => row._count !== 1), shop).toEqual([]);
  }
  expect(network.workerOutput(), `worker ${killedPid} was killed; the others must not report errors`).not.toMatch(/"level":(50|60)/);
}, 300_000);
