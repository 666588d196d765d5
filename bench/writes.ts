// npm run bench -- writes: from how many product writes a bulk mutation beats one productSet each.
// Against the simulator on standard-plan limits (100 points/s, 2,000-point bucket) with sandbox-like
// latency (30 ms + up to 20 ms per request). For each batch size N, in a fresh store (full bucket,
// as at the start of a batch) and in a store whose bucket is empty (as in the middle of a large
// Sync all): the wall time and Admin API points of N direct productSet creates (3 variants each,
// the job's own document) against one bulk mutation of the same N inputs through the gateway.
// The simulator runs a bulk mutation as fast as it can; Shopify queues and runs them at a pace this
// machine cannot measure, so the last scenario assumes a pessimistic 100 ms per line (the pace of
// 10-point writes on a drained standard-plan bucket): bulk then saves points, not time.
import fs from "node:fs";
import path from "node:path";
import { PRODUCT_SET } from "../app/shopify/documents";
import { AdminGateway } from "../app/shopify/gateway.server";
import { DEFAULT_API_VERSION } from "../app/shopify/api-version";
import { startSimulator } from "../sim/server";

const SIZES = [5, 10, 25, 50, 100, 250];

function productSetInput(n: number, run: string) {
  return {
    title: `Bench ${run} ${n}`,
    descriptionHtml: `<p>Product ${n}</p>`,
    status: "DRAFT",
    tags: ["tandem"],
    productOptions: [{ name: "Size", values: [{ name: "S" }, { name: "M" }, { name: "L" }] }],
    variants: ["S", "M", "L"].map((size) => ({
      optionValues: [{ optionName: "Size", name: size }],
      sku: `BW-${run}-${n}-${size}`,
      price: "19.90",
      inventoryItem: { tracked: true },
    })),
  };
}

export async function runWritesBenchmark() {
  const sim = await startSimulator({ app: { apiKey: "bench", apiSecret: "bench-secret", appUrl: "http://127.0.0.1:9", handle: "tandem" }, chaos: { latencyMs: 30, latencyJitterMs: 20 } });
  let stores = 0;
  const freshStore = async () => {
    const shop = `writes-${++stores}.myshopify.com`;
    await sim.control.createStore({ domain: shop });
    const { accessToken } = await sim.control.install(shop);
    return new AdminGateway({ shop, accessToken, apiVersion: DEFAULT_API_VERSION, adminOrigin: sim.origin });
  };
  const points = async (gateway: AdminGateway) => (await sim.control.stats(gateway.shop)).api.actualCost;
  const drain = async (gateway: AdminGateway) => {
    // Direct writes until the bucket is nearly empty: what a batch meets in the middle of a big Sync all.
    for (let i = 0; (await sim.control.stats(gateway.shop)).throttleStatus.currentlyAvailable > 100; i++) {
      await gateway.mutate(PRODUCT_SET, { input: productSetInput(i, `drain-${gateway.shop}`) }, "productSet");
    }
  };

  const rows: Array<Record<string, number | string>> = [];
  try {
    const scenarios = [
      { bucket: "full", lineMs: 0 },
      { bucket: "empty", lineMs: 0 },
      { bucket: "empty", lineMs: 100 },
    ] as const;
    for (const { bucket, lineMs } of scenarios) {
      await sim.control.setChaos({ bulkMutationLineMs: lineMs });
      for (const size of SIZES) {
        const inputs = Array.from({ length: size }, (_, n) => productSetInput(n, `${bucket}-${size}`));
        const direct = await freshStore();
        if (bucket === "empty") await drain(direct);
        const directPointsBefore = await points(direct);
        let started = performance.now();
        for (const input of inputs) await direct.mutate(PRODUCT_SET, { input }, "productSet");
        const directMs = performance.now() - started;
        const directPoints = (await points(direct)) - directPointsBefore;

        const bulk = await freshStore();
        if (bucket === "empty") await drain(bulk);
        const bulkPointsBefore = await points(bulk);
        started = performance.now();
        const url = await bulk.runBulkMutation(PRODUCT_SET, inputs.map((input) => ({ input })), { pollMs: 250 });
        const results = (await fetch(url!).then((r) => r.text())).trim().split("\n").length;
        const bulkMs = performance.now() - started;
        const bulkPoints = (await points(bulk)) - bulkPointsBefore;
        if (results !== size) throw new Error(`bulk mutation gave ${results} results for ${size} inputs`);
        rows.push({ bucket, "bulk ms/line": lineMs, products: size, "direct (ms)": Math.round(directMs), "bulk (ms)": Math.round(bulkMs), "direct points": directPoints, "bulk points": bulkPoints });
      }
    }
  } finally {
    await sim.control.setChaos({ bulkMutationLineMs: 0 });
    await sim.close();
  }
  console.table(rows);
  const first = (test: (row: Record<string, number | string>) => boolean) => rows.find(test)?.products ?? "never";
  const faster = (bucket: string, lineMs: number) => first((r) => r.bucket === bucket && r["bulk ms/line"] === lineMs && Number(r["bulk (ms)"]) <= Number(r["direct (ms)"]));
  const results = {
    date: new Date().toISOString(), apiVersion: DEFAULT_API_VERSION, latency: "30 ms + up to 20 ms", plan: "standard", rows,
    bulkFasterFrom: { fullBucket: faster("full", 0), emptyBucket: faster("empty", 0), emptyBucketSlowBulk: faster("empty", 100) },
    bulkCheaperFrom: first((r) => Number(r["bulk points"]) < Number(r["direct points"])),
  };
  console.log(
    `bulk is faster from ${results.bulkFasterFrom.fullBucket} writes (full bucket), ${results.bulkFasterFrom.emptyBucket} (empty bucket), ` +
      `${results.bulkFasterFrom.emptyBucketSlowBulk} (empty bucket, 100 ms per bulk line); cheaper in points from ${results.bulkCheaperFrom}`,
  );
  const file = path.join("bench", "results", "writes.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${file}`);
  return results;
}
