// npm run bench -- scale-out: Sync all throughput on PostgreSQL with 1 and with 3 worker processes.
// One primary of BENCH_SCALE_PRODUCTS products × 2 variants and BENCH_SCALE_DEPENDENTS empty
// dependents (default 150 and 12), standard-plan limits (each store restores 100 points/s on its
// own), 30 ms + up to 20 ms of latency per Admin API request. Every dependent is connected first,
// so all their Sync alls wait; then the workers start (each runs TANDEM_WORKER_CONCURRENCY = 4 jobs
// at once, one per store) and the clock runs until the last Sync all finishes. One store's Sync
// all is bounded by that store's rate limit, so more workers only help across many stores: the
// figure is products copied per second over the whole network. Each run checks that every
// dependent ends with every SKU once.
import fs from "node:fs";
import path from "node:path";
import { ensureBuild } from "../scripts/lib/build";
import { startPostgresCluster } from "../scripts/lib/postgres-cluster";
import { postgresDatabaseUrl } from "../tests/setup/test-app";
import { startBenchNetwork } from "./network";

const PRODUCTS = Number(process.env.BENCH_SCALE_PRODUCTS ?? 150);
const DEPENDENTS = Number(process.env.BENCH_SCALE_DEPENDENTS ?? 12);
const CONCURRENCY = 4;
const RESTORE_RATE = 100;

const skusOf = (snapshot: { products: { variants: { sku: string | null }[] }[] }) => snapshot.products.flatMap((p) => p.variants.map((v) => v.sku)).filter(Boolean);

async function syncAllWith(serverUrl: string, workerCount: number) {
  const network = await startBenchNetwork({ DATABASE_URL: postgresDatabaseUrl(serverUrl), LOG_LEVEL: "error" });
  const primary = `scale-${workerCount}.myshopify.com`;
  const dependents = Array.from({ length: DEPENDENTS }, (_, i) => `scale-${workerCount}-copy-${i + 1}.myshopify.com`);
  try {
    for (const shop of [primary, ...dependents]) await network.control.createStore({ domain: shop, locations: ["Warehouse", "Shop"] });
    await network.control.seed(primary, { products: PRODUCTS, variantsPerProduct: 2, seed: 23, skuPrefix: "SCALE" });
    // Plus: no limit on dependents or products (bought the way a merchant does).
    await network.choosePlan([primary, ...dependents], "plus");
    // Every Sync all is queued before any worker runs, so all runs start from the same backlog.
    await network.connect(primary, dependents);
    await network.control.setChaos({ latencyMs: 30, latencyJitterMs: 20 });
    const pointsBefore = await Promise.all(dependents.map(async (shop) => (await network.control.stats(shop)).api.actualCost));
    const startedAt = Date.now();
    await Promise.all(Array.from({ length: workerCount }, () => network.startWorker({ TANDEM_WORKER_CONCURRENCY: String(CONCURRENCY) })));
    await network.idle();
    const syncs = await network.prisma.job.findMany({ where: { kind: "sync-all" }, select: { finishedAt: true, status: true } });
    if (syncs.length !== DEPENDENTS || syncs.some((job) => job.status !== "succeeded")) throw new Error(`Sync alls: ${JSON.stringify(syncs)}\n${network.workerOutput().slice(-3000)}`);
    const wallMs = Math.max(...syncs.map((job) => job.finishedAt!.getTime())) - startedAt;
    const expected = skusOf(await network.control.snapshot(primary));
    for (const shop of dependents) {
      const skus = skusOf(await network.control.snapshot(shop));
      if (skus.length !== expected.length || new Set(skus).size !== expected.length) throw new Error(`${shop}: ${skus.length} SKUs (${new Set(skus).size} distinct) for ${expected.length}`);
    }
    const pointsAfter = await Promise.all(dependents.map(async (shop) => (await network.control.stats(shop)).api.actualCost));
    const mostPoints = Math.max(...pointsAfter.map((after, i) => after - pointsBefore[i]));
    return {
      workers: workerCount,
      storesAtOnce: workerCount * CONCURRENCY,
      dependents: DEPENDENTS,
      products: PRODUCTS,
      wallSeconds: Math.round(wallMs / 100) / 10,
      productsPerSecond: Math.round(((PRODUCTS * DEPENDENTS) / (wallMs / 1000)) * 10) / 10,
      // One store's own limit: its Sync all cannot finish sooner, however many workers run.
      perStoreFloorSeconds: Math.round((mostPoints / RESTORE_RATE) * 10) / 10,
    };
  } finally {
    await network.stop();
  }
}

export async function runScaleOutBenchmark() {
  ensureBuild();
  const cluster = await startPostgresCluster();
  try {
    const rows = [];
    for (const workers of [1, 3]) rows.push(await syncAllWith(cluster.url, workers));
    const speedUp = Math.round((rows[1].productsPerSecond / rows[0].productsPerSecond) * 100) / 100;
    console.table(rows);
    console.log(`3 workers vs 1: ${speedUp}× the throughput`);
    const results = { date: new Date().toISOString(), engine: "PostgreSQL + graphile-worker", latency: "30 ms + up to 20 ms", concurrencyPerWorker: CONCURRENCY, rows, speedUp };
    const file = path.join("bench", "results", "scale-out.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${file}`);
    return results;
  } finally {
    await cluster.stop();
  }
}
