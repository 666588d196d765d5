import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { schemaForWebhook } from "shopify-webhook-schemas";
import { afterEach, describe, expect, test } from "vitest";
import type { Chaos } from "../control";
import { type Simulator, startSimulator } from "../server";
import { readAppToml } from "./dispatcher";

type Received = { topic: string; webhookId: string; eventId: string; shop: string; valid: boolean; body: Record<string, unknown> };

const APP = { apiKey: "webhook-test-key", apiSecret: "webhook-test-secret", handle: "tandem" };
const shopifyLibrary = shopifyApi({
  apiKey: APP.apiKey, apiSecretKey: APP.apiSecret, apiVersion: ApiVersion.January25, hostName: "127.0.0.1", isEmbeddedApp: true,
  logger: { level: 0 },
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** An app stand-in that checks every webhook with @shopify/shopify-api's own validation. */
async function startReceiver({ failFirst = 0 } = {}) {
  const received: Received[] = [];
  let failures = failFirst;
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const check = await shopifyLibrary.webhooks.validate({ rawBody, rawRequest: request, rawResponse: response });
    received.push({
      topic: String(request.headers["x-shopify-topic"]), webhookId: String(request.headers["x-shopify-webhook-id"]),
      eventId: String(request.headers["x-shopify-event-id"]), shop: String(request.headers["x-shopify-shop-domain"]),
      valid: check.valid, body: JSON.parse(rawBody),
    });
    if (failures > 0) {
      failures--;
      response.writeHead(500).end();
      return;
    }
    response.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** An app configuration that also subscribes to products/update, as the catalogue sync will. */
function tomlWithProductUpdates(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-toml-"));
  const file = path.join(dir, "shopify.app.toml");
  fs.writeFileSync(file, `[webhooks]\napi_version = "2026-10"\n\n[[webhooks.subscriptions]]\ntopics = ["app/uninstalled"]\nuri = "/webhooks/app/uninstalled"\n\n[[webhooks.subscriptions]]\ntopics = ["products/update"]\nuri = "/webhooks/products"\n`);
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return file;
}

async function simulatorFor(appUrl: string, chaos: Partial<Chaos> = {}, seed = 1): Promise<Simulator> {
  const sim = await startSimulator({ app: { ...APP, appUrl }, timeScale: 0.001, chaos, seed, appToml: tomlWithProductUpdates() });
  cleanups.push(() => sim.close());
  await sim.control.createStore({ domain: "hooks.myshopify.com", locations: ["Main", "Outlet"] });
  await sim.control.install("hooks.myshopify.com");
  return sim;
}

describe("webhook deliveries", () => {
  test("carry Shopify's headers and an HMAC that @shopify/shopify-api accepts", async () => {
    const receiver = await startReceiver();
    const sim = await simulatorFor(receiver.url);
    await sim.control.uninstall("hooks.myshopify.com");
    await sim.control.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({ topic: "app/uninstalled", shop: "hooks.myshopify.com", valid: true });
    expect(receiver.received[0].body).toMatchObject({ myshopify_domain: "hooks.myshopify.com" });
  });

  test("the delivery tail: a share of deliveries arrives that much later", async () => {
    const receiver = await startReceiver();
    const sim = await simulatorFor(receiver.url, { webhookTailRate: 1, webhookTailMs: 300 });
    const started = performance.now();
    await sim.control.uninstall("hooks.myshopify.com");
    await sim.control.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    // The log says how long Shopify held the delivery, for benchmarks to tell its share from the app's.
    const [record] = (await sim.control.webhookLog(["app/uninstalled"])).deliveries;
    // (Both times are whole milliseconds of the wall clock, which the timer's clock may lead by one.)
    expect(record.firstAttemptAtMs! - record.triggeredAtMs).toBeGreaterThanOrEqual(299);
  });

  test("are retried until the app answers 2xx, with the same webhook and event ids", async () => {
    const receiver = await startReceiver({ failFirst: 2 });
    const sim = await simulatorFor(receiver.url);
    await sim.control.uninstall("hooks.myshopify.com");
    await sim.control.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.webhookId)).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.eventId)).size).toBe(1);
    expect(sim.webhooks.stats).toMatchObject({ delivered: 1, retried: 2, failed: 0 });
  });

  test("an app that does not answer within 5 s gets the same delivery again", async () => {
    const webhookIds: string[] = [];
    const server = http.createServer(async (request, response) => {
      for await (const _chunk of request);
      webhookIds.push(String(request.headers["x-shopify-webhook-id"]));
      // The first delivery is never answered; the retry is.
      if (webhookIds.length > 1) response.writeHead(200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }));
    const sim = await simulatorFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const started = performance.now();
    await sim.control.uninstall("hooks.myshopify.com");
    await sim.control.webhooksIdle();
    expect(performance.now() - started).toBeGreaterThanOrEqual(5000);
    expect(webhookIds).toHaveLength(2);
    expect(webhookIds[1]).toBe(webhookIds[0]);
    expect(sim.webhooks.stats).toMatchObject({ delivered: 1, retried: 1, failed: 0 });
  }, 15_000);
});

