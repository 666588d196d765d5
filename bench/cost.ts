// npm run bench -- cost: Admin API points per product synced, Tandem against the naive baseline
// (bench/naive.ts), in one run on the same simulator. Two identical catalogues of N products × 3
// variants with stock at 2 locations; each goes to an empty dependent, by Tandem (the real app and
// worker) and by the naive loop. Then every price and every stock level changes on both primaries,
// twice: once with webhooks (Tandem's live path), once with webhooks lost (Tandem's Sync all). The
// points are what the simulator charged both stores, under the simulator profile of bench/profile.ts
// (BENCH_PROFILE, default realistic) for both (Shopify's cost model: requested cost up front,
// actual cost refunded), divided by N.
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_API_VERSION } from "../app/shopify/api-version";
import { AdminGateway } from "../app/shopify/gateway.server";
import { ensureBuild } from "../scripts/lib/build";
import { naiveSync } from "./naive";
import { type BenchNetwork, startBenchNetwork } from "./network";
import { benchProfile } from "./profile";

const PRODUCTS = Number(process.env.BENCH_COST_PRODUCTS ?? 200);
const TARGET_RATIO = 1 / 20;
const LOCATIONS = ["Warehouse", "Shop"];

async function points(network: BenchNetwork, shops: string[]) {
  let total = 0;
  for (const shop of shops) total += (await network.control.stats(shop)).api.actualCost;
  return total;
}

/** Points spent so far in these stores by operation name (to tell what a scenario spent them on). */
async function pointsByOperation(network: BenchNetwork, shops: string[]) {
  const byOperation = new Map<string, { points: number; requests: number }>();
  for (const shop of shops) {
    for (const [name, operation] of Object.entries((await network.control.stats(shop)).api.operations)) {
      const sum = byOperation.get(name) ?? { points: 0, requests: 0 };
      byOperation.set(name, { points: sum.points + operation.actualCost, requests: sum.requests + operation.requests });
    }
  }
  return byOperation;
}

/** Every variant's price and both stock levels change on the primary (the same way on both catalogues). */
async function changeEverything(network: BenchNetwork, shop: string, round: number) {
  for (const product of (await network.control.snapshot(shop)).products) {
    for (const variant of product.variants) {
      await network.control.updateVariant(shop, variant.id, { price: (Number(variant.price) + round).toFixed(2) });
      for (const location of LOCATIONS) await network.control.setInventory(shop, { inventoryItemId: variant.inventoryItemId, location, delta: -1 });
    }
  }
}

