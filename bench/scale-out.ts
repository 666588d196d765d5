// npm run bench -- scale-out: Sync all throughput on PostgreSQL with 1 and with 3 worker processes,
// as an agency would run Tandem: BENCH_SCALE_NETWORKS networks (default 6), each a primary of
// BENCH_SCALE_PRODUCTS products × 2 variants (default 150) and BENCH_SCALE_DEPENDENTS empty
// dependents (default 2); standard-plan limits (each store restores 100 points/s on its own),
// BENCH_SCALE_LATENCY_MS (default 150) + up to 50 ms of latency per Admin API request, about what
// a call to Shopify takes from a host in another region. (At 30–50 ms this 2-core machine is the
// limit: the simulator, the app, the workers and PostgreSQL share its CPU; docs/performance.md.) Every dependent is connected first, so all the
// Sync alls wait; then the workers start (each runs TANDEM_WORKER_CONCURRENCY = 4 jobs at once, one
// per store) and the clock runs until the last Sync all finishes. One store's work is bounded by
// that store's limits (its rate limit, and one bulk export at a time: every Sync all of a network
// exports its primary), so more workers help across many stores, not within one: the figure is
// products copied per second over all networks. Each run checks every dependent ends with every SKU once.
import fs from "node:fs";
import path from "node:path";
import { ensureBuild } from "../scripts/lib/build";
import { startPostgresCluster } from "../scripts/lib/postgres-cluster";
import { postgresDatabaseUrl } from "../tests/setup/test-app";
import { cpuSeconds, startBenchNetwork } from "./network";

const NETWORKS = Number(process.env.BENCH_SCALE_NETWORKS ?? 6);
const PRODUCTS = Number(process.env.BENCH_SCALE_PRODUCTS ?? 150);
const DEPENDENTS = Number(process.env.BENCH_SCALE_DEPENDENTS ?? 2);
const LATENCY_MS = Number(process.env.BENCH_SCALE_LATENCY_MS ?? 150);
const CONCURRENCY = 4;
const RESTORE_RATE = 100;

const skusOf = (snapshot: { products: { variants: { sku: string | null }[] }[] }) => snapshot.products.flatMap((p) => p.variants.map((v) => v.sku)).filter(Boolean);

