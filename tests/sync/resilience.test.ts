import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StoreSnapshot } from "../../sim/snapshot";
import { connectStores, snapshotSkus, type SyncNetwork, startSyncNetwork, waitFor } from "../setup/sync-network";
import { postSignedWebhook } from "../setup/test-app";

const PRIMARY = "res-primary.myshopify.com";
const KILLED = "res-killed.myshopify.com";
const STORMY = "res-stormy.myshopify.com";
const UNINSTALLED = "res-uninstalled.myshopify.com";
const LOST_ANSWERS = "res-lost-answers.myshopify.com";
const PRODUCTS = 400;
// This suite covers direct writes (one productSet per product) in batches of 50; bulk writes have theirs (bulk-writes.test.ts).
const DIRECT_WRITES = { TANDEM_SYNC_ALL_BATCH: "50", TANDEM_BULK_WRITE_THRESHOLD: "100000" };
// A 5 s lease: the killed worker's job returns 5 s after the kill, and a live worker whose heartbeat
// a loaded machine delays by a few seconds keeps its job (1.5 s let a loaded run take it over: 3 attempts).
const LEASE = { TANDEM_JOB_LEASE_MS: "5000" };
let network: SyncNetwork;



beforeAll(async () => {
  network = await startSyncNetwork({ ...DIRECT_WRITES, ...LEASE });
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY });
  for (const shop of [KILLED, STORMY, UNINSTALLED, LOST_ANSWERS]) await control.createStore({ domain: shop });
  await control.seed(PRIMARY, { products: PRODUCTS, variantsPerProduct: 2, seed: 7, skuPrefix: "RES" });
  await connectStores(network, PRIMARY, [{ shop: KILLED }], { plan: "basic" });
});

afterAll(async () => {
  await network?.stop();
});

describe("a worker killed in the middle of Sync all", () => {
  test("another worker resumes from the checkpoint and the dependent ends up with each product exactly once", async () => {
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: KILLED } });
    const worker = await network.startWorker();
    await waitFor(() => network.prisma.job.findUniqueOrThrow({ where: { id: job.id } }), (j) => j.progressDone >= 50 && j.progressDone < PRODUCTS, 120_000);
    // Mid-batch: some products of the current batch are written but the checkpoint has not moved.
    await waitFor(() => network.prisma.productLink.count({ where: { dependentShop: KILLED } }), (n) => n % 50 > 10, 120_000);
    worker.kill("SIGKILL");
    await new Promise((resolve) => worker.once("exit", resolve));
    const interrupted = await network.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(interrupted.status).toBe("running");
    await network.startWorker();
    await network.idle(150_000);
    const finished = await network.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(finished).toMatchObject({ status: "succeeded", attempts: 2, progressDone: PRODUCTS, progressTotal: PRODUCTS });
    const primary = await network.sim.control.snapshot(PRIMARY);
    const dependent = await network.sim.control.snapshot(KILLED);
    expect(dependent.products).toHaveLength(PRODUCTS);
    expect(snapshotSkus(dependent)).toEqual(snapshotSkus(primary));
    expect(new Set(dependent.products.map((p) => p.title)).size).toBe(new Set(primary.products.map((p) => p.title)).size);
    expect(await network.prisma.productLink.count({ where: { dependentShop: KILLED } })).toBe(PRODUCTS);
    expect(await network.prisma.bulkRow.count()).toBe(0);
  }, 300_000);
});

describe("throttling and server errors", () => {
  test("a THROTTLED and 5xx storm slows Sync all down but it completes with the right catalogue", async () => {
    await network.sim.control.setChaos({ throttledRate: 0.3, serverErrorRate: 0.05 });
    try {
      await connectStores(network, PRIMARY, [{ shop: STORMY, preferences: { syncQuantity: "false" } }], { plan: "basic" });
      await network.idle(120_000);
    } finally {
      await network.sim.control.setChaos({ throttledRate: 0, serverErrorRate: 0 });
    }
    const stats = await network.sim.control.stats(STORMY);
    expect(stats.api.throttled).toBeGreaterThan(10);
    expect(stats.api.serverErrors).toBeGreaterThan(0);
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: STORMY } });
    expect(job.status).toBe("succeeded");
    const primary = await network.sim.control.snapshot(PRIMARY);
    const dependent = await network.sim.control.snapshot(STORMY);
    expect(snapshotSkus(dependent)).toEqual(snapshotSkus(primary));
    const priceOf = (snapshot: StoreSnapshot) => Object.fromEntries(snapshot.products.flatMap((p) => p.variants.map((v) => [v.sku, v.price])));
    expect(priceOf(dependent)).toEqual(priceOf(primary));
  }, 180_000);
});

