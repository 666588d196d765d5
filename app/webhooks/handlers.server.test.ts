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

const PRIMARY = "hooks-primary.myshopify.com";
const DEPENDENT = "hooks-dependent.myshopify.com";
const OWN_STOCK = "hooks-own-stock.myshopify.com";
const STRANGER = "hooks-stranger.myshopify.com";
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
  for (const shop of [DEPENDENT, OWN_STOCK]) await network.connectWithKey(shop, key);
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