/** Every PostgreSQL server process's CPU seconds (the postmaster and its backends run as user postgres). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim().startsWith("postgres")) total += cpuSeconds(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
}

async function syncAllWith(serverUrl: string, workerCount: number) {
  const network = await startBenchNetwork({ DATABASE_URL: postgresDatabaseUrl(serverUrl), LOG_LEVEL: "error", ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}) });
  const networks = Array.from({ length: NETWORKS }, (_, n) => ({
    primary: `scale-${workerCount}-${n + 1}.myshopify.com`,
    dependents: Array.from({ length: DEPENDENTS }, (_, i) => `scale-${workerCount}-${n + 1}-copy-${i + 1}.myshopify.com`),
  }));
  const allDependents = networks.flatMap((n) => n.dependents);
  try {
    for (const { primary, dependents } of networks) {
      for (const shop of [primary, ...dependents]) await network.control.createStore({ domain: shop, locations: ["Warehouse", "Shop"] });
      await network.control.seed(primary, { products: PRODUCTS, variantsPerProduct: 2, seed: 23, skuPrefix: "SCALE" });
      // Plus: no limit on dependents or products (bought the way a merchant does).
      await network.choosePlan([primary, ...dependents], "plus");
      // Every Sync all is queued before any worker runs, so all runs start from the same backlog.
      await network.connect(primary, dependents);
    }
    await network.control.setChaos({ latencyMs: LATENCY_MS, latencyJitterMs: 50 });
    const pointsBefore = await Promise.all(allDependents.map(async (shop) => (await network.control.stats(shop)).api.actualCost));
    const cpuBefore = { simulator: process.cpuUsage(), app: cpuSeconds(network.app.pid), postgres: postgresCpuSeconds() };
    const startedAt = Date.now();
    const workers = await Promise.all(Array.from({ length: workerCount }, () => network.startWorker({ TANDEM_WORKER_CONCURRENCY: String(CONCURRENCY) })));
    await network.idle();
    const simulatorCpu = process.cpuUsage(cpuBefore.simulator);
    // Where this machine's two cores went during the run: the benchmark process is the simulator.
    const cpu = {
      simulator: Math.round((simulatorCpu.user + simulatorCpu.system) / 1e5) / 10,
      app: Math.round((cpuSeconds(network.app.pid) - cpuBefore.app) * 10) / 10,
      workers: Math.round(workers.reduce((sum, worker) => sum + cpuSeconds(worker.pid!), 0) * 10) / 10,
      postgres: Math.round((postgresCpuSeconds() - cpuBefore.postgres) * 10) / 10,
    };
    const syncs = await network.prisma.job.findMany({ where: { kind: "sync-all" }, select: { startedAt: true, finishedAt: true, status: true } });
    if (syncs.length !== allDependents.length || syncs.some((job) => job.status !== "succeeded")) throw new Error(`Sync alls: ${JSON.stringify(syncs)}\n${network.workerOutput().slice(-3000)}`);
    const wallMs = Math.max(...syncs.map((job) => job.finishedAt!.getTime())) - startedAt;
    for (const { primary, dependents } of networks) {
      const expected = skusOf(await network.control.snapshot(primary));
      for (const shop of dependents) {
        const skus = skusOf(await network.control.snapshot(shop));
        if (skus.length !== expected.length || new Set(skus).size !== expected.length) throw new Error(`${shop}: ${skus.length} SKUs (${new Set(skus).size} distinct) for ${expected.length}`);
      }
    }
    const pointsAfter = await Promise.all(allDependents.map(async (shop) => (await network.control.stats(shop)).api.actualCost));
    const mostPoints = Math.max(...pointsAfter.map((after, i) => after - pointsBefore[i]));
    return {
      workers: workerCount,
      jobsAtOnce: workerCount * CONCURRENCY,
      networks: NETWORKS,
      dependents: allDependents.length,
      productsEach: PRODUCTS,
      wallSeconds: Math.round(wallMs / 100) / 10,
      productsPerSecond: Math.round(((PRODUCTS * allDependents.length) / (wallMs / 1000)) * 10) / 10,
      // How long one Sync all took once started (median), and when the last one started: more
      // workers start them sooner; contention shows as each one taking longer.
      medianSyncAllSeconds: median(syncs.map((job) => (job.finishedAt!.getTime() - job.startedAt!.getTime()) / 1000)),
      lastStartSeconds: Math.round((Math.max(...syncs.map((job) => job.startedAt!.getTime())) - startedAt) / 100) / 10,
      // One store's own rate limit: its Sync all cannot finish sooner, however many workers run.
      perStoreFloorSeconds: Math.round((mostPoints / RESTORE_RATE) * 10) / 10,
      cpuSecondsSimulator: cpu.simulator,
      cpuSecondsApp: cpu.app,
      cpuSecondsWorkers: cpu.workers,
      cpuSecondsPostgres: cpu.postgres,
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
    for (const workers of (process.env.BENCH_SCALE_WORKERS ?? "1,3").split(",").map(Number)) rows.push(await syncAllWith(cluster.url, workers));
    const speedUp = Math.round((rows[rows.length - 1].productsPerSecond / rows[0].productsPerSecond) * 100) / 100;
    console.table(rows);
    console.log(`${rows[rows.length - 1].workers} workers vs ${rows[0].workers}: ${speedUp}× the throughput`);
    const results = { date: new Date().toISOString(), engine: "PostgreSQL + graphile-worker", latency: `${LATENCY_MS} ms + up to 50 ms`, concurrencyPerWorker: CONCURRENCY, rows, speedUp };
    const file = path.join("bench", "results", "scale-out.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${file}`);
    return results;
  } finally {
    await cluster.stop();
  }
}
