import { beforeAll, describe, expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

// The webhook handlers in-process, on their own database (no worker: what they queue stays
// queued). End to end, with signatures and Shopify's redeliveries: tests/sync/webhook-faults,
// tests/security.
await useTestAppEnv();
const network = await import("../services/network.server");
const { default: prisma } = await import("../db.server");
const { setStorePlan } = await import("../models/stores.server");
const { planById } = await import("../billing/plans");
const { handleProductWebhook, handleCollectionWebhook } = await import("./catalogue.server");
const { handleOrderWebhook } = await import("./orders.server");
const { handleComplianceWebhook } = await import("./compliance.server");
const { recordMirroredOrder } = await import("../models/mirroredOrders.server");
const { writeSyncLog } = await import("../models/syncLog.server");
const { verbatim } = await import("../i18n");

const PRIMARY = "hooks-primary.myshopify.com";
const DEPENDENT = "hooks-dependent.myshopify.com";
const OWN_STOCK = "hooks-own-stock.myshopify.com";
const STRANGER = "hooks-stranger.myshopify.com";
const MIRRORING = "hooks-mirroring.myshopify.com";
const UNPAID_COUNTS = "hooks-unpaid-counts.myshopify.com";
let sequence = 0;
const eventId = () => `hooks-event-${++sequence}`;

const paidOrder = (lineId: number, sku = "MUG") => ({
  admin_graphql_api_id: `gid://shopify/Order/${lineId}`,
  financial_status: "paid",
  location_id: null,
  line_items: [{ admin_graphql_api_id: `gid://shopify/LineItem/${lineId}`, sku, quantity: 2 }],
});

beforeAll(async () => {
  await network.chooseRole(PRIMARY, "primary");
  await setStorePlan(PRIMARY, planById("basic"), "gid://shopify/AppSubscription/1");
  const key = await network.connectionKeyOf(PRIMARY);
  for (const shop of [DEPENDENT, OWN_STOCK, MIRRORING, UNPAID_COUNTS]) await network.connectWithKey(shop, key);
  await network.saveSyncPreferences(MIRRORING, { scope: "all", syncDetails: true, syncPrice: true, syncQuantity: true, mirrorOrders: true });
  await network.saveSyncPreferences(UNPAID_COUNTS, { scope: "all", syncDetails: true, syncPrice: true, syncQuantity: true, mirrorOrders: false, countUnpaidOrders: true });
  await network.saveSyncPreferences(DEPENDENT, { scope: "all", syncDetails: true, syncPrice: true, syncQuantity: true, mirrorOrders: false });
  await network.saveSyncPreferences(OWN_STOCK, { scope: "all", syncDetails: true, syncPrice: true, syncQuantity: false, mirrorOrders: false });
});

describe("product and collection webhooks", () => {
  test("a primary's change queues a sync for its dependent, once per event id", async () => {
    const id = eventId();
    const change = { shop: PRIMARY, topic: "products/update", eventId: id, productId: "gid://shopify/Product/1" };
    expect(await handleProductWebhook(change)).toBe("queued");
    expect(await prisma.job.count({ where: { kind: "sync-product", primaryShop: PRIMARY } })).toBeGreaterThan(0);
    expect(await handleProductWebhook(change)).toBe("duplicate");
    expect(await prisma.webhookEvent.count({ where: { eventId: id } })).toBe(1);
  });

  test("a dependent's own product and collection changes start nothing and record nothing", async () => {
    const jobs = await prisma.job.count();
    const id = eventId();
    expect(await handleProductWebhook({ shop: DEPENDENT, topic: "products/update", eventId: id, productId: "gid://shopify/Product/2" })).toBe("ignored");
    expect(await handleCollectionWebhook({ shop: DEPENDENT, topic: "collections/update", eventId: eventId() })).toBe("ignored");
    expect(await prisma.job.count()).toBe(jobs);
    expect(await prisma.webhookEvent.count({ where: { eventId: id } })).toBe(0);
  });
});

describe("order webhooks", () => {
  test("a dependent's paid sale goes into the ledger and wakes the primary's stock job; its line counts once, whatever the event ids", async () => {
    expect(await handleOrderWebhook({ shop: DEPENDENT, topic: "orders/paid", eventId: eventId(), payload: paidOrder(1) })).toBe("queued");
    const movement = await prisma.stockMovement.findFirstOrThrow({ where: { dependentShop: DEPENDENT } });
    expect(movement).toMatchObject({ primaryShop: PRIMARY, kind: "sale", sku: "MUG", quantity: 2, status: "pending" });
    expect(await prisma.job.count({ where: { kind: "apply-stock", primaryShop: PRIMARY } })).toBe(1);
    // The same line under another event id (a resend) while it waits: the one job is woken again,
    // the ledger still holds one movement.
    expect(await handleOrderWebhook({ shop: DEPENDENT, topic: "orders/paid", eventId: eventId(), payload: paidOrder(1) })).toBe("queued");
    expect(await prisma.stockMovement.count({ where: { dependentShop: DEPENDENT } })).toBe(1);
    expect(await prisma.job.count({ where: { kind: "apply-stock", primaryShop: PRIMARY } })).toBe(1);
    // Once the ledger settled it, the line queues nothing more.
    await prisma.stockMovement.update({ where: { id: movement.id }, data: { status: "applied" } });
    expect(await handleOrderWebhook({ shop: DEPENDENT, topic: "orders/paid", eventId: eventId(), payload: paidOrder(1) })).toBe("duplicate");
  });

  test("an unpaid order does not count where unpaid orders do not", async () => {
    const unpaid = { ...paidOrder(2), financial_status: "pending" };
    expect(await handleOrderWebhook({ shop: DEPENDENT, topic: "orders/create", eventId: eventId(), payload: unpaid })).toBe("ignored");
    expect(await prisma.stockMovement.count({ where: { dependentShop: DEPENDENT, lineItemId: "gid://shopify/LineItem/2" } })).toBe(0);
  });

  test("with Stock quantities off, a store's sales and restocks leave the primary's stock alone", async () => {
    expect(await handleOrderWebhook({ shop: OWN_STOCK, topic: "orders/paid", eventId: eventId(), payload: paidOrder(3) })).toBe("ignored");
    const refund = { order_id: 3, refund_line_items: [{ line_item: { admin_graphql_api_id: "gid://shopify/LineItem/3", sku: "MUG" }, quantity: 1, restock_type: "return", location_id: null }] };
    expect(await handleOrderWebhook({ shop: OWN_STOCK, topic: "refunds/create", eventId: eventId(), payload: refund })).toBe("ignored");
    expect(await prisma.stockMovement.count({ where: { dependentShop: OWN_STOCK } })).toBe(0);
  });

  test("a body Tandem cannot read is acknowledged and logged with its fix, not retried", async () => {
    const id = eventId();
    expect(await handleOrderWebhook({ shop: DEPENDENT, topic: "orders/paid", eventId: id, payload: { financial_status: "paid", line_items: "not a list" } })).toBe("unreadable");
    const entry = await prisma.syncLog.findFirstOrThrow({ where: { dependentShop: DEPENDENT, action: "error" } });
    expect(entry.fix).toBeTruthy();
    expect(await prisma.webhookEvent.count({ where: { eventId: id } })).toBe(1);
  });

  test("a store outside any network, or a primary, is ignored before anything is written", async () => {
    for (const shop of [STRANGER, PRIMARY]) {
      const id = eventId();
      expect(await handleOrderWebhook({ shop, topic: "orders/paid", eventId: id, payload: paidOrder(4) })).toBe("ignored");
      expect(await prisma.webhookEvent.count({ where: { eventId: id } })).toBe(0);
    }
  });
});

describe("order webhooks, by preference and connection", () => {
  const mirrorJobs = () => prisma.job.count({ where: { kind: "mirror-order", primaryShop: PRIMARY } });

  test("a paid order of a store that mirrors its orders is queued for the primary, once; a created one is not", async () => {
    expect(await handleOrderWebhook({ shop: MIRRORING, topic: "orders/create", eventId: eventId(), payload: paidOrder(20) })).toBe("ignored");
    expect(await mirrorJobs()).toBe(0);
    expect(await handleOrderWebhook({ shop: MIRRORING, topic: "orders/paid", eventId: eventId(), payload: paidOrder(20) })).toBe("queued");
    expect(await mirrorJobs()).toBe(1);
    expect(await handleOrderWebhook({ shop: MIRRORING, topic: "orders/paid", eventId: eventId(), payload: paidOrder(20) })).toBe("queued");
    expect(await mirrorJobs()).toBe(1);
    // Recorded already: nothing more is queued for it.
    await recordMirroredOrder({ dependentShop: MIRRORING, dependentOrderId: "gid://shopify/Order/21", primaryShop: PRIMARY, primaryOrderId: "gid://shopify/Order/900", primaryOrderName: "#900", customerId: null });
    await handleOrderWebhook({ shop: MIRRORING, topic: "orders/paid", eventId: eventId(), payload: paidOrder(21) });
    expect(await mirrorJobs()).toBe(1);
  });

  test("where unpaid orders count, an order counts when it is created, and its payment changes nothing more", async () => {
    const unpaid = { ...paidOrder(30), financial_status: "pending" };
    expect(await handleOrderWebhook({ shop: UNPAID_COUNTS, topic: "orders/create", eventId: eventId(), payload: unpaid })).toBe("queued");
    expect(await prisma.stockMovement.count({ where: { dependentShop: UNPAID_COUNTS, lineItemId: "gid://shopify/LineItem/30" } })).toBe(1);
    await handleOrderWebhook({ shop: UNPAID_COUNTS, topic: "orders/paid", eventId: eventId(), payload: paidOrder(30) });
    expect(await prisma.stockMovement.count({ where: { dependentShop: UNPAID_COUNTS, lineItemId: "gid://shopify/LineItem/30" } })).toBe(1);
  });

  test("a refund's restocked lines go into the ledger as restocks", async () => {
    const refund = {
      admin_graphql_api_id: "gid://shopify/Refund/31", order_id: 31,
      refund_line_items: [{ line_item: { admin_graphql_api_id: "gid://shopify/LineItem/31", sku: "MUG", quantity: 2 }, quantity: 1, restock_type: "return", location_id: null }],
    };
    expect(await handleOrderWebhook({ shop: DEPENDENT, topic: "refunds/create", eventId: eventId(), payload: refund })).toBe("queued");
    expect(await prisma.stockMovement.findFirstOrThrow({ where: { dependentShop: DEPENDENT, lineItemId: "gid://shopify/LineItem/31" } })).toMatchObject({ kind: "restock", quantity: 1 });
  });

  test("a store whose connection needs attention is ignored; a paused one still sends its sales, not its orders to mirror", async () => {
    const connection = await prisma.connection.findFirstOrThrow({ where: { dependentShop: MIRRORING } });
    await prisma.connection.update({ where: { id: connection.id }, data: { status: "paused" } });
    const jobs = await mirrorJobs();
    expect(await handleOrderWebhook({ shop: MIRRORING, topic: "orders/paid", eventId: eventId(), payload: paidOrder(32) })).toBe("queued");
    expect(await mirrorJobs()).toBe(jobs);
    await prisma.connection.update({ where: { id: connection.id }, data: { status: "needs_attention" } });
    const id = eventId();
    expect(await handleOrderWebhook({ shop: MIRRORING, topic: "orders/paid", eventId: id, payload: paidOrder(33) })).toBe("ignored");
    expect(await prisma.webhookEvent.count({ where: { eventId: id } })).toBe(0);
    await prisma.connection.update({ where: { id: connection.id }, data: { status: "connected" } });
  });
});

describe("compliance webhooks", () => {
  const email = "jane.doe@example.com";
  const customerId = "gid://shopify/Customer/77";

  test("customers/data_request reports the mirrored orders of the customer and the log entries naming the e-mail; customers/redact removes both", async () => {
    await recordMirroredOrder({ dependentShop: DEPENDENT, dependentOrderId: "gid://shopify/Order/40", primaryShop: PRIMARY, primaryOrderId: "gid://shopify/Order/940", primaryOrderName: "#940", customerId });
    await recordMirroredOrder({ dependentShop: DEPENDENT, dependentOrderId: "gid://shopify/Order/41", primaryShop: PRIMARY, primaryOrderId: "gid://shopify/Order/941", primaryOrderName: "#941", customerId: "gid://shopify/Customer/78" });
    await writeSyncLog([{ primaryShop: PRIMARY, dependentShop: DEPENDENT, action: "order", message: verbatim(`Order #40 recorded for ${email}`) }]);
    const report = await handleComplianceWebhook({ shop: PRIMARY, topic: "CUSTOMERS_DATA_REQUEST", payload: { customer: { id: 77, email: email.toUpperCase() }, orders_requested: [] } });
    expect(report).toMatchObject({ shop: PRIMARY, customerId, mirroredOrders: [{ dependentOrderId: "gid://shopify/Order/40", primaryOrderName: "#940", customerId }] });
    expect(report?.syncLogEntriesNamingTheEmail).toHaveLength(1);

    await handleComplianceWebhook({ shop: PRIMARY, topic: "customers/redact", payload: { customer: { id: "77", email }, orders_to_redact: [] } });
    expect(await prisma.mirroredOrder.findFirstOrThrow({ where: { dependentOrderId: "gid://shopify/Order/40" } })).toMatchObject({ customerId: null });
    // Another customer's order keeps its customer.
    expect(await prisma.mirroredOrder.findFirstOrThrow({ where: { dependentOrderId: "gid://shopify/Order/41" } })).toMatchObject({ customerId: "gid://shopify/Customer/78" });
    const entry = await prisma.syncLog.findFirstOrThrow({ where: { action: "order", dependentShop: DEPENDENT, message: { contains: "[redacted]" } } });
    expect(entry.message).not.toContain(email);
  });

  test("a dependent's request names its orders by id", async () => {
    await recordMirroredOrder({ dependentShop: DEPENDENT, dependentOrderId: "gid://shopify/Order/42", primaryShop: PRIMARY, primaryOrderId: "gid://shopify/Order/942", primaryOrderName: "#942", customerId: "gid://shopify/Customer/79" });
    const report = await handleComplianceWebhook({ shop: DEPENDENT, topic: "customers/data_request", payload: { customer: { id: 5 }, orders_requested: [42] } });
    expect(report?.mirroredOrders.map((order) => order.dependentOrderId)).toEqual(["gid://shopify/Order/42"]);
    await handleComplianceWebhook({ shop: DEPENDENT, topic: "customers/redact", payload: { customer: { id: 5 }, orders_to_redact: ["42"] } });
    expect(await prisma.mirroredOrder.findFirstOrThrow({ where: { dependentOrderId: "gid://shopify/Order/42" } })).toMatchObject({ customerId: null });
  });

  test("a body without the expected fields, or an unknown topic, changes nothing", async () => {
    const before = await prisma.mirroredOrder.count({ where: { customerId: { not: null } } });
    expect(await handleComplianceWebhook({ shop: PRIMARY, topic: "customers/redact", payload: { customer: "nobody" } })).toBeUndefined();
    expect(await handleComplianceWebhook({ shop: PRIMARY, topic: "customers/unknown", payload: { customer: { id: 78 } } })).toBeUndefined();
    expect(await prisma.mirroredOrder.count({ where: { customerId: { not: null } } })).toBe(before);
  });

  test("shop/redact erases a store that uninstalled, and keeps one that installed again", async () => {
    const gone = "hooks-gone.myshopify.com";
    await network.chooseRole(gone, "primary");
    await prisma.store.update({ where: { shop: gone }, data: { uninstalledAt: new Date() } });
    await handleComplianceWebhook({ shop: gone, topic: "shop/redact", payload: {} });
    expect(await prisma.store.count({ where: { shop: gone } })).toBe(0);
    await handleComplianceWebhook({ shop: PRIMARY, topic: "SHOP_REDACT", payload: {} });
    expect(await prisma.store.count({ where: { shop: PRIMARY } })).toBe(1);
  });
});
