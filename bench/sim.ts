// npm run bench -- sim: shows the simulator is never the bottleneck. Runs the simulator in its own
// process (as the sandbox does) and measures (1) simple Admin GraphQL requests per second from
// concurrent clients and (2) its memory with 100k products × 3 variants in each of 3 stores.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "../scripts/lib/ports";
import { SimControlClient } from "../sim/client";
import { DEFAULT_API_VERSION } from "../app/shopify/api-version";

const TARGET_REQUESTS_PER_SECOND = 1500;
const TARGET_MEMORY_BYTES = 1024 ** 3;

async function startSimulatorProcess(port: number): Promise<{ child: ChildProcess; origin: string; tokens: Map<string, string> }> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "sim/cli.ts", "--port", String(port), "--stores", "3", "--products", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      if ((output.match(/token=/g) ?? []).length === 3) resolve();
    });
    child.on("exit", (code) => reject(new Error(`simulator exited with ${code}: ${output}`)));
  });
  const tokens = new Map([...output.matchAll(/(\S+\.myshopify\.com)\s+products=\d+\s+token=(\S+)/g)].map((m) => [m[1], m[2]]));
  return { child, origin: `http://127.0.0.1:${port}`, tokens };
}

async function measureThroughput(origin: string, shop: string, token: string, total: number, concurrency: number) {
  const url = `${origin}/shops/${shop}/admin/api/${DEFAULT_API_VERSION}/graphql.json`;
  const body = JSON.stringify({ query: "{ shop { name } }" });
  let sent = 0;
  let ok = 0;
  let throttled = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        sent++;
        const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json", "x-shopify-access-token": token } });
        const json = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
        if (json.data) ok++;
        else if (json.errors?.[0]?.extensions?.code === "THROTTLED") throttled++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { requests: total, ok, throttled, seconds, requestsPerSecond: total / seconds };
}

export async function runSimulatorBenchmark() {
  const { child, origin, tokens } = await startSimulatorProcess(await freePort());
  const control = new SimControlClient(origin);
  try {
    const shops = [...tokens.keys()];
    // Plus limits (1,000 points/s, 20,000-point bucket) so that the bucket, not the server, is never the limit here.
    for (const shop of shops) await control.setPlan(shop, "plus");
    await measureThroughput(origin, shops[0], tokens.get(shops[0])!, 500, 16); // warm-up
    const throughput = await measureThroughput(origin, shops[0], tokens.get(shops[0])!, 8000, 32);

    const seedStarted = performance.now();
    for (const shop of shops) await control.seed(shop, { products: 100_000, variantsPerProduct: 3, seed: 1 });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const health = (await fetch(`${origin}/_control/health`).then((r) => r.json())) as { rssBytes: number; heapUsedBytes: number };
    const pageStarted = performance.now();
    const page = await fetch(`${origin}/shops/${shops[0]}/admin/api/${DEFAULT_API_VERSION}/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": tokens.get(shops[0])! },
      body: JSON.stringify({ query: `{ products(first: 250, query: "sku:TND-99999-1") { nodes { id } } }` }),
    }).then((r) => r.json() as Promise<{ data: { products: { nodes: unknown[] } } }>);
    const searchMs = performance.now() - pageStarted;

    const results = {
      date: new Date().toISOString(),
      throughput: { ...throughput, target: TARGET_REQUESTS_PER_SECOND, met: throughput.requestsPerSecond >= TARGET_REQUESTS_PER_SECOND },
      memory: {
        stores: shops.length, productsPerStore: 100_000, variantsPerProduct: 3, rssBytes: health.rssBytes, heapUsedBytes: health.heapUsedBytes,
        target: TARGET_MEMORY_BYTES, met: health.rssBytes < TARGET_MEMORY_BYTES, seedSeconds,
        skuSearchOver100kMs: searchMs, skuSearchFound: page.data.products.nodes.length,
      },
    };
    fs.mkdirSync(path.resolve("bench/results"), { recursive: true });
    fs.writeFileSync(path.resolve("bench/results/sim.json"), JSON.stringify(results, null, 2));
    console.table([
      { measure: "simple GraphQL requests/s (32 concurrent)", value: Math.round(throughput.requestsPerSecond), target: `≥ ${TARGET_REQUESTS_PER_SECOND}`, met: results.throughput.met },
      { measure: "RSS with 3 × 100k products × 3 variants, after GC (MB)", value: Math.round(health.rssBytes / 1024 ** 2), target: "< 1024", met: results.memory.met },
      { measure: "of which JS heap in use (MB)", value: Math.round(health.heapUsedBytes / 1024 ** 2), target: "-", met: "-" },
      { measure: "seeding 3 × 100k products (s)", value: Number(seedSeconds.toFixed(1)), target: "-", met: "-" },
      { measure: "products(query: sku:…) over 100k products (ms)", value: Math.round(searchMs), target: "-", met: "-" },
    ]);
    console.log("written to bench/results/sim.json");
    return results;
  } finally {
    child.kill("SIGTERM");
  }
}
