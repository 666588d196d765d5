import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork, waitFor } from "../setup/sync-network";
import { postSignedWebhook } from "../setup/test-app";

const PRIMARY = "mirror-primary.myshopify.com";
const SHOP_A = "mirror-a.myshopify.com";
const SHOP_B = "mirror-b.myshopify.com";
let network: SyncNetwork;

async function primaryLampStock() {
  const variant = (await network.sim.control.snapshot(PRIMARY)).products.flatMap((p) => p.variants).find((v) => v.sku === "LAMP")!;
  return variant.quantities.Warehouse.available;
}

/** The primary's copies of orders placed in a dependent, by the dependent order they copy. */
async function mirrors() {
  const orders = await network.sim.control.orders(PRIMARY);
  return new Map(orders.filter((o) => o.sourceName === "tandem").map((o) => [o.sourceIdentifier, o]));
}

async function customerOf(orderId: string | null | undefined) {
  const customers = await network.sim.control.customers(PRIMARY);
  return customers.find((c) => c.id === orderId) ?? null;
}

beforeAll(async () => {
  // The customer data report (customers/data_request) goes to the app's log at info.
  network = await startSyncNetwork({ LOG_LEVEL: "info" });
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: SHOP_A, locations: ["Main"] });
  await control.createStore({ domain: SHOP_B, locations: ["Main"] });
  await control.createProduct(PRIMARY, { title: "Lamp", variants: [{ sku: "LAMP", price: "40.00" }] });
  await control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 20 });
  await control.createProduct(SHOP_A, { title: "Local candle", variants: [{ sku: "CANDLE", price: "5.00" }] });
  await control.setInventory(SHOP_A, { sku: "CANDLE", available: 5 });
  await control.createCustomer(PRIMARY, { email: "jane@example.com", firstName: "Jane", lastName: "Primary" });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: SHOP_A }, { shop: SHOP_B, preferences: { mirrorOrders: "false" } }]);
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("order mirroring (seed 002)", () => {
  test("a paid order is recorded on the primary for the existing customer of that e-mail, whose name stays; stock moves once", async () => {
    const before = await primaryLampStock();
    const order = await network.sim.control.placeOrder(SHOP_A, {
      lines: [{ sku: "LAMP", quantity: 2 }, { sku: "CANDLE", quantity: 1 }], paid: true,
      email: "JANE@example.com", customer: { email: "JANE@example.com", firstName: "Janet", lastName: "Elsewhere" },
    });
    await network.idle();
    const mirror = (await mirrors()).get(order.id);
    expect(mirror).toMatchObject({ financialStatus: "PAID", tags: ["tandem", `tandem-order-${order.id.split("/").pop()}`] });
    const lamp = (await network.sim.control.snapshot(PRIMARY)).products.flatMap((p) => p.variants).find((v) => v.sku === "LAMP")!;
    expect(mirror!.lineItems).toEqual([
      { sku: "LAMP", title: "Lamp", quantity: 2, price: "40.00", variantId: lamp.id },
      { sku: "CANDLE", title: "Local candle", quantity: 1, price: "5.00", variantId: null },
    ]);
    expect(await customerOf(mirror!.customerId)).toMatchObject({ email: "jane@example.com", firstName: "Jane", lastName: "Primary" });
    // The ledger took the sale once; the recorded order bypasses inventory.
    expect(await primaryLampStock()).toBe(before - 2);
    const log = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SHOP_A, action: "order" } });
    expect(log.message).toBe(`Order ${order.name} of ${SHOP_A} recorded on the primary as ${mirror!.name}, for the primary's existing customer of that e-mail (name kept); 1 line without a linked SKU recorded as a custom item`);
  });

  test("a new buyer becomes a customer with the order's names, or with the e-mail as name when the order has none", async () => {
    const named = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true, customer: { email: "paul@example.com", firstName: "Paul", lastName: "Neuf" } });
    const nameless = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true, email: "nameless@example.com" });
    await network.idle();
    const all = await mirrors();
    expect(await customerOf(all.get(named.id)!.customerId)).toMatchObject({ email: "paul@example.com", firstName: "Paul", lastName: "Neuf" });
    expect(await customerOf(all.get(nameless.id)!.customerId)).toMatchObject({ email: "nameless@example.com", firstName: "nameless@example.com", lastName: null });
  });

  test("an unpaid order waits for its payment; a repeated orders/paid records nothing more", async () => {
    const unpaid = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: false, email: "later@example.com" });
    await network.idle();
    expect((await mirrors()).has(unpaid.id)).toBe(false);
    await network.sim.control.markPaid(SHOP_A, unpaid.id);
    await network.idle();
    expect((await mirrors()).has(unpaid.id)).toBe(true);
    const replay = await postSignedWebhook(network.app.origin, {
      path: "/webhooks/orders", topic: "orders/paid", shop: SHOP_A,
      body: { admin_graphql_api_id: unpaid.id, financial_status: "paid", location_id: null, line_items: [{ admin_graphql_api_id: unpaid.lineItems[0].id, sku: "LAMP", quantity: 1 }] },
    });
    expect(replay.status).toBe(200);
    await network.idle();
    expect([...(await mirrors()).keys()].filter((id) => id === unpaid.id)).toHaveLength(1);
    expect(await network.prisma.mirroredOrder.count({ where: { dependentOrderId: unpaid.id } })).toBe(1);
  });

  test("a store with mirroring off keeps its orders to itself (its stock still moves)", async () => {
    const before = await primaryLampStock();
    const order = await network.sim.control.placeOrder(SHOP_B, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true, email: "b@example.com" });
    await network.idle();
    expect((await mirrors()).has(order.id)).toBe(false);
    expect(await primaryLampStock()).toBe(before - 1);
  });

  test("a paid order whose webhooks were all lost is recorded by the next stock check", async () => {
    await network.sim.control.setChaos({ dropRate: 1 });
    const order = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true, email: "lost@example.com" });
    await network.sim.control.setChaos({ dropRate: 0 });
    await network.idle();
    expect((await mirrors()).has(order.id)).toBe(false);
    const response = await network.post(SHOP_A, "/app/sync", { intent: "check-stock" });
    expect(response.status).toBeLessThan(400);
    await network.idle();
    expect((await mirrors()).has(order.id)).toBe(true);
  });

  test("when the answer to orderCreate is lost, the retried job finds the order it made by its custom ID instead of making another, before Shopify's search lists it", async () => {
    await network.sim.control.setChaos({ lostResponseRate: 1, lostResponseFields: ["orderCreate"], searchIndexLagMs: 10 * 60_000 });
    const order = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true, email: "retry@example.com" });
    let failed;
    for (let i = 0; i < 100 && !failed; i++) {
      failed = await network.prisma.job.findFirst({ where: { kind: "mirror-order", lastError: { not: null } }, orderBy: { createdAt: "desc" } });
      if (!failed) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await network.sim.control.setChaos({ lostResponseRate: 0, lostResponseFields: [] });
    expect(failed?.lastError).toContain("no answer to a request that may have run");
    try {
      await network.idle();
    } finally {
      await network.sim.control.setChaos({ searchIndexLagMs: 0 });
    }
    const copies = (await network.sim.control.orders(PRIMARY)).filter((o) => o.sourceIdentifier === order.id);
    expect(copies).toHaveLength(1);
    const job = await network.prisma.job.findUniqueOrThrow({ where: { id: failed!.id } });
    expect(JSON.parse(job.result!)).toEqual({ recovered: copies[0].name });
  });
});

