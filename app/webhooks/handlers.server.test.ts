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
const { handleProductWebhook, handleCollectionWebhook, handleInventoryWebhook } = await import("./catalogue.server");
const { saveProductLinks } = await import("../models/links.server");
const { recordWrittenLevels, recordWriteTime } = await import("../models/writtenLevels.server");
const { recordPrimaryLevels } = await import("../models/primaryLevels.server");
const { enqueueJob, productDebounceMs, productSyncKey, saleGraceMs } = await import("../jobs/kinds.server");
const { handleAppUninstalled } = await import("./app-uninstalled.server");
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

  test("a primary's collection change queues a collection sync for each dependent, once per event id", async () => {
    const change = { shop: PRIMARY, topic: "collections/update", eventId: eventId() };
    expect(await handleCollectionWebhook(change)).toBe("queued");
    const jobs = await prisma.job.count({ where: { kind: "sync-collections", primaryShop: PRIMARY } });
    expect(jobs).toBeGreaterThan(0);
    expect(await handleCollectionWebhook(change)).toBe("duplicate");
    expect(await prisma.job.count({ where: { kind: "sync-collections", primaryShop: PRIMARY } })).toBe(jobs);
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

describe("inventory level webhooks", () => {
  const LOCATION = "gid://shopify/Location/1";
  const primaryItem = (n: number) => `gid://shopify/InventoryItem/${1000 + n}`;
  const dependentItem = (n: number) => `gid://shopify/InventoryItem/${2000 + n}`;
  const second = (n: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, n)).toISOString();
  const level = (shop: string, n: number, available: number | null, updatedAt: string | null = second(n), locationId: string | null = LOCATION) =>
    ({ shop, eventId: eventId(), inventoryItemId: shop === PRIMARY ? primaryItem(n) : dependentItem(n), locationId, available, updatedAt });
  const pushOf = (dependentShop: string, n: number) => prisma.stockPush.findUnique({ where: { dependentShop_primaryInventoryItemId: { dependentShop, primaryInventoryItemId: primaryItem(n) } } });
  const writtenOf = (dependentShop: string, n: number) => prisma.writtenLevel.findUniqueOrThrow({ where: { dependentShop_inventoryItemId_locationId: { dependentShop, inventoryItemId: dependentItem(n), locationId: LOCATION } } });

  beforeAll(async () => {
    // Items 1–9 are linked to DEPENDENT, 11–19 to OWN_STOCK (Stock quantities off); 50 to nobody.
    const linkOf = (dependentShop: string, n: number) => ({
      primaryShop: PRIMARY, dependentShop, primaryProductId: `gid://shopify/Product/${1000 + n}`, dependentProductId: `gid://shopify/Product/${2000 + n}`,
      createdByTandem: true, primaryStatus: "ACTIVE", primaryImages: null,
      variants: [{ sku: `LEVEL-${n}`, primaryVariantId: `gid://shopify/ProductVariant/${1000 + n}`, primaryInventoryItemId: primaryItem(n), dependentVariantId: `gid://shopify/ProductVariant/${2000 + n}`, dependentInventoryItemId: dependentItem(n) }],
    });
    await saveProductLinks([1, 2, 3, 4, 5, 6].map((n) => linkOf(DEPENDENT, n)));
    await saveProductLinks([11].map((n) => linkOf(OWN_STOCK, n)));
  });

  test("a primary's level is recorded and pushed to its dependents at once, once per event; an older one changes nothing", async () => {
    const change = level(PRIMARY, 1, 7);
    expect(await handleInventoryWebhook(change)).toBe("queued");
    expect(await prisma.primaryLevel.findFirstOrThrow({ where: { primaryShop: PRIMARY, inventoryItemId: primaryItem(1) } })).toMatchObject({ available: 7, locationId: LOCATION });
    const push = (await pushOf(DEPENDENT, 1))!;
    expect(push.dueAt.getTime()).toBe(push.markedAt.getTime());
    expect(await prisma.webhookEvent.findMany({ where: { eventId: change.eventId }, select: { shop: true, topic: true } })).toEqual([{ shop: PRIMARY, topic: "inventory_levels/update" }]);
    expect(await handleInventoryWebhook(change)).toBe("duplicate");
    // A level of an earlier second, arriving late: the one known stays, nothing more is pushed.
    await prisma.stockPush.deleteMany({ where: { primaryInventoryItemId: primaryItem(1) } });
    expect(await handleInventoryWebhook(level(PRIMARY, 1, 3, second(0)))).toBe("ignored");
    expect(await prisma.primaryLevel.findFirstOrThrow({ where: { primaryShop: PRIMARY, inventoryItemId: primaryItem(1) } })).toMatchObject({ available: 7 });
    expect(await pushOf(DEPENDENT, 1)).toBeNull();
  });

  test("a primary's level is recorded even when no dependent has the item; the echo of Tandem's own adjustment pushes nothing", async () => {
    expect(await handleInventoryWebhook(level(PRIMARY, 50, 4))).toBe("ignored");
    expect(await prisma.primaryLevel.count({ where: { primaryShop: PRIMARY, inventoryItemId: primaryItem(50) } })).toBe(1);
    const [outcome] = await recordPrimaryLevels(PRIMARY, [{ inventoryItemId: primaryItem(2), locationId: LOCATION, observation: { source: "adjustment", available: 9, delta: -1, changedAt: Date.parse(second(2)) } }]);
    expect(outcome).not.toBe("older");
    expect(await handleInventoryWebhook(level(PRIMARY, 2, 9))).toBe("ignored");
    expect(await pushOf(DEPENDENT, 2)).toBeNull();
  });

  test("a primary's level waits for the sync of its product queued for a dependent, which carries the level too", async () => {
    await enqueueJob("sync-product", { primaryShop: PRIMARY, dependentShop: DEPENDENT, primaryProductId: "gid://shopify/Product/1006", delayMs: 60_000 });
    expect(await handleInventoryWebhook(level(PRIMARY, 6, 12))).toBe("ignored");
    expect(await prisma.primaryLevel.findFirstOrThrow({ where: { primaryShop: PRIMARY, inventoryItemId: primaryItem(6) } })).toMatchObject({ available: 12 });
    expect(await pushOf(DEPENDENT, 6)).toBeNull();
    await prisma.job.deleteMany({ where: { kind: "sync-product", lane: DEPENDENT, dedupeKey: productSyncKey(DEPENDENT, "gid://shopify/Product/1006") } });
  });

  test("a primary's level without a location, a quantity or a time makes its item read again by the next push", async () => {
    await prisma.primaryItem.create({ data: { primaryShop: PRIMARY, inventoryItemId: primaryItem(3), tracked: true, readAt: new Date() } });
    await prisma.primaryItem.create({ data: { primaryShop: PRIMARY, inventoryItemId: primaryItem(4), tracked: true, readAt: new Date() } });
    expect(await handleInventoryWebhook(level(PRIMARY, 3, null))).toBe("queued");
    expect(await handleInventoryWebhook(level(PRIMARY, 4, 5, null))).toBe("queued");
    expect(await prisma.primaryItem.count({ where: { primaryShop: PRIMARY, inventoryItemId: { in: [primaryItem(3), primaryItem(4)] } } })).toBe(0);
    expect(await pushOf(DEPENDENT, 3)).not.toBeNull();
  });

  test("a dependent's echo of Tandem's own write is ignored before anything is written", async () => {
    await recordWrittenLevels(DEPENDENT, [{ inventoryItemId: dependentItem(5), locationId: LOCATION, quantity: 5 }]);
    const echo = level(DEPENDENT, 5, 5);
    expect(await handleInventoryWebhook(echo)).toBe("ignored");
    expect(await prisma.webhookEvent.count({ where: { eventId: echo.eventId } })).toBe(0);
    expect(await pushOf(DEPENDENT, 5)).toBeNull();
    expect(await writtenOf(DEPENDENT, 5)).toMatchObject({ current: true, quantity: 5 });
  });

  test("a dependent's drop waits the sale grace, a rise the debounce; both become the next push's base", async () => {
    const written = [5, 6].map((n) => ({ inventoryItemId: dependentItem(n), locationId: LOCATION, quantity: 5 }));
    await recordWrittenLevels(DEPENDENT, written);
    // Shopify's time of Tandem's write, before the reports: they can be ordered after it.
    await recordWriteTime(DEPENDENT, written, new Date(second(0)));
    expect(await handleInventoryWebhook(level(DEPENDENT, 5, 3))).toBe("queued");
    const drop = (await pushOf(DEPENDENT, 5))!;
    expect(drop.dueAt.getTime() - drop.markedAt.getTime()).toBe(saleGraceMs());
    expect(await writtenOf(DEPENDENT, 5)).toMatchObject({ current: false, quantity: 5, observedQuantity: 3 });
    expect(await handleInventoryWebhook(level(DEPENDENT, 6, 8))).toBe("queued");
    const rise = (await pushOf(DEPENDENT, 6))!;
    expect(rise.dueAt.getTime() - rise.markedAt.getTime()).toBe(productDebounceMs());
    expect(productDebounceMs()).toBeLessThan(saleGraceMs());
    expect(await writtenOf(DEPENDENT, 6)).toMatchObject({ current: false, observedQuantity: 8 });
  });

  test("a dependent's level older than Tandem's last write there is a late echo: ignored", async () => {
    const written = { inventoryItemId: dependentItem(4), locationId: LOCATION, quantity: 5 };
    await recordWrittenLevels(DEPENDENT, [written]);
    await recordWriteTime(DEPENDENT, [written], new Date(second(30)));
    const late = level(DEPENDENT, 4, 2, second(20));
    expect(await handleInventoryWebhook(late)).toBe("ignored");
    expect(await writtenOf(DEPENDENT, 4)).toMatchObject({ current: true, quantity: 5 });
    expect(await prisma.webhookEvent.count({ where: { eventId: late.eventId } })).toBe(0);
  });

  test("a dependent level Tandem cannot place (an unlinked item, no location, no quantity) is ignored", async () => {
    for (const report of [level(DEPENDENT, 50, 2), level(DEPENDENT, 1, 2, second(1), null), level(DEPENDENT, 1, null)]) {
      expect(await handleInventoryWebhook(report)).toBe("ignored");
      expect(await prisma.webhookEvent.count({ where: { eventId: report.eventId } })).toBe(0);
    }
    expect(await pushOf(DEPENDENT, 1)).toBeNull();
  });

  test("with Stock quantities off, or paused, a dependent's change is remembered as its level but not overwritten", async () => {
    const ownWrite = [{ inventoryItemId: dependentItem(11), locationId: LOCATION, quantity: 5 }];
    await recordWrittenLevels(OWN_STOCK, ownWrite);
    await recordWriteTime(OWN_STOCK, ownWrite, new Date(second(0)));
    expect(await handleInventoryWebhook(level(OWN_STOCK, 11, 2))).toBe("ignored");
    expect(await writtenOf(OWN_STOCK, 11)).toMatchObject({ current: false, observedQuantity: 2 });
    expect(await pushOf(OWN_STOCK, 11)).toBeNull();

    const connection = await prisma.connection.findFirstOrThrow({ where: { dependentShop: DEPENDENT } });
    await prisma.connection.update({ where: { id: connection.id }, data: { status: "paused" } });
    try {
      const pausedWrite = [{ inventoryItemId: dependentItem(2), locationId: LOCATION, quantity: 5 }];
      await recordWrittenLevels(DEPENDENT, pausedWrite);
      await recordWriteTime(DEPENDENT, pausedWrite, new Date(second(0)));
      await prisma.stockPush.deleteMany({ where: { primaryInventoryItemId: primaryItem(2) } });
      expect(await handleInventoryWebhook(level(DEPENDENT, 2, 1))).toBe("ignored");
      expect(await writtenOf(DEPENDENT, 2)).toMatchObject({ current: false, observedQuantity: 1 });
      expect(await pushOf(DEPENDENT, 2)).toBeNull();
    } finally {
      await prisma.connection.update({ where: { id: connection.id }, data: { status: "connected" } });
    }
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

  test("where only paid orders count, an unpaid order is a reservation, and its payment turns it into the sale, once", async () => {
    const unpaid = { ...paidOrder(2), financial_status: "pending" };
    const line = { dependentShop: DEPENDENT, lineItemId: "gid://shopify/LineItem/2" };
    expect(await handleOrderWebhook({ shop: DEPENDENT, topic: "orders/create", eventId: eventId(), payload: unpaid })).toBe("queued");
    expect(await prisma.stockMovement.findMany({ where: line })).toMatchObject([{ kind: "reservation", status: "pending", quantity: 2 }]);
    // The primary holds the units (the job applied it); then the payment: nothing more to take.
    await prisma.stockMovement.updateMany({ where: line, data: { status: "applied" } });
    expect(await handleOrderWebhook({ shop: DEPENDENT, topic: "orders/paid", eventId: eventId(), payload: paidOrder(2) })).toBe("duplicate");
    expect(await prisma.stockMovement.findMany({ where: line })).toMatchObject([{ kind: "sale", status: "applied", quantity: 2 }]);
    expect(await handleOrderWebhook({ shop: DEPENDENT, topic: "orders/paid", eventId: eventId(), payload: paidOrder(2) })).toBe("duplicate");
    const turned = await prisma.syncLog.findMany({ where: { dependentShop: DEPENDENT, message: { contains: "was paid" } } });
    expect(turned.map((entry) => entry.message)).toEqual([`The unpaid order in ${DEPENDENT} was paid: its 2 × MUG reserved in the primary's stock are now a sale`]);
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
    expect(JSON.parse(entry.fields)).toEqual(["quantity"]);
    expect(await prisma.webhookEvent.count({ where: { eventId: id } })).toBe(1);
  });

  test("an order without lines moves no stock", async () => {
    const jobs = await prisma.job.count({ where: { kind: "apply-stock" } });
    expect(await handleOrderWebhook({ shop: DEPENDENT, topic: "orders/paid", eventId: eventId(), payload: { ...paidOrder(5), line_items: [] } })).toBe("ignored");
    expect(await prisma.job.count({ where: { kind: "apply-stock" } })).toBe(jobs);
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
    // Paid at creation: its sale counts at once, and its copy waits for orders/paid.
    expect(await handleOrderWebhook({ shop: MIRRORING, topic: "orders/create", eventId: eventId(), payload: paidOrder(20) })).toBe("queued");
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

describe("app/uninstalled", () => {
  test("the store's sessions go, and its connections need attention on the other side; a second delivery changes nothing more", async () => {
    const leaving = "hooks-leaving.myshopify.com";
    await network.connectWithKey(leaving, await network.connectionKeyOf(PRIMARY));
    await prisma.session.create({ data: { id: `offline_${leaving}`, shop: leaving, state: "", isOnline: false, accessToken: "token" } });
    for (let delivery = 0; delivery < 2; delivery++) {
      await handleAppUninstalled({ shop: leaving });
      expect(await prisma.session.count({ where: { shop: leaving } })).toBe(0);
      expect((await prisma.store.findUniqueOrThrow({ where: { shop: leaving } })).uninstalledAt).not.toBeNull();
      expect((await prisma.connection.findFirstOrThrow({ where: { dependentShop: leaving } })).status).toBe("needs_attention");
    }
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