describe("answers to product creates lost on the way back", () => {
  test("a create is sent again and updates the product it made (its custom ID), never created twice, even before Shopify's search index lists it", async () => {
    await network.ensureWorker();
    // The connection drops after Shopify ran productSet: the first creates of Sync all exist in
    // the store but Tandem never hears of them, and a search by SKU does not find them yet.
    await network.sim.control.setChaos({ lostResponseRate: 1, lostResponseFields: ["productSet"], searchIndexLagMs: 10 * 60_000 });
    try {
      await connectStores(network, PRIMARY, [{ shop: LOST_ANSWERS, preferences: { syncQuantity: "false" } }], { plan: "basic" });
      await waitFor(() => network.sim.control.stats(LOST_ANSWERS), (stats) => stats.api.lostResponses >= 1, 60_000);
    } finally {
      await network.sim.control.setChaos({ lostResponseRate: 0, lostResponseFields: [] });
    }
    try {
      await network.idle(150_000);
    } finally {
      await network.sim.control.setChaos({ searchIndexLagMs: 0 });
    }
    const lost = (await network.sim.control.stats(LOST_ANSWERS)).api.lostResponses;
    expect(lost).toBeGreaterThanOrEqual(1);
    const primary = await network.sim.control.snapshot(PRIMARY);
    const dependent = await network.sim.control.snapshot(LOST_ANSWERS);
    expect(dependent.products).toHaveLength(PRODUCTS);
    expect(snapshotSkus(dependent)).toEqual(snapshotSkus(primary));
    expect(await network.prisma.productLink.count({ where: { dependentShop: LOST_ANSWERS } })).toBe(PRODUCTS);
    // A create whose answer was lost is sent again: it upserts by its custom ID, updating the product the first one made.
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: LOST_ANSWERS }, orderBy: { createdAt: "desc" } });
    expect(job.status).toBe("succeeded");
  }, 240_000);
});

describe("the answer to one product's create is lost, and Shopify's search does not list the product yet", () => {
  test("the product sync sends the create again and updates the product it made instead of making a second", async () => {
    await network.ensureWorker();
    await network.idle();
    // The new product goes to every connected dependent; the one lost answer may be any of theirs.
    const dependents = (await network.prisma.connection.findMany({ where: { primaryShop: PRIMARY, status: "connected" } })).map((c) => c.dependentShop);
    expect(dependents).toContain(LOST_ANSWERS);
    const lostSoFar = async () => (await Promise.all(dependents.map((shop) => network.sim.control.stats(shop)))).reduce((sum, stats) => sum + stats.api.lostResponses, 0);
    const lostBefore = await lostSoFar();
    await network.sim.control.setChaos({ lostResponseNext: 1, lostResponseFields: ["productSet"], searchIndexLagMs: 10 * 60_000 });
    try {
      await network.sim.control.createProduct(PRIMARY, {
        title: "Late Index Lamp", options: [{ name: "Size", values: ["S", "L"] }],
        variants: [{ sku: "RES-LATE-1", price: "12.00", options: ["S"] }, { sku: "RES-LATE-2", price: "13.00", options: ["L"] }],
      });
      await waitFor(lostSoFar, (lost) => lost > lostBefore, 60_000);
      await network.idle();
    } finally {
      await network.sim.control.setChaos({ lostResponseNext: 0, lostResponseFields: [], searchIndexLagMs: 0 });
    }
    for (const shop of dependents) {
      const copies = (await network.sim.control.snapshot(shop)).products.filter((product) => product.variants.some((variant) => variant.sku === "RES-LATE-1"));
      expect(copies.map((product) => product.title), shop).toEqual(["Late Index Lamp"]);
      expect(await network.prisma.productLink.count({ where: { dependentShop: shop, dependentProductId: copies[0].id } }), shop).toBe(1);
      const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-product", lane: shop }, orderBy: { createdAt: "desc" } });
      expect(job.status, shop).toBe("succeeded");
    }
  }, 120_000);
});

