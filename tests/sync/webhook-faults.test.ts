import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";
import { refuseJobWrites } from "../setup/faults";
import { postSignedWebhook } from "../setup/test-app";

// Shopify's webhook contract: a delivery answered with an error comes again with the same event id.
// Whatever failed part way, the redelivery must do the whole work, never be taken for a duplicate.
const PRIMARY = "faults-primary.myshopify.com";
const SHOP_A = "faults-a.myshopify.com";
const SHOP_B = "faults-b.myshopify.com";
let network: SyncNetwork;

async function variantOf(shop: string, sku: string) {
  const snapshot = await network.sim.control.snapshot(shop);
  return snapshot.products.flatMap((p) => p.variants).find((v) => v.sku === sku)!;
}

const stockOf = async (shop: string, sku: string) => Object.values((await variantOf(shop, sku)).quantities).reduce((sum, level) => sum + level.available, 0);

/** Changes made while the simulator's own webhooks are lost: the test delivers the event itself. */
async function withoutSimulatorWebhooks(change: () => Promise<unknown>) {
  await network.sim.control.setChaos({ dropRate: 1 });
  try {
    await change();
  } finally {
    await network.sim.control.setChaos({ dropRate: 0 });
  }
}

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: SHOP_A, locations: ["Main"] });
  await control.createStore({ domain: SHOP_B, locations: ["Main"] });
  const kettle = await control.createProduct(PRIMARY, { title: "Kettle", variants: [{ sku: "KETTLE", price: "20.00" }] });
  await control.setInventory(PRIMARY, { sku: "KETTLE", location: "Warehouse", available: 10 });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: SHOP_A }, { shop: SHOP_B }]);
  await network.idle();
  expect(kettle.variants).toHaveLength(1);
  expect([await variantOf(SHOP_A, "KETTLE"), await variantOf(SHOP_B, "KETTLE")].map((v) => v.price)).toEqual(["20.00", "20.00"]);
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("a webhook whose work failed part way", () => {
  test("a product change that reached one dependent's queue and not the other's reaches both when Shopify redelivers it", async () => {
    const primaryVariant = await variantOf(PRIMARY, "KETTLE");
    await withoutSimulatorWebhooks(() => network.sim.control.updateVariant(PRIMARY, primaryVariant.id, { price: "25.00" }));
    const product = (await network.sim.control.snapshot(PRIMARY)).products.find((p) => p.title === "Kettle")!;
    const delivery = { path: "/webhooks/products", topic: "products/update", shop: PRIMARY, body: { admin_graphql_api_id: product.id, title: "Kettle" }, eventId: "faults-product-event" };

    const lift = await refuseJobWrites(network.prisma, network.app.databaseUrl, SHOP_B);
    try {
      // Shopify counts anything but a 2xx as failed and delivers again.
      expect((await postSignedWebhook(network.app.origin, delivery)).status).toBe(500);
    } finally {
      await lift();
    }
    expect((await postSignedWebhook(network.app.origin, delivery)).status).toBe(200);
    await network.idle();
    expect([await variantOf(SHOP_A, "KETTLE"), await variantOf(SHOP_B, "KETTLE")].map((v) => v.price)).toEqual(["25.00", "25.00"]);
    // Once done, the same event is a duplicate: no more work is queued for it.
    const jobs = await network.prisma.job.count({ where: { kind: "sync-product" } });
    expect((await postSignedWebhook(network.app.origin, delivery)).status).toBe(200);
    expect(await network.prisma.job.count({ where: { kind: "sync-product" } })).toBe(jobs);
  });

  test("a sale recorded in the ledger whose stock job could not be queued is taken from the primary on redelivery", async () => {
    expect(await stockOf(PRIMARY, "KETTLE")).toBe(10);
    let order: Awaited<ReturnType<typeof network.sim.control.placeOrder>> | undefined;
    await withoutSimulatorWebhooks(async () => (order = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "KETTLE", quantity: 2 }], paid: true })));
    const delivery = {
      path: "/webhooks/orders", topic: "orders/paid", shop: SHOP_A, eventId: "faults-order-event",
      body: { admin_graphql_api_id: order!.id, financial_status: "paid", location_id: null, line_items: [{ admin_graphql_api_id: order!.lineItems[0].id, sku: "KETTLE", quantity: 2 }] },
    };

    // The primary's lane is where the sale's stock job goes.
    const lift = await refuseJobWrites(network.prisma, network.app.databaseUrl, PRIMARY);
    try {
      expect((await postSignedWebhook(network.app.origin, delivery)).status).toBe(500);
    } finally {
      await lift();
    }
    expect(await network.prisma.stockMovement.count({ where: { dependentShop: SHOP_A, status: "pending" } })).toBe(1);
    expect((await postSignedWebhook(network.app.origin, delivery)).status).toBe(200);
    await network.idle();
    expect({ primary: await stockOf(PRIMARY, "KETTLE"), a: await stockOf(SHOP_A, "KETTLE"), b: await stockOf(SHOP_B, "KETTLE") }).toEqual({ primary: 8, a: 8, b: 8 });
  });
});

describe("an order webhook Tandem cannot read", () => {
  test("is acknowledged, so Shopify does not retry it or drop the subscription, and the sync log says why, once", async () => {
    const delivery = {
      path: "/webhooks/orders", topic: "orders/paid", shop: SHOP_A, eventId: "faults-unreadable-order",
      body: { admin_graphql_api_id: "gid://shopify/Order/424242", financial_status: "paid", line_items: [{ admin_graphql_api_id: "gid://shopify/LineItem/1", sku: "KETTLE", quantity: "two" }] },
    };
    const stockBefore = await stockOf(PRIMARY, "KETTLE");
    for (let delivered = 0; delivered < 2; delivered++) expect((await postSignedWebhook(network.app.origin, delivery)).status).toBe(200);
    await network.idle();
    const entries = await network.prisma.syncLog.findMany({ where: { dependentShop: SHOP_A, action: "error" } });
    expect(entries.map((e) => [e.message, e.fix])).toEqual([[
      "An orders/paid webhook from this store could not be read (line_items.0.quantity: Expected number, received string); its stock was not moved from it",
      "The stock check reads this store's recent orders and moves the primary's stock for any sale it finds; run Check stock on the dashboard to do it now",
    ]]);
    expect(await stockOf(PRIMARY, "KETTLE")).toBe(stockBefore);
  });
});