export async function runCostBenchmark() {
  ensureBuild();
  const network = await startBenchNetwork();
  const [tandemPrimary, tandemDependent, naivePrimary, naiveDependent] = ["cost-tandem", "cost-tandem-copy", "cost-naive", "cost-naive-copy"].map((name) => `${name}.myshopify.com`);
  const rows: { scenario: string; tandem: number; naive: number; ratio: number | null; tandemJobs: number }[] = [];
  try {
    for (const shop of [tandemPrimary, tandemDependent, naivePrimary, naiveDependent]) await network.control.createStore({ domain: shop, locations: LOCATIONS, plan: "plus" });
    for (const shop of [tandemPrimary, naivePrimary]) await network.control.seed(shop, { products: PRODUCTS, variantsPerProduct: 3, seed: 4, skuPrefix: "COST" });
    const gateway = async (shop: string) => new AdminGateway({ shop, accessToken: (await network.control.install(shop)).accessToken, apiVersion: DEFAULT_API_VERSION, adminOrigin: network.sim.origin });
    const naive = { primary: await gateway(naivePrimary), dependent: await gateway(naiveDependent) };
    // Tandem's Plus plan: no product limit.
    await network.choosePlan([tandemPrimary, tandemDependent], "plus");
    await network.startWorker();

    const measure = async (scenario: string, tandem: () => Promise<void>, naiveRun: () => Promise<unknown>) => {
      const tandemBefore = await points(network, [tandemPrimary, tandemDependent]);
      const operationsBefore = await pointsByOperation(network, [tandemPrimary, tandemDependent]);
      const startedAt = new Date();
      const jobsBefore = await network.prisma.job.count();
      await tandem();
      await network.idle();
      const tandemPoints = (await points(network, [tandemPrimary, tandemDependent])) - tandemBefore;
      const tandemJobs = (await network.prisma.job.count()) - jobsBefore;
      const jobKinds = await network.prisma.job.groupBy({ by: ["kind"], where: { createdAt: { gte: startedAt } }, _count: true });
      const spentOn = [...(await pointsByOperation(network, [tandemPrimary, tandemDependent]))]
        .map(([name, total]) => ({ name, points: total.points - (operationsBefore.get(name)?.points ?? 0), requests: total.requests - (operationsBefore.get(name)?.requests ?? 0) }))
        .filter(({ points }) => points > 0).sort((a, b) => b.points - a.points).slice(0, 10);
      console.log(`${scenario}: Tandem jobs ${jobKinds.map((k) => `${k.kind} ${k._count}`).join(", ")}; points by operation ${spentOn.map(({ name, points, requests }) => `${name} ${points} (${requests}×)`).join(", ")}`);
      // What stock pushes had to read (items not known from Tandem's records), and the levels their
      // writes' answers showed had changed unseen (ADR 0035).
      const pushReads = { primary: 0, dependent: 0, foundChanged: 0 };
      for (const { result } of await network.prisma.job.findMany({ where: { kind: "push-stock", createdAt: { gte: startedAt }, status: "succeeded" }, select: { result: true } })) {
        const pushed = JSON.parse(result ?? "{}") as { reads?: { primary?: number; dependent?: number }; foundChanged?: number };
        pushReads.primary += pushed.reads?.primary ?? 0;
        pushReads.dependent += pushed.reads?.dependent ?? 0;
        pushReads.foundChanged += pushed.foundChanged ?? 0;
      }
      if (pushReads.primary + pushReads.dependent + pushReads.foundChanged > 0) console.log(`  stock pushes read: ${JSON.stringify(pushReads)}`);
      // What bursts of product syncs did, summed over their results (products taken, outcomes).
      const bursts = await network.prisma.job.findMany({ where: { kind: "sync-products", createdAt: { gte: startedAt }, status: "succeeded" }, select: { result: true } });
      const burstTotals: Record<string, number> = {};
      for (const { result } of bursts) {
        for (const [key, value] of Object.entries(JSON.parse(result ?? "{}") as Record<string, unknown>)) if (typeof value === "number") burstTotals[key] = (burstTotals[key] ?? 0) + value;
      }
      if (bursts.length > 0) console.log(`  ${bursts.length} bursts of product syncs: ${JSON.stringify(burstTotals)}`);
      const naiveBefore = await points(network, [naivePrimary, naiveDependent]);
      await naiveRun();
      const naivePoints = (await points(network, [naivePrimary, naiveDependent])) - naiveBefore;
      rows.push({ scenario, tandem: Math.round((tandemPoints / PRODUCTS) * 10) / 10, naive: Math.round((naivePoints / PRODUCTS) * 10) / 10, ratio: naivePoints > 0 ? Math.round((tandemPoints / naivePoints) * 1000) / 1000 : null, tandemJobs });
    };

    await measure("first copy to an empty store", () => network.connect(tandemPrimary, [tandemDependent]), () => naiveSync(naive.primary, naive.dependent));
    // The stock check every pair gets every 10 minutes (here at once, not after 10 minutes): the
    // live path below then runs as it does once a network has been up that long, with the
    // primary's levels known (ADR 0014). The naive app has no such pass.
    await measure("stock check (every 10 minutes)", () => network.post(tandemPrimary, "/app/sync", { intent: "check-stock" }).then(() => undefined), async () => undefined);
    // Live: each change reaches Tandem by webhook; the naive app rereads everything.
    await measure("every price and level changed (webhooks)", async () => {
      await changeEverything(network, tandemPrimary, 1);
      await network.idle();
    }, async () => {
      await changeEverything(network, naivePrimary, 1);
      await naiveSync(naive.primary, naive.dependent);
    });
    // Webhooks lost: Tandem's Sync all finds every change.
    await measure("every price and level changed (Sync all)", async () => {
      await network.control.setChaos({ dropRate: 1 });
      await changeEverything(network, tandemPrimary, 2);
      await network.control.webhooksIdle();
      await network.control.setChaos({ dropRate: 0 });
      await network.post(tandemPrimary, "/app/sync", { intent: "sync-all" });
    }, async () => {
      await changeEverything(network, naivePrimary, 2);
      await naiveSync(naive.primary, naive.dependent);
    });

    // Both copies must be right, or the figures mean nothing (stock compared per SKU: Tandem sends
    // both primary locations to the dependent's default one unless mapped).
    const differences = async (a: string, b: string) => {
      const state = async (shop: string) => new Map((await network.control.snapshot(shop)).products.flatMap((p) => p.variants.map((v) => [v.sku, `${v.price}:${Object.values(v.quantities).reduce((sum, q) => sum + q.available, 0)}`] as const)));
      const [want, got] = [await state(a), await state(b)];
      return [...want].filter(([sku, line]) => got.get(sku) !== line).map(([sku, line]) => `${sku} ${line} (copy ${got.get(sku) ?? "missing"})`);
    };
    for (const [name, primary, copy] of [["Tandem's", tandemPrimary, tandemDependent], ["the naive", naivePrimary, naiveDependent]]) {
      const wrong = await differences(primary, copy);
      if (wrong.length > 0) throw new Error(`${name} copy differs from its primary in ${wrong.length} variants (SKU price:stock): ${wrong.slice(0, 10).join(", ")}`);
    }
  } finally {
    await network.stop();
  }
  console.table(rows.map((r) => ({ scenario: r.scenario, "Tandem points/product": r.tandem, "naive points/product": r.naive, "Tandem / naive": r.ratio ?? "–", target: r.ratio === null ? "–" : `≤ ${TARGET_RATIO}`, "Tandem jobs": r.tandemJobs })));
  const results = { date: new Date().toISOString(), profile: benchProfile().name, apiVersion: DEFAULT_API_VERSION, products: PRODUCTS, variantsPerProduct: 3, locations: LOCATIONS.length, targetRatio: TARGET_RATIO, rows, met: rows.filter((r) => r.ratio !== null).map((r) => ({ scenario: r.scenario, met: r.ratio! <= TARGET_RATIO })) };
  const file = path.join("bench", "results", "cost.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${file}`);
  return results;
}