describe("a dependent uninstalls Tandem during Sync all", () => {
  test("the job stops with a clear reason and the store shows it needs attention", async () => {
    await connectStores(network, PRIMARY, [{ shop: UNINSTALLED }], { plan: "basic" });
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: UNINSTALLED } });
    await waitFor(() => network.prisma.job.findUniqueOrThrow({ where: { id: job.id } }), (j) => j.progressDone >= 50 || j.status !== "queued" && j.status !== "running", 60_000);
    await network.sim.control.uninstall(UNINSTALLED);
    await network.idle(60_000);
    const stopped = await network.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(stopped.status).toBe("failed");
    expect(stopped.lastError).toMatch(/uninstalled|needs attention/);
    // Nothing staged is left behind by a job that will not run again.
    expect(await network.prisma.bulkRow.count({ where: { runId: { startsWith: job.id } } })).toBe(0);
    const connection = await network.prisma.connection.findFirstOrThrow({ where: { dependentShop: UNINSTALLED } });
    expect(connection.status).toBe("needs_attention");
    // The rest of the network is not affected.
    const stillLive = await network.prisma.connection.count({ where: { primaryShop: PRIMARY, status: "connected" } });
    expect(stillLive).toBeGreaterThanOrEqual(1);
    const again = await network.post(PRIMARY, "/app/sync", { intent: "sync-all" });
    expect(again.shown).toContain(`Sync all started for ${stillLive} store${stillLive === 1 ? "" : "s"}`);
    await network.idle(120_000);
    // The failed task is not run again while its store needs attention: not by its primary (told
    // why), not by another dependent of the network (it is not theirs).
    expect((await network.post(KILLED, "/app/sync", { intent: "retry", jobId: job.id })).shown).toContain("That task was not found");
    expect((await network.post(PRIMARY, "/app/sync", { intent: "retry", jobId: job.id })).shown).toContain(`${UNINSTALLED} needs attention (Tandem was uninstalled there or lost access)`);
    expect(await network.prisma.job.count({ where: { kind: "sync-all", lane: UNINSTALLED } })).toBe(1);
  }, 180_000);
});

describe("webhooks and Sync all requests", () => {
  test("a forged webhook is refused; a repeated event id starts one job", async () => {
    const product = (await network.sim.control.snapshot(PRIMARY)).products[0];
    const body = { admin_graphql_api_id: product.id, title: product.title };
    await network.ensureWorker();
    const eventsBefore = await network.prisma.webhookEvent.count();
    const forged = await postSignedWebhook(network.app.origin, { path: "/webhooks/products", topic: "products/update", shop: PRIMARY, body, secret: "not-the-app-secret" });
    expect(forged.status).toBe(401);
    expect(await network.prisma.webhookEvent.count()).toBe(eventsBefore);
    const before = await network.prisma.job.count({ where: { kind: "sync-product" } });
    for (let i = 0; i < 3; i++) {
      const delivered = await postSignedWebhook(network.app.origin, { path: "/webhooks/products", topic: "products/update", shop: PRIMARY, body, eventId: "event-repeated-1" });
      expect(delivered.status).toBe(200);
    }
    // One event: one job per dependent that receives syncs.
    const live = await network.prisma.connection.count({ where: { primaryShop: PRIMARY, status: "connected" } });
    expect(live).toBeGreaterThan(0);
    expect(await network.prisma.job.count({ where: { kind: "sync-product" } })).toBe(before + live);
    expect(await network.prisma.webhookEvent.count({ where: { eventId: "event-repeated-1" } })).toBe(1);
    await network.idle(110_000);
  }, 120_000);

  test("Sync all pressed twice runs once; a waiting Sync all is cancelled at once, a running one at its next step", async () => {
    await network.ensureWorker();
    await network.idle(110_000);
    // No worker: the request waits, and is cancelled before it starts.
    await network.killWorkers();
    const first = await network.post(KILLED, "/app/sync", { intent: "sync-all" });
    const second = await network.post(KILLED, "/app/sync", { intent: "sync-all" });
    expect(first.shown).toContain("Sync all started for 1 store");
    expect(second.shown).toContain("already syncing");
    const waiting = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: KILLED, status: "queued" } });
    const stranger = await network.post(STORMY, "/app/sync", { intent: "cancel", jobId: waiting.id });
    expect(stranger.shown).toContain("That task was not found");
    expect((await network.post(KILLED, "/app/sync", { intent: "cancel", jobId: waiting.id })).shown).toContain("Task cancelled");
    expect(await network.prisma.job.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "cancelled" });

    // Running: every Admin API call takes 400 ms, so the run is still reading when it is cancelled.
    await network.sim.control.setChaos({ latencyMs: 400 });
    try {
      expect((await network.post(KILLED, "/app/sync", { intent: "sync-all" })).shown).toContain("Sync all started for 1 store");
      const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: KILLED, status: "queued" } });
      await network.startWorker();
      await waitFor(() => network.prisma.job.findUniqueOrThrow({ where: { id: job.id } }), (j) => j.status !== "queued", 60_000);
      expect((await network.post(KILLED, "/app/sync", { intent: "cancel", jobId: job.id })).shown).toContain("Cancelling");
      await network.idle();
      expect(await network.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "cancelled" });
    } finally {
      await network.sim.control.setChaos({ latencyMs: 0 });
    }
  }, 150_000);
});