test("at most 32 deliveries are in flight at once; the rest wait their turn and all arrive", async () => {
  let inFlight = 0;
  let received = 0;
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = http.createServer(async (request, response) => {
    for await (const _chunk of request);
    inFlight++;
    received++;
    await released;
    inFlight--;
    response.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  const sim = await simulatorFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const product = await sim.control.createProduct("hooks.myshopify.com", { title: "Crowd", variants: [{ sku: "CROWD-1", price: "1" }] });
  for (let i = 0; i < 40; i++) await sim.control.updateProduct("hooks.myshopify.com", product.id, { title: `Crowd ${i}` });
  // The app answers none of them yet: what reached it is what the simulator let go.
  for (let seen = -1; seen !== received; ) {
    seen = received;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(received).toBe(32);
  expect(inFlight).toBe(32);
  release();
  await sim.control.webhooksIdle();
  expect(received).toBe(40);
  expect(sim.webhooks.stats).toMatchObject({ delivered: 40, retried: 0, failed: 0 });
});

describe("webhook payloads", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);

  test.each([
    ["products/create"], ["products/update"], ["products/delete"], ["inventory_levels/update"], ["orders/create"],
    ["orders/paid"], ["orders/cancelled"], ["refunds/create"], ["app/uninstalled"], ["bulk_operations/finish"],
    ["app_subscriptions/update"], ["collections/create"], ["collections/update"],
  ])("%s at the app's webhook version validates against Shopify's documented schema of that version", async (topic) => {
    const { apiVersion } = readAppToml(path.resolve(import.meta.dirname, "../../shopify.app.toml"));
    const { documentedWebhookVersion } = await import("./payloads");
    const sim = await startSimulator({ app: { ...APP, appUrl: "http://127.0.0.1:9" }, timeScale: 0.001 });
    cleanups.push(() => sim.close());
    const payloads: Array<{ topic: string; body: Record<string, unknown> }> = [];
    const { buildPayload } = await import("./payloads");
    sim.world.onEvent((event) => {
      const body = buildPayload(event, apiVersion);
      if (body) payloads.push({ topic: event.topic, body });
    });
    const shop = "payloads.myshopify.com";
    await sim.control.createStore({ domain: shop, locations: ["Main"] });
    const { accessToken } = await sim.control.install(shop);
    const charge = await fetch(sim.graphqlUrl(shop), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
      body: JSON.stringify({
        query: `mutation { appSubscriptionCreate(name: "Pro", returnUrl: "https://app.example.com/plan", test: true, lineItems: [{ plan: { appRecurringPricingDetails: { price: { amount: 49, currencyCode: USD } } } }]) { confirmationUrl } }`,
      }),
    }).then((r) => r.json() as Promise<{ data: { appSubscriptionCreate: { confirmationUrl: string } } }>);
    await fetch(`${charge.data.appSubscriptionCreate.confirmationUrl}?decision=approve`, { redirect: "manual" });
    const product = await sim.control.createProduct(shop, { title: "Payload", options: [{ name: "Size", values: ["S", "M"] }], variants: [{ sku: "P-S", price: "5", options: ["S"] }, { sku: "P-M", price: "6", options: ["M"] }], images: [{ url: "https://cdn.shopify.com/p.jpg" }] });
    await sim.control.updateProduct(shop, product.id, { title: "Payload 2" });
    const collection = await sim.control.createCollection(shop, { title: "Payloads", productIds: [product.id] });
    await sim.control.updateCollection(shop, collection.id, { title: "Payloads 2" });
    await sim.control.setInventory(shop, { sku: "P-S", available: 5 });
    const order = await sim.control.placeOrder(shop, { lines: [{ sku: "P-S", quantity: 2 }], email: "a@example.com", customer: { firstName: "Ada", lastName: "L", email: "a@example.com" } });
    await sim.control.refund(shop, order.id, [{ lineItemId: order.lineItems[0].id, quantity: 1 }]);
    await sim.control.cancelOrder(shop, order.id);
    await sim.control.deleteProduct(shop, product.id);
    const store = sim.world.stores.get(shop)!;
    sim.bulk.runQuery(store, "{ products { edges { node { id } } } }", sim.origin, { apiVersion: "2026-10" });
    for (let i = 0; i < 100 && !payloads.some((p) => p.topic === "bulk_operations/finish"); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await sim.control.uninstall(shop);

    const sample = payloads.find((p) => p.topic === topic);
    expect(sample, `no ${topic} event`).toBeDefined();
    const validate = ajv.compile(schemaForWebhook(documentedWebhookVersion(apiVersion), topic));
    const valid = validate(sample!.body);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5))).toEqual([]);
    expect(valid).toBe(true);
  });
});

