// npm run bench -- webhooks: what one app process spends receiving a webhook (issue 37, target 1:
// ≤ 0.15 ms of CPU each), beside its floor in the same run: a bare Node HTTP server that only reads
// the body and verifies its HMAC. The load is the webhook a Sync all brings back most: a dependent's
// inventory_levels/update reporting the very level Tandem wrote (the echo of its own write, which
// the app recognises and drops), BENCH_WEBHOOKS_COUNT of them (default 20,000), signed as Shopify
// signs them, BENCH_WEBHOOKS_CONCURRENCY (default 32) in flight. Printed per receiver: webhooks per
// second one process sustains, and its CPU per webhook (from /proc). The sender runs in this process,
// so its own CPU is not counted; on 2 cores it competes with the receiver, which lowers both rates alike.
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ensureBuild } from "../scripts/lib/build";
import { signWebhook } from "../sim/webhooks/dispatcher";
import { stopProcess, TEST_API_SECRET } from "../tests/setup/test-app";
import { cpuSeconds, startBenchNetwork } from "./network";

const COUNT = Number(process.env.BENCH_WEBHOOKS_COUNT ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOKS_CONCURRENCY ?? 32);
const API_VERSION = "2026-10";
const TARGET_APP_CPU_MS_PER_WEBHOOK = 0.15;

type Delivery = { shop: string; body: string; hmac: string };

/** The floor: reads the raw body, checks its HMAC in constant time, answers 200 (401 when it does not match). */
const BARE_SERVER = `
const crypto = require("node:crypto");
const http = require("node:http");
const secret = process.env.SECRET;
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const expected = crypto.createHmac("sha256", secret).update(Buffer.concat(chunks)).digest();
    const given = Buffer.from(String(request.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    const ok = given.length === expected.length && crypto.timingSafeEqual(given, expected);
    response.writeHead(ok ? 200 : 401).end();
  });
});
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
`;

/** The library's floor: its webhook validation alone, as `authenticate.webhook` runs it (bench/library-webhook-server.mjs). */
const LIBRARY_SERVER = path.resolve(import.meta.dirname, "library-webhook-server.mjs");

/** A receiver of its own process, started from `args`, once it says on which port it listens. */
async function startServer(args: string[]): Promise<{ process: ChildProcess; origin: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, SECRET: TEST_API_SECRET }, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`the receiver ${args.join(" ").slice(0, 40)} exited (${code})`)));
  });
  return { process: child, origin: `http://127.0.0.1:${port}` };
}

/** Sends every delivery to `url`, `CONCURRENCY` at a time; fails on any answer but 200. */
async function send(url: string, deliveries: Delivery[]) {
  let next = 0;
  const sender = async () => {
    while (next < deliveries.length) {
      const { shop, body, hmac } = deliveries[next++];
      const response = await fetch(url, {
        method: "POST", body,
        headers: {
          "Content-Type": "application/json", "X-Shopify-Topic": "inventory_levels/update", "X-Shopify-Hmac-Sha256": hmac, "X-Shopify-Shop-Domain": shop,
          "X-Shopify-API-Version": API_VERSION, "X-Shopify-Webhook-Id": crypto.randomUUID(), "X-Shopify-Event-Id": crypto.randomUUID(),
          "X-Shopify-Triggered-At": new Date().toISOString(),
        },
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
}

/** Webhooks per second and CPU per webhook of the process `pid` receiving `deliveries` at `url`. */
async function measure(receiver: string, pid: number, url: string, deliveries: Delivery[]) {
  // A first tenth warms the receiver up (JIT, connections) and is not counted.
  await send(url, deliveries.slice(0, Math.ceil(deliveries.length / 10)));
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  await send(url, deliveries);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(pid) - cpuBefore;
  return { receiver, webhooks: deliveries.length, wallSeconds: Math.round(seconds * 10) / 10, perSecond: Math.round(deliveries.length / seconds), cpuMsPerWebhook: Math.round((cpu * 1000 / deliveries.length) * 1000) / 1000 };
}

export async function runWebhooksBenchmark() {
  ensureBuild();
  const network = await startBenchNetwork();
  const primary = "hooks-primary.myshopify.com";
  const dependent = "hooks-dependent.myshopify.com";
  const receivers: ChildProcess[] = [];
  try {
    for (const shop of [primary, dependent]) await network.control.createStore({ domain: shop, locations: ["Warehouse"] });
    await network.control.seed(primary, { products: 500, variantsPerProduct: 3, seed: 5, skuPrefix: "HOOK" });
    await network.startWorker();
    await network.connect(primary, [dependent]);
    await network.idle();
    // The levels Tandem wrote in the dependent: each reported back as Shopify reports it (sim/webhooks/payloads.ts).
    const written = await network.prisma.writtenLevel.findMany({ where: { dependentShop: dependent } });
    if (written.length === 0) throw new Error("the Sync all wrote no level to echo");
    const numeric = (gid: string) => Number(gid.split("/").pop());
    const deliveries: Delivery[] = Array.from({ length: COUNT }, (_, index) => {
      const level = written[index % written.length];
      const body = JSON.stringify({
        inventory_item_id: numeric(level.inventoryItemId), location_id: numeric(level.locationId), available: level.quantity,
        updated_at: (level.changedAt ?? level.writtenAt).toISOString(),
        admin_graphql_api_id: `gid://shopify/InventoryLevel/${numeric(level.inventoryItemId)}?inventory_item_id=${numeric(level.inventoryItemId)}`,
      });
      return { shop: dependent, body, hmac: signWebhook(body, TEST_API_SECRET) };
    });
    const app = await measure("app (verify, recognise the echo, answer)", network.app.pid, new URL("/webhooks/inventory", network.app.origin).toString(), deliveries);
    // The echoes queued nothing: what the app did for each is the whole of it.
    const queued = await network.prisma.job.count({ where: { status: { in: ["queued", "running"] } } });
    if (queued > 0) throw new Error(`${queued} jobs queued by echoes`);
    const measureServer = async (receiver: string, args: string[]) => {
      const server = await startServer(args);
      receivers.push(server.process);
      return measure(receiver, server.process.pid!, `${server.origin}/webhooks/inventory`, deliveries);
    };
    const library = await measureServer("bare Node server + the library's validation (authenticate.webhook's first step)", [LIBRARY_SERVER]);
    const floor = await measureServer("bare Node server (verify HMAC only)", ["-e", BARE_SERVER]);
    const rows = [app, library, floor];
    console.table(rows);
    const appOverFloor = Math.round((app.cpuMsPerWebhook / floor.cpuMsPerWebhook) * 10) / 10;
    console.log(`app CPU per webhook: ${app.cpuMsPerWebhook} ms (target ≤ ${TARGET_APP_CPU_MS_PER_WEBHOOK} ms), ${appOverFloor}× the bare server's; the library's validation alone: ${library.cpuMsPerWebhook} ms`);
    const results = { date: new Date().toISOString(), count: COUNT, concurrency: CONCURRENCY, rows, appOverFloor, targets: { appCpuMsPerWebhook: TARGET_APP_CPU_MS_PER_WEBHOOK } };
    const file = path.join("bench", "results", "webhooks.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${file}`);
    return results;
  } finally {
    for (const receiver of receivers) await stopProcess(receiver);
    await network.stop();
  }
}
