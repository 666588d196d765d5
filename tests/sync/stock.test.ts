import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork, waitFor } from "../setup/sync-network";
import { postSignedWebhook } from "../setup/test-app";
import { DEFAULT_API_VERSION } from "../../app/shopify/api-version";

const API_VERSION = process.env.SHOPIFY_API_VERSION ?? DEFAULT_API_VERSION;

const PRIMARY = "stock-primary.myshopify.com";
const SHOP_A = "stock-a.myshopify.com";
const SHOP_B = "stock-b.myshopify.com";
let network: SyncNetwork;

async function stockOf(shop: string, sku: string): Promise<number> {
  const product = (await network.sim.control.snapshot(shop)).products.find((p) => p.variants.some((v) => v.sku === sku));
  const variant = product!.variants.find((v) => v.sku === sku)!;
  return Object.values(variant.quantities).reduce((sum, level) => sum + level.available, 0);
}

const lampStock = (shop: string) => stockOf(shop, "LAMP");

async function everyStore(sku = "LAMP") {
  await network.idle();
  return { primary: await stockOf(PRIMARY, sku), a: await stockOf(SHOP_A, sku), b: await stockOf(SHOP_B, sku) };
}

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: SHOP_A, locations: ["Main"] });
  await control.createStore({ domain: SHOP_B, locations: ["Main"] });
  await control.createProduct(PRIMARY, { title: "Lamp", variants: [{ sku: "LAMP", price: "40.00" }] });
  await control.createProduct(PRIMARY, { title: "Shade", variants: [{ sku: "SHADE", price: "15.00" }] });
  await control.createProduct(PRIMARY, { title: "Vase", variants: [{ sku: "VASE", price: "25.00" }] });
  await control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 10 });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: SHOP_A }, { shop: SHOP_B, preferences: { countUnpaidOrders: "true" } }]);
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("sales on a dependent (seed 002)", () => {
  test("a paid sale takes stock from the primary, and every other store follows", async () => {
    expect(await everyStore()).toEqual({ primary: 10, a: 10, b: 10 });
    await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 2 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 8, a: 8, b: 8 });
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: SHOP_A, action: "stock" } });
    expect(log.map((e) => e.message)).toEqual([`Sale of 2 × LAMP in ${SHOP_A} taken from the primary's stock`]);
    // Every Admin API call went out in the configured version (2026-10 unless the run sets another).
    expect(Object.keys((await network.sim.control.stats(PRIMARY)).api.versions)).toEqual([API_VERSION]);
    // An online order of a store with one location was fulfilled from it: its routing is not read.
    expect((await network.sim.control.stats(SHOP_A)).api.operations.TandemOrdersFulfillmentLocations).toBeUndefined();
    expect(await network.prisma.stockMovement.findMany({ where: { dependentShop: SHOP_A }, select: { dependentLocationId: true } })).toEqual([{ dependentLocationId: expect.stringMatching(/^gid:\/\/shopify\/Location\//) }]);
  });

  test("the same order line arriving again, under another event id, is applied once", async () => {
    const order = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 7, a: 7, b: 7 });
    const jobsBefore = await network.prisma.job.count({ where: { kind: "apply-stock" } });
    const replay = await postSignedWebhook(network.app.origin, {
      path: "/webhooks/orders", topic: "orders/paid", shop: SHOP_A,
      body: { admin_graphql_api_id: order.id, financial_status: "paid", location_id: null, line_items: [{ admin_graphql_api_id: order.lineItems[0].id, sku: "LAMP", quantity: 1 }] },
    });
    expect(replay.status).toBe(200);
    expect(await everyStore()).toEqual({ primary: 7, a: 7, b: 7 });
    // The ledger knew the line as applied: the replay queued no work at all.
    expect(await network.prisma.job.count({ where: { kind: "apply-stock" } })).toBe(jobsBefore);
    expect(await network.prisma.stockMovement.findMany({ where: { lineItemId: order.lineItems[0].id } })).toMatchObject([{ status: "applied", quantity: 1 }]);
  });

  test("an unpaid order holds its units at once (a reservation, or a sale in a store that counts unpaid orders); its payment never counts twice", async () => {
    const unpaid = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: false });
    // A's own stock fell with the order; the primary holds the unit for it until it is paid.
    expect(await everyStore()).toEqual({ primary: 6, a: 6, b: 6 });
    await network.sim.control.markPaid(SHOP_A, unpaid.id);
    expect(await everyStore()).toEqual({ primary: 6, a: 6, b: 6 });

    const counted = await network.sim.control.placeOrder(SHOP_B, { lines: [{ sku: "LAMP", quantity: 2 }], paid: false });
    expect(await everyStore()).toEqual({ primary: 4, a: 4, b: 4 });
    await network.sim.control.markPaid(SHOP_B, counted.id);
    expect(await everyStore()).toEqual({ primary: 4, a: 4, b: 4 });
  });

  test("under \"paid orders only\", an unpaid order reserves its units on the primary: never set back, a sale once paid, released when cancelled", async () => {
    const { control } = network.sim;
    await control.setInventory(PRIMARY, { sku: "VASE", location: "Warehouse", available: 10 });
    expect(await everyStore("VASE")).toEqual({ primary: 10, a: 10, b: 10 });
    // A waits for payment before counting a sale; its own stock falls with the order all the same.
    const unpaid = await control.placeOrder(SHOP_A, { lines: [{ sku: "VASE", quantity: 2 }], paid: false });
    // Not a manual edit to undo after the grace period: the primary holds the 2 units for it.
    expect(await everyStore("VASE")).toEqual({ primary: 8, a: 8, b: 8 });
    // The primary sells all it shows; then the order is paid: no store ever goes below 0.
    await control.placeOrder(PRIMARY, { lines: [{ sku: "VASE", quantity: await stockOf(PRIMARY, "VASE") }], paid: true });
    expect(await everyStore("VASE")).toEqual({ primary: 0, a: 0, b: 0 });
    await control.markPaid(SHOP_A, unpaid.id);
    expect(await everyStore("VASE")).toEqual({ primary: 0, a: 0, b: 0 });
    const movement = await network.prisma.stockMovement.findFirstOrThrow({ where: { lineItemId: unpaid.lineItems[0].id } });
    expect(movement).toMatchObject({ kind: "sale", status: "applied", quantity: 2 });
    // (A's own level, which the order lowered, is later set to 0 from the primary: logged as an override.)
    const log = (await network.prisma.syncLog.findMany({ where: { dependentShop: SHOP_A, action: "stock", skus: { contains: "VASE" } }, orderBy: { createdAt: "asc" } }))
      .map((e) => e.message).filter((message) => message.includes("reserved"));
    expect(log).toEqual([
      `Unpaid order in ${SHOP_A}: 2 × VASE reserved in the primary's stock until it is paid or cancelled`,
      `The unpaid order in ${SHOP_A} was paid: its 2 × VASE reserved in the primary's stock are now a sale`,
    ]);

    // Cancelled before payment: the reserved units come back.
    await control.setInventory(PRIMARY, { sku: "VASE", location: "Warehouse", available: 5 });
    expect(await everyStore("VASE")).toEqual({ primary: 5, a: 5, b: 5 });
    const cancelled = await control.placeOrder(SHOP_A, { lines: [{ sku: "VASE", quantity: 2 }], paid: false });
    expect(await everyStore("VASE")).toEqual({ primary: 3, a: 3, b: 3 });
    await control.cancelOrder(SHOP_A, cancelled.id, true);
    expect(await everyStore("VASE")).toEqual({ primary: 5, a: 5, b: 5 });
  });

  test("a refund with restock puts the units back; one without restock does not", async () => {
    const order = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 3 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 1, a: 1, b: 1 });
    await network.sim.control.refund(SHOP_A, order.id, [{ lineItemId: order.lineItems[0].id, quantity: 2, restock: true }]);
    expect(await everyStore()).toEqual({ primary: 3, a: 3, b: 3 });
    await network.sim.control.refund(SHOP_A, order.id, [{ lineItemId: order.lineItems[0].id, quantity: 1, restock: false }]);
    expect(await everyStore()).toEqual({ primary: 3, a: 3, b: 3 });
  });

  test("cancelling puts stock back only for sales that were taken from the primary", async () => {
    const paid = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 2, a: 2, b: 2 });
    await network.sim.control.cancelOrder(SHOP_A, paid.id, true);
    expect(await everyStore()).toEqual({ primary: 3, a: 3, b: 3 });
    // Never paid in a store that waits for payment: the units it reserved come back.
    const unpaid = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 2 }], paid: false });
    await network.sim.control.cancelOrder(SHOP_A, unpaid.id, true);
    expect(await everyStore()).toEqual({ primary: 3, a: 3, b: 3 });
  });

  test("a sale of a SKU Tandem does not link is logged with a fix, and nothing else moves", async () => {
    await network.sim.control.createProduct(SHOP_A, { title: "Local candle", variants: [{ sku: "CANDLE", price: "5.00" }] });
    await network.sim.control.setInventory(SHOP_A, { sku: "CANDLE", available: 5 });
    await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "CANDLE", quantity: 1 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 3, a: 3, b: 3 });
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SHOP_A, action: "error", skus: { contains: "CANDLE" } } });
    expect(entry.message).toContain("the SKU is not linked");
    expect(entry.fix).toContain("Give the variant the primary's SKU");
  });

  // Every supported version takes an idempotency key (optional at 2026-01, required from 2026-04).
  test(
    "a sale whose adjustment answers are all lost is taken from the primary once: the job resends it under the key it recorded",
    async () => {
      const before = await everyStore();
      await network.sim.control.setChaos({ lostResponseRate: 1, lostResponseFields: ["inventoryAdjustQuantities"] });
      const order = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true });
      let movement;
      for (let i = 0; i < 200; i++) {
        movement = await network.prisma.stockMovement.findFirst({ where: { lineItemId: order.lineItems[0].id, adjustmentKey: { not: null } } });
        const job = await network.prisma.job.findFirst({ where: { kind: "apply-stock", attempts: { gte: 1 }, lastError: { not: null } }, orderBy: { createdAt: "desc" } });
        if (movement && job) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The first attempt sent the adjustment (the simulator applied it) and never heard back.
      expect(movement).toMatchObject({ status: "pending", adjustmentKey: expect.any(String) });
      expect((await network.sim.control.stats(PRIMARY)).api.lostResponses).toBeGreaterThanOrEqual(4);
      // Meanwhile the primary's webhook of that adjustment pushes its new level. The sale is still
      // pending, so A's push cannot tell whether that level includes it: A keeps its own level
      // (never set one lower, never logged as changed by hand) until the sale is settled.
      await waitFor(
        () => network.prisma.job.findFirst({ where: { kind: "push-stock", lane: SHOP_A, status: "succeeded", result: { contains: '"leftForTheirSale":1' }, createdAt: { gte: movement!.createdAt } } }),
        (job) => job !== null,
        15_000,
      );
      expect(await lampStock(SHOP_A)).toBe(before.a - 1);
      await network.sim.control.setChaos({ lostResponseRate: 0, lostResponseFields: [] });
      expect(await everyStore()).toEqual({ primary: before.primary - 1, a: before.a - 1, b: before.b - 1 });
      expect(await network.prisma.stockMovement.findUniqueOrThrow({ where: { id: movement!.id } })).toMatchObject({ status: "applied", adjustmentKey: movement!.adjustmentKey });
      const overridden = await network.prisma.syncLog.count({ where: { dependentShop: SHOP_A, createdAt: { gte: movement!.createdAt }, message: { contains: "had changed here" } } });
      expect(overridden).toBe(0);
    },
  );

  test("sales arriving together are taken from the primary in a batch and reach every store by stock-only pushes", async () => {
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 50 });
    const before = await everyStore();
    expect(before).toEqual({ primary: 50, a: 50, b: 50 });
    const jobsBefore = await network.prisma.job.groupBy({ by: ["kind"], _count: true });
    const countOf = (rows: typeof jobsBefore, kind: string) => rows.find((row) => row.kind === kind)?._count ?? 0;
    const orders = 8;
    const startedAt = new Date();
    // With no worker running, the orders pile up as a rush does while the primary's job is busy.
    await network.killWorkers();
    await Promise.all(Array.from({ length: orders }, (_, i) => network.sim.control.placeOrder(i % 2 ? SHOP_A : SHOP_B, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true })));
    await network.sim.control.webhooksIdle();
    expect(await network.prisma.job.count({ where: { kind: "apply-stock", status: "queued" } })).toBe(1);
    await network.ensureWorker();
    // B counts unpaid orders, so its paid orders come as orders/create and orders/paid; each line once.
    expect(await everyStore()).toEqual({ primary: before.primary - orders, a: before.a - orders, b: before.b - orders });
    const jobsAfter = await network.prisma.job.groupBy({ by: ["kind"], _count: true });
    const applied = await network.prisma.job.findMany({ where: { kind: "apply-stock", createdAt: { gte: startedAt } } });
    expect(applied.map((job) => JSON.parse(job.result!))).toEqual([{ applied: orders, skipped: 0, stores: 2, deferredStores: 0 }]);
    // Stock-only pushes carried the new level to each dependent; no product was synced for it
    // (a dependent's own drop is checked by a push too, after the sale grace).
    const pushes = await network.prisma.job.findMany({ where: { kind: "push-stock", createdAt: { gte: startedAt } } });
    const written = (shop: string) => pushes.filter((job) => job.lane === shop).reduce((sum, job) => sum + JSON.parse(job.result!).pushed, 0);
    expect({ a: written(SHOP_A) > 0, b: written(SHOP_B) > 0 }).toEqual({ a: true, b: true });
    expect(countOf(jobsAfter, "sync-product")).toBe(countOf(jobsBefore, "sync-product"));
    // Workers stopped and started again: on a loaded machine (graphile-worker's start on PostgreSQL) that alone can take most of 30 s.
  }, 120_000);

  // Last in this file: the dependent stays uninstalled.
  test("a dependent item not stocked where its stock would go gets none there (never stocked by Tandem) and the log says so", async () => {
    // The merchant of B stopped stocking SHADE at Main, B's only location. From 2026-10 Shopify
    // would take a write there and stock the item: Tandem must not send one.
    await network.sim.control.setInventory(SHOP_B, { sku: "SHADE", location: "Main", stocked: false });
    await network.sim.control.setInventory(PRIMARY, { sku: "SHADE", location: "Warehouse", available: 6 });
    await network.idle();
    const shade = async (shop: string) => (await network.sim.control.snapshot(shop)).products.flatMap((p) => p.variants).find((v) => v.sku === "SHADE")!;
    expect(Object.values((await shade(SHOP_A)).quantities).map((level) => level.available)).toEqual([6]);
    expect((await shade(SHOP_B)).quantities).toEqual({});
    const storeB = network.sim.world.stores.get(SHOP_B)!;
    const itemB = storeB.inventoryItems.get(Number((await shade(SHOP_B)).inventoryItemId.split("/").pop()))!;
    expect(itemB.inactiveLevels?.size ?? 0).toBe(0);
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: SHOP_B, action: "error", skus: { contains: "SHADE" } } });
    expect(log.map((entry) => entry.message)).toContain("Stock of SHADE not set: the item is not stocked at Main in this store");
  });

  test("a dependent that uninstalls Tandem after a sale still has it taken from the primary, beside the other dependent's", async () => {
    const before = await everyStore();
    await network.killWorkers();
    const fromA = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true });
    const fromB = await network.sim.control.placeOrder(SHOP_B, { lines: [{ sku: "LAMP", quantity: 2 }], paid: true });
    await network.sim.control.webhooksIdle();
    // A uninstalls Tandem before its sale is applied: its token is gone, so its default location
    // cannot be read; the sale goes by the location mapping (here: the primary's default location).
    await network.sim.control.uninstall(SHOP_A);
    await network.sim.control.webhooksIdle();
    expect(await network.prisma.session.count({ where: { shop: SHOP_A } })).toBe(0);
    await network.ensureWorker();
    await network.idle();
    expect(await lampStock(PRIMARY)).toBe(before.primary - 3);
    expect(await lampStock(SHOP_B)).toBe(before.b - 3);
    const movement = (order: typeof fromA) => network.prisma.stockMovement.findFirstOrThrow({ where: { lineItemId: order.lineItems[0].id } });
    expect(await movement(fromB)).toMatchObject({ status: "applied" });
    expect(await movement(fromA)).toMatchObject({ status: "applied" });
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "apply-stock" }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(job.result!)).toMatchObject({ applied: 2, deferredStores: 0 });
  });
});