describe("personal data (customers/data_request, customers/redact)", () => {
  const compliance = (shop: string, topic: string, body: Record<string, unknown>) =>
    postSignedWebhook(network.app.origin, { path: "/webhooks/compliance", topic, shop, body: { shop_domain: shop, ...body } });
  const numeric = (gid: string) => Number(gid.split("/").pop());

  test("the sync log names no buyer's e-mail", async () => {
    const mentions = await network.prisma.syncLog.findMany({ where: { OR: [{ message: { contains: "@example.com" } }, { texts: { contains: "@example.com" } }] } });
    expect(mentions).toEqual([]);
    expect(await network.prisma.syncLog.count({ where: { action: "order" } })).toBeGreaterThan(2);
  });

  test("a data request reports the mirrored orders of the customer; a redaction keeps the orders and forgets the customer and the e-mail", async () => {
    const jane = (await network.sim.control.customers(PRIMARY)).find((c) => c.email === "jane@example.com")!;
    const ofJane = await network.prisma.mirroredOrder.findMany({ where: { primaryShop: PRIMARY, customerId: jane.id } });
    expect(ofJane).toHaveLength(1);
    // An entry as versions before 2026-12-06 wrote it, with the buyer's e-mail.
    const legacy = await network.prisma.syncLog.create({
      data: {
        primaryShop: PRIMARY, dependentShop: SHOP_A, action: "order", skus: "[]", fields: "[]",
        message: `Order #1001 of ${SHOP_A} recorded on the primary as #9001, for the existing customer JANE@example.com (name kept)`,
        texts: JSON.stringify({ message: { key: "entry.orderMirrored", params: { order: "#1001", shop: SHOP_A, created: "#9001", email: "JANE@example.com", customer: "existing", customLines: 0 } }, fix: null }),
      },
    });
    const untouched = await network.prisma.syncLog.count();

    const asked = await compliance(PRIMARY, "customers/data_request", { customer: { id: numeric(jane.id), email: "jane@example.com" }, orders_requested: [], data_request: { id: 77 } });
    expect(asked.status).toBe(200);
    // The app's log reaches its output a moment after the answer.
    const report = await waitFor(async () => network.app.output().split("\n").find((line) => line.includes("customer data request")), (line) => line !== undefined);
    expect(report).toContain(ofJane[0].primaryOrderName);
    expect(report).toContain(legacy.id);
    expect(report).not.toContain("jane@example.com");

    const redacted = await compliance(PRIMARY, "customers/redact", { customer: { id: numeric(jane.id), email: "jane@example.com" }, orders_to_redact: [] });
    expect(redacted.status).toBe(200);
    expect(await network.prisma.mirroredOrder.findMany({ where: { dependentOrderId: ofJane[0].dependentOrderId } })).toMatchObject([{ customerId: null, primaryOrderName: ofJane[0].primaryOrderName }]);
    const scrubbed = await network.prisma.syncLog.findUniqueOrThrow({ where: { id: legacy.id } });
    expect(`${scrubbed.message} ${scrubbed.texts}`.toLowerCase()).not.toContain("jane@example.com");
    expect(scrubbed.message).toContain("[redacted]");
    expect(await network.prisma.syncLog.count()).toBe(untouched);
  });

  test("a dependent's redaction names its orders: their mirrors forget the customer", async () => {
    const paul = await network.prisma.mirroredOrder.findFirstOrThrow({ where: { dependentShop: SHOP_A, customerId: { not: null } } });
    const redacted = await compliance(SHOP_A, "customers/redact", { customer: { id: 5, email: "paul@example.com" }, orders_to_redact: [numeric(paul.dependentOrderId)] });
    expect(redacted.status).toBe(200);
    expect(await network.prisma.mirroredOrder.findUniqueOrThrow({ where: { dependentShop_dependentOrderId: { dependentShop: SHOP_A, dependentOrderId: paul.dependentOrderId } } })).toMatchObject({ customerId: null });
    // Other customers' orders keep theirs (positive control).
    expect(await network.prisma.mirroredOrder.count({ where: { dependentShop: SHOP_A, customerId: { not: null } } })).toBeGreaterThan(0);
  });
});