describe("chaos", () => {
  async function runWithChaos(seed: number) {
    const receiver = await startReceiver();
    const sim = await simulatorFor(receiver.url, { duplicateRate: 0.3, dropRate: 0.1, reorderWindowMs: 20 }, seed);
    const product = await sim.control.createProduct("hooks.myshopify.com", { title: "Chaotic", variants: [{ sku: "C-1", price: "1" }] });
    for (let i = 0; i < 60; i++) await sim.control.updateProduct("hooks.myshopify.com", product.id, { title: `Chaotic ${i}` });
    await sim.control.webhooksIdle();
    // Answer and queue times are the receiver's and the clock's, not the seed's: left out of what must repeat.
    const { answerMsTotal: _total, answerMsMax: _max, queuedMsTotal: _queued, queuedMsMax: _queuedMax, ...stats } = sim.webhooks.stats;
    return { stats, received: receiver.received };
  }

  test("duplicates, drops and reorders webhooks, reproducibly for a seed", async () => {
    const first = await runWithChaos(123);
    const second = await runWithChaos(123);
    const other = await runWithChaos(999);
    expect(first.stats).toEqual(second.stats);
    expect(first.stats).not.toEqual(other.stats);
    expect(first.stats.events).toBe(60);
    // 30 % duplicated and 10 % dropped of 60 deliveries, within what a fair coin allows.
    expect(first.stats.duplicated).toBeGreaterThanOrEqual(8);
    expect(first.stats.duplicated).toBeLessThanOrEqual(30);
    expect(first.stats.dropped).toBeGreaterThanOrEqual(1);
    expect(first.stats.dropped).toBeLessThanOrEqual(15);
    // A dropped delivery is never duplicated, so every other delivery and every duplicate arrives.
    expect(first.received).toHaveLength(60 - first.stats.dropped + first.stats.duplicated);
    const titles = first.received.map((r) => Number(String(r.body.title).split(" ")[1]));
    expect(titles).not.toEqual([...titles].sort((a, b) => a - b));
    // A duplicate is the same event (X-Shopify-Event-Id) under a webhook id of its own.
    const duplicates = first.received.filter((r, i) => first.received.findIndex((o) => o.eventId === r.eventId) !== i);
    expect(duplicates).toHaveLength(first.stats.duplicated);
    expect(duplicates.every((r) => r.valid)).toBe(true);
    expect(new Set(first.received.map((r) => r.webhookId)).size).toBe(first.received.length);
  });
});
