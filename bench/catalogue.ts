// npm run bench -- catalogue: Sync all of N products × 3 variants (2 locations) from a primary to 3
// empty dependents, for each N in BENCH_CATALOGUE_SIZES (default 1000,10000), on the standard
// plan's limits (100 points/s restored per store) under the simulator profile of bench/profile.ts
// (BENCH_PROFILE, default realistic), then once more on Plus limits at the largest N, and at the
// largest N again at each bulk rate of BENCH_CATALOGUE_LINE_RATES (default 1000 lines/s; the
// profile's own is 100). Per run: wall time from pressing Sync all until every dependent is
// complete; the Admin API points each store spent; Shopify's floor (the slowest dependent's lane:
// the time Shopify needs for the work that store was asked, bench/profile.ts; stores are throttled
// separately and run their bulk operations apart, so the lanes run side by side); the worker's peak resident memory (VmHWM); points per product, to show
// growth; the CPU seconds the simulator (this process), the app and the worker used until every
// job and webhook was done. Each run checks that every dependent ends with every SKU once.
import fs from "node:fs";
import path from "node:path";
import { ensureBuild } from "../scripts/lib/build";
import { cpuSeconds, startBenchNetwork } from "./network";
import { type BenchProfile, benchProfile, shopifyFloorMs } from "./profile";

const SIZES = (process.env.BENCH_CATALOGUE_SIZES ?? "1000,10000").split(",").map(Number);
/** BENCH_CATALOGUE_DEPENDENTS=1 and BENCH_CATALOGUE_PLUS=0 make the 100k memory run fit in an hour. */
const DEPENDENTS = Number(process.env.BENCH_CATALOGUE_DEPENDENTS ?? 3);
const PLUS_RUN = process.env.BENCH_CATALOGUE_PLUS !== "0";
const LINE_RATES = (process.env.BENCH_CATALOGUE_LINE_RATES ?? "1000").split(",").filter(Boolean).map(Number);
const RESTORE_RATE = { standard: 100, plus: 1000 } as const;

const skusOf = (snapshot: { products: { variants: { sku: string | null }[] }[] }) => snapshot.products.flatMap((p) => p.variants.map((v) => v.sku)).filter(Boolean);

function peakRssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function syncAllRun(products: number, plan: "standard" | "plus", profile: BenchProfile = benchProfile()) {
  const network = await startBenchNetwork({}, profile);
  const primary = `catalogue-${products}.myshopify.com`;
  const dependents = Array.from({ length: DEPENDENTS }, (_, i) => `catalogue-${products}-copy-${i + 1}.myshopify.com`);
  try {
    for (const shop of [primary, ...dependents]) await network.control.createStore({ domain: shop, locations: ["Warehouse", "Shop"], plan });
    const seeded = performance.now();
    await network.control.seed(primary, { products, variantsPerProduct: 3, seed: 17, skuPrefix: "CAT" });
    const seedMs = performance.now() - seeded;
    // Tandem's own plan: Plus (no product limit), bought the way a merchant does, before connecting.
    await network.choosePlan([primary, ...dependents], "plus");
    // TANDEM_* settings of the benchmark's own environment reach the app and the worker (bench/network.ts).
    const worker = await network.startWorker();
    const workOf = async (shop: string) => {
      const { api, bulkOperations } = await network.control.stats(shop);
      return { points: api.actualCost, bulkOperations: bulkOperations.QUERY + bulkOperations.MUTATION, bulkMutationLines: bulkOperations.mutationLines };
    };
    const workBefore = await Promise.all([primary, ...dependents].map(workOf));
    const startedAt = Date.now();
    const cpuBefore = { simulator: process.cpuUsage(), app: cpuSeconds(network.app.pid) };
    // Connecting each dependent (saving its preferences) starts its Sync all.
    await network.connect(primary, dependents);
    await network.idle();
    // Until the last Sync all finished (the dependents' own webhooks about the new products, which
    // Tandem ignores, are still being delivered after that).
    const syncs = await network.prisma.job.findMany({ where: { kind: "sync-all" }, select: { finishedAt: true } });
    const wallMs = Math.max(...syncs.map((job) => job.finishedAt!.getTime())) - startedAt;
    // From connecting until every job and webhook is done: what each process of this machine did.
    const simulatorCpu = process.cpuUsage(cpuBefore.simulator);
    const cpu = {
      simulator: Math.round((simulatorCpu.user + simulatorCpu.system) / 1e5) / 10,
      app: Math.round((cpuSeconds(network.app.pid) - cpuBefore.app) * 10) / 10,
      worker: Math.round(cpuSeconds(worker.pid!) * 10) / 10,
    };
    const work = (await Promise.all([primary, ...dependents].map(workOf))).map((after, i) => ({
      points: after.points - workBefore[i].points,
      bulkOperations: after.bulkOperations - workBefore[i].bulkOperations,
      bulkMutationLines: after.bulkMutationLines - workBefore[i].bulkMutationLines,
    }));
    const spent = work.map((store) => store.points);
    const expected = skusOf(await network.control.snapshot(primary));
    for (const shop of dependents) {
      const skus = skusOf(await network.control.snapshot(shop));
      if (skus.length !== expected.length || new Set(skus).size !== expected.length) throw new Error(`${shop}: ${skus.length} SKUs (${new Set(skus).size} distinct) for ${expected.length}`);
    }
    const failed = await network.prisma.job.count({ where: { status: { in: ["failed", "dead"] } } });
    if (failed > 0) throw new Error(`${failed} jobs failed:\n${network.workerOutput().slice(-3000)}`);
    // Each dependent's lane: its own reads, writes and points, one after another (a write needs its
    // read). The primary's reads for the three lanes run at once (up to 5 bulk operations a store)
    // and beside the dependents' own reads, so the primary counts one bulk operation and its points.
    const floors = [
      shopifyFloorMs({ ...work[0], bulkOperations: Math.min(1, work[0].bulkOperations) }, RESTORE_RATE[plan], profile.chaos),
      ...work.slice(1).map((store) => shopifyFloorMs(store, RESTORE_RATE[plan], profile.chaos)),
    ];
    const floorMs = Math.max(...floors.map((floor) => floor.sum));
    const seconds = (ms: number) => Math.round(ms / 100) / 10;
    return {
      profile: profile.name, products, variants: products * 3, dependents: DEPENDENTS, plan,
      wallSeconds: seconds(wallMs),
      floorSeconds: seconds(floorMs),
      wallOverFloor: Math.round((wallMs / Math.max(floorMs, 1)) * 10) / 10,
      // The floor's parts in its slowest store, and the strictest floor (the larger part alone).
      floorPointsSeconds: seconds(Math.max(...floors.map((floor) => floor.points))),
      floorBulkSeconds: seconds(Math.max(...floors.map((floor) => floor.bulk))),
      strictFloorSeconds: seconds(Math.max(...floors.map((floor) => floor.strict))),
      // The same work in the fewest bulk operations a dependent needs (one read, one write): what
      // Tandem's batches of bulk writes cost beyond it is Tandem's.
      fewestOperationsFloorSeconds: seconds(Math.max(...work.slice(1).map((store) => shopifyFloorMs({ ...store, bulkOperations: Math.min(2, store.bulkOperations) }, RESTORE_RATE[plan], profile.chaos).sum))),
      bulkOperationsPerDependent: Math.round(work.slice(1).reduce((sum, store) => sum + store.bulkOperations, 0) / DEPENDENTS),
      bulkLinesPerDependent: Math.round(work.slice(1).reduce((sum, store) => sum + store.bulkMutationLines, 0) / DEPENDENTS),
      pointsPrimary: spent[0],
      pointsPerDependent: Math.round(spent.slice(1).reduce((a, b) => a + b, 0) / DEPENDENTS),
      pointsPerProduct: Math.round((spent.reduce((a, b) => a + b, 0) / products / DEPENDENTS) * 100) / 100,
      workerPeakRssMiB: Math.round(peakRssBytes(worker.pid!) / 2 ** 20),
      seedSeconds: Math.round(seedMs / 100) / 10,
      cpuSecondsSimulator: cpu.simulator,
      cpuSecondsApp: cpu.app,
      cpuSecondsWorker: cpu.worker,
      // Issue 37, target 2: Tandem's own CPU (app and worker) per product copied to one dependent;
      // the simulator's, Shopify's share on this machine, apart.
      tandemCpuMsPerProductCopied: Math.round(((cpu.app + cpu.worker) * 1000 / (products * DEPENDENTS)) * 100) / 100,
      simulatorCpuMsPerProductCopied: Math.round((cpu.simulator * 1000 / (products * DEPENDENTS)) * 100) / 100,
    };
  } finally {
    await network.stop();
  }
}

export async function runCatalogueBenchmark() {
  ensureBuild();
  const rows = [];
  for (const size of SIZES) rows.push(await syncAllRun(size, "standard"));
  if (PLUS_RUN) rows.push(await syncAllRun(Math.max(...SIZES), "plus"));
  const profile = benchProfile();
  // No Shopify figure exists for the bulk rate: the largest run again at other rates.
  if ((profile.chaos.bulkMutationLineMs ?? 0) > 0) for (const rate of LINE_RATES) rows.push(await syncAllRun(Math.max(...SIZES), "standard", benchProfile(rate)));
  console.table(rows);
  const targets = { wallOverFloor: 1.2, workerPeakRssMiB: 300, tandemCpuMsPerProductCopied: 1.5 };
  for (const row of rows) {
    console.log(
      `${row.products} products to ${row.dependents} dependents (${row.plan}): Tandem CPU ${row.tandemCpuMsPerProductCopied} ms per product copied (target ≤ ${targets.tandemCpuMsPerProductCopied}), ` +
        `the simulator's ${row.simulatorCpuMsPerProductCopied} ms apart; worker peak ${row.workerPeakRssMiB} MiB (target ≤ ${targets.workerPeakRssMiB} at 100k)`,
    );
  }
  const results = { date: new Date().toISOString(), profile: profile.name, chaos: profile.chaos, workerArgs: process.env.TANDEM_PROFILE_ARGS ?? "", rows, targets };
  const file = path.join("bench", "results", "catalogue.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${file}`);
  return results;
}