describe("without Shopify's approval for protected customer data", () => {
  test("a paid order is still recorded, without a customer or any personal data, and the log says why", async () => {
    const { control } = network.sim;
    await control.setProtectedCustomerFields(SHOP_A, false);
    await control.setProtectedCustomerFields(PRIMARY, false);
    try {
      const order = await control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true, email: "hidden@example.com", customer: { firstName: "Hidden", lastName: "Buyer", email: "hidden@example.com" } });
      await network.idle();
      const copy = (await mirrors()).get(order.id);
      expect(copy).toMatchObject({ email: null, customerId: null });
      const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SHOP_A, action: "order", message: { contains: order.name } }, orderBy: { createdAt: "desc" } });
      expect(entry.message).toContain("protected customer data");
      expect(`${entry.message} ${entry.fix ?? ""}`).not.toContain("hidden@example.com");
      expect((await control.customers(PRIMARY)).some((customer) => customer.email === "hidden@example.com")).toBe(false);
    } finally {
      await control.setProtectedCustomerFields(SHOP_A, true);
      await control.setProtectedCustomerFields(PRIMARY, true);
    }
  });
});

describe("a development primary's order limit", () => {
  const DEV_PRIMARY = "mirror-dev-primary.myshopify.com";
  const DEV_SHOP = "mirror-dev-shop.myshopify.com";

  test("orders over Shopify's 5 a minute wait, the sync log says why, and all are recorded by themselves once it allows", async () => {
    const { control } = network.sim;
    await control.createStore({ domain: DEV_PRIMARY, development: true });
    await control.createStore({ domain: DEV_SHOP });
    await control.createProduct(DEV_PRIMARY, { title: "Dev lamp", variants: [{ sku: "DEV-LAMP", price: "10.00" }] });
    await control.setInventory(DEV_PRIMARY, { sku: "DEV-LAMP", available: 50 });
    await connectStores(network, DEV_PRIMARY, [{ shop: DEV_SHOP }]);
    await network.idle();
    const placed: { id: string; name: string }[] = [];
    for (let i = 0; i < 7; i++) placed.push(await control.placeOrder(DEV_SHOP, { lines: [{ sku: "DEV-LAMP", quantity: 1 }], paid: true }));
    const recorded = async () => new Set((await control.orders(DEV_PRIMARY)).filter((o) => o.sourceName === "tandem").map((o) => o.sourceIdentifier));
    // Five go at once; the next ones wait for Shopify's minute.
    const waiting = await waitFor(
      () => network.prisma.job.findFirst({ where: { kind: "mirror-order", lane: { startsWith: DEV_PRIMARY }, status: "queued", lastError: { contains: "refused the call for now" } } }),
      (job) => job !== null, 60_000,
    );
    expect((await recorded()).size).toBe(5);
    // A wait is not an attempt: the job has all of its attempts left.
    expect(waiting!.attempts).toBe(0);
    expect(waiting!.runAt.getTime()).toBeGreaterThan(Date.now());
    const entries = await network.prisma.syncLog.findMany({ where: { primaryShop: DEV_PRIMARY, dependentShop: DEV_SHOP, action: "order" } });
    const limited = entries.filter((entry) => entry.message.includes("5 orders a minute"));
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0].fix).toContain("paid Shopify plan");
    // Then every order is recorded, once, without anyone asking.
    await waitFor(recorded, (ids) => ids.size === 7, 150_000);
    expect(await recorded()).toEqual(new Set(placed.map((order) => order.id)));
    await network.idle();
    expect(await network.prisma.job.count({ where: { kind: "mirror-order", lane: { startsWith: DEV_PRIMARY }, status: { not: "succeeded" } } })).toBe(0);
    expect((await control.orders(DEV_PRIMARY)).filter((o) => o.sourceName === "tandem")).toHaveLength(7);
    // Each waiting order was explained once, however often its job waited.
    const explained = (await network.prisma.syncLog.findMany({ where: { primaryShop: DEV_PRIMARY, action: "order", message: { contains: "5 orders a minute" } } }))
      .map((entry) => placed.find((order) => entry.message.includes(`Order ${order.name} `))?.id);
    expect(explained.every(Boolean)).toBe(true);
    expect(new Set(explained).size).toBe(explained.length);
  }, 240_000);
});
