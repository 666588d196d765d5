import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StoreSnapshot } from "../../sim/snapshot";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

const PRIMARY = "pref-primary.myshopify.com";
const MATCHING = "pref-matching.myshopify.com";
const MAPPED = "pref-mapped.myshopify.com";
const RULED = "pref-ruled.myshopify.com";
const UNPRICED = "pref-unpriced.myshopify.com";
const OWN_STOCK = "pref-own-stock.myshopify.com";
let network: SyncNetwork;

const bySku = (snapshot: StoreSnapshot, sku: string) => snapshot.products.flatMap((p) => p.variants.map((v) => ({ product: p, variant: v }))).filter((x) => x.variant.sku === sku);

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse", "Downtown", "Outlet"] });
  await control.createStore({ domain: MATCHING });
  await control.createStore({ domain: MAPPED, locations: ["Main", "Annex"] });
  await control.createStore({ domain: RULED, currencyCode: "EUR" });
  await control.createStore({ domain: UNPRICED });
  await control.createStore({ domain: OWN_STOCK });
  await control.createProduct(PRIMARY, {
    title: "Canvas Bag", options: [{ name: "Color", values: ["Red", "Blue"] }],
    variants: [{ sku: "BAG-RED", price: "20.00", options: ["Red"] }, { sku: "BAG-BLUE", price: "20.00", options: ["Blue"] }],
  });
  await control.createProduct(PRIMARY, { title: "Scarf", variants: [{ sku: "SCARF", price: "15.00" }] });
  await control.createProduct(PRIMARY, { title: "Twin A", variants: [{ sku: "DUP-1", price: "5.00" }] });
  await control.createProduct(PRIMARY, { title: "Twin B", variants: [{ sku: "DUP-1", price: "6.00" }] });
  for (const [location, available] of [["Warehouse", 3], ["Downtown", 4], ["Outlet", 5]] as const) {
    await control.setInventory(PRIMARY, { sku: "BAG-RED", location, available });
  }
  // The matching store sells the bag under its own title, has a product of its own, and a SKU twice.
  await control.createProduct(MATCHING, {
    title: "Our red bag", options: [{ name: "Colour", values: ["Red", "Green"] }],
    variants: [{ sku: "BAG-RED", price: "25.00", options: ["Red"] }, { sku: "LOCAL-GREEN", price: "25.00", options: ["Green"] }],
  });
  await control.createProduct(MATCHING, { title: "Scarf copy 1", variants: [{ sku: "SCARF", price: "1.00" }] });
  await control.createProduct(MATCHING, { title: "Scarf copy 2", variants: [{ sku: "SCARF", price: "1.00" }] });
  await control.createProduct(MATCHING, { title: "Local only", variants: [{ sku: "LOCAL-ONLY", price: "9.00" }] });

  await connectStores(network, PRIMARY, [
    { shop: MATCHING, preferences: { scope: "matching", syncDetails: "false" } },
    { shop: MAPPED },
    { shop: RULED, preferences: { priceExchangeRate: "0.9", priceMarkupPercent: "10", priceRounding: "99" } },
    { shop: UNPRICED, preferences: { syncPrice: "false", publishNewProducts: "true" } },
    { shop: OWN_STOCK, preferences: { syncQuantity: "false" } },
  ], { plan: "basic" });
  const primaryLocations = Object.fromEntries((await control.snapshot(PRIMARY)).locations.map((l) => [l.name, l.id]));
  const mappedLocations = Object.fromEntries((await control.snapshot(MAPPED)).locations.map((l) => [l.name, l.id]));
  const saved = await network.post(MAPPED, "/app/settings", {
    intent: "save-location-mapping",
    [`location:${primaryLocations.Warehouse}`]: mappedLocations.Annex,
    [`location:${primaryLocations.Outlet}`]: mappedLocations.Annex,
    [`location:${primaryLocations.Downtown}`]: "",
  });
  expect(saved.shown).toContain("Location mapping saved");
  await network.startWorker();
  await network.idle();
});

afterAll(async () => {
  await network?.stop();
});

describe("preferences", () => {
  test("matching scope with details off: nothing is created, shared SKUs get price and stock, the rest is untouched", async () => {
    const snapshot = await network.sim.control.snapshot(MATCHING);
    expect(snapshot.products.map((p) => p.title).sort()).toEqual(["Local only", "Our red bag", "Scarf copy 1", "Scarf copy 2"]);
    const [red] = bySku(snapshot, "BAG-RED");
    expect(red.product.title).toBe("Our red bag");
    expect(red.product.options[0].name).toBe("Colour");
    expect(red.variant.price).toBe("20.00");
    expect(red.variant.quantities["Shop location"].available).toBe(12);
    expect(bySku(snapshot, "LOCAL-GREEN")[0].variant.price).toBe("25.00");
    expect(bySku(snapshot, "SCARF").map((x) => x.variant.price)).toEqual(["1.00", "1.00"]);
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: MATCHING } });
    expect(log.some((e) => e.action === "skipped" && e.skus.includes("SCARF") && e.message.includes("more than once in this store"))).toBe(true);
    expect(log.some((e) => e.action === "created")).toBe(false);
  });

  test("mapped locations add up where mapped; an unmapped one goes to the default location", async () => {
    const [red] = bySku(await network.sim.control.snapshot(MAPPED), "BAG-RED");
    expect(red.variant.quantities.Annex.available).toBe(8);
    expect(red.variant.quantities.Main.available).toBe(4);
  });

  test("a sale is taken from the primary at the location that feeds where it was sold (seed 002)", async () => {
    const { control } = network.sim;
    const primaryLevels = async () => {
      await network.idle();
      return bySku(await control.snapshot(PRIMARY), "BAG-RED")[0].variant.quantities;
    };
    const before = await primaryLevels();
    expect([before.Warehouse.available, before.Downtown.available, before.Outlet.available]).toEqual([3, 4, 5]);
    // Main is fed by Downtown (unmapped, so the default location); Annex by Warehouse and Outlet:
    // the one holding most gives.
    await control.placeOrder(MAPPED, { lines: [{ sku: "BAG-RED", quantity: 1 }], paid: true, location: "Main" });
    expect((await primaryLevels()).Downtown.available).toBe(3);
    await control.placeOrder(MAPPED, { lines: [{ sku: "BAG-RED", quantity: 2 }], paid: true, location: "Annex" });
    const after = await primaryLevels();
    expect([after.Warehouse.available, after.Downtown.available, after.Outlet.available]).toEqual([3, 3, 3]);
    const [red] = bySku(await control.snapshot(MAPPED), "BAG-RED");
    expect([red.variant.quantities.Annex.available, red.variant.quantities.Main.available]).toEqual([6, 3]);
  });

  test("an online order (no location on the order) is taken from the primary where Shopify routed it, not at the default location", async () => {
    const { control } = network.sim;
    const primaryLevels = async () => {
      await network.idle();
      return bySku(await control.snapshot(PRIMARY), "BAG-RED")[0].variant.quantities;
    };
    const before = await primaryLevels();
    expect([before.Warehouse.available, before.Downtown.available, before.Outlet.available]).toEqual([3, 3, 3]);
    // Main (the default, fed by Downtown) holds 3, Annex 6: an order of 4 is routed to Annex.
    const order = await control.placeOrder(MAPPED, { lines: [{ sku: "BAG-RED", quantity: 4 }], paid: true });
    const after = await primaryLevels();
    expect(after.Downtown.available).toBe(3);
    expect(after.Warehouse.available + after.Outlet.available).toBe(2);
    const [red] = bySku(await control.snapshot(MAPPED), "BAG-RED");
    expect([red.variant.quantities.Annex.available, red.variant.quantities.Main.available]).toEqual([2, 3]);
    const annex = (await control.snapshot(MAPPED)).locations.find((l) => l.name === "Annex")!.id;
    const movement = await network.prisma.stockMovement.findFirst({ where: { dependentShop: MAPPED, lineItemId: order.lineItems[0].id } });
    expect(movement).toMatchObject({ status: "applied", dependentLocationId: annex, orderId: order.id });
  });

  test("Stock quantities off: stock moves neither way, not even when the stock check reads the store's orders back", async () => {
    const { control } = network.sim;
    const levelsOf = async (shop: string) => {
      await network.idle();
      const [scarf] = bySku(await control.snapshot(shop), "SCARF");
      return Object.values(scarf.variant.quantities).reduce((sum, level) => sum + level.available, 0);
    };
    const primaryBefore = await levelsOf(PRIMARY);
    expect(await levelsOf(OWN_STOCK)).toBe(0);
    await control.setInventory(OWN_STOCK, { sku: "SCARF", available: 9 });
    await control.placeOrder(OWN_STOCK, { lines: [{ sku: "SCARF", quantity: 2 }], paid: true });
    expect(await levelsOf(PRIMARY)).toBe(primaryBefore);
    expect(await levelsOf(OWN_STOCK)).toBe(7);
    const checked = await network.post(OWN_STOCK, "/app/sync", { intent: "check-stock" });
    expect(checked.shown).toContain("Stock check started");
    expect(await levelsOf(PRIMARY)).toBe(primaryBefore);
    const check = await network.prisma.job.findFirstOrThrow({ where: { kind: "reconcile-stock", lane: OWN_STOCK }, orderBy: { createdAt: "desc" } });
    expect(check.status).toBe("succeeded");
    expect(JSON.parse(check.result!)).toMatchObject({ recoveredMovements: 0, repaired: 0 });
    expect(await network.prisma.stockMovement.count({ where: { dependentShop: OWN_STOCK } })).toBe(0);
  });

  test("a SKU used twice in the primary is synced nowhere and reported", async () => {
    expect(bySku(await network.sim.control.snapshot(MAPPED), "DUP-1")).toEqual([]);
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: MAPPED, action: "skipped" } });
    expect(log.filter((e) => e.skus.includes("DUP-1")).map((e) => e.productTitle).sort()).toEqual(["Twin A", "Twin B"]);
  });

  test("another currency with an exchange rate, markup and rounding converts prices", async () => {
    const [red] = bySku(await network.sim.control.snapshot(RULED), "BAG-RED");
    expect(red.variant.price).toBe("19.99");
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: RULED } });
    expect(log.some((e) => e.message.includes("Prices not synced"))).toBe(false);
  });

  test("Prices off: products arrive as drafts at 0.00 even with Publish on; priced and live, a copy gets no variant at 0.00", async () => {
    const { control } = network.sim;
    const [scarf] = bySku(await control.snapshot(UNPRICED), "SCARF");
    expect(scarf.product.status).toBe("DRAFT");
    expect(scarf.variant.price).toBe("0.00");
    const [bag] = bySku(await control.snapshot(UNPRICED), "BAG-RED");
    expect(bag.product.status).toBe("DRAFT");
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: UNPRICED, action: "skipped" } });
    expect(log.filter((e) => e.message.includes("was created as a draft at 0.00")).map((e) => e.message).sort()).toEqual([
      "“Canvas Bag” was created as a draft at 0.00: this store does not take prices from the primary",
      "“Scarf” was created as a draft at 0.00: this store does not take prices from the primary",
    ]);
    // The merchant prices the bag and puts it on sale; then the primary adds a colour.
    for (const variant of bag.product.variants) await control.updateVariant(UNPRICED, variant.id, { price: "22.00" });
    await control.updateProduct(UNPRICED, bag.product.id, { status: "ACTIVE" });
    const primaryBag = bySku(await control.snapshot(PRIMARY), "BAG-RED")[0].product;
    await control.addVariant(PRIMARY, primaryBag.id, { sku: "BAG-GREEN", price: "20.00", options: ["Green"] });
    await network.idle();
    const after = await control.snapshot(UNPRICED);
    expect(bySku(after, "BAG-GREEN")).toEqual([]);
    expect(bySku(after, "BAG-RED")[0]).toMatchObject({ product: { status: "ACTIVE" }, variant: { price: "22.00" } });
    const notAdded = await network.prisma.syncLog.findFirst({ where: { dependentShop: UNPRICED, action: "skipped", skus: { contains: "BAG-GREEN" } } });
    expect(notAdded?.message).toContain("were not added (BAG-GREEN)");
    expect(notAdded?.fix).toContain("same SKUs");
  });

  test("changing preferences starts a sync that applies them", async () => {
    const saved = await network.post(MATCHING, "/app/settings", {
      intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true",
    });
    expect(saved.shown).toContain("A full sync has started");
    await network.idle();
    const snapshot = await network.sim.control.snapshot(MATCHING);
    const [red] = bySku(snapshot, "BAG-RED");
    // Details now follow the primary: title, options; the store's own variant is not removed (error logged instead).
    expect(bySku(snapshot, "BAG-BLUE")).toEqual([]);
    expect(red.product.title).toBe("Our red bag");
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: MATCHING, action: "error" } });
    expect(log.some((e) => e.message.includes("added its own variants") && e.fix?.includes("options"))).toBe(true);
    expect(snapshot.products.some((p) => p.title === "Scarf")).toBe(false);
    expect(bySku(snapshot, "LOCAL-ONLY")).toHaveLength(1);
  });

  test("bad settings input is refused with a clear message and changes nothing", async () => {
    const bad = await network.post(RULED, "/app/settings", {
      intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true", priceExchangeRate: "abc",
    });
    expect(bad.shown).toContain("Preferences not saved: correct the fields marked below.");
    expect(bad.shown).toContain('"priceExchangeRate":"The exchange rate must be a number between 0.000001 and 1000000"');
    const prefs = await network.prisma.syncPreferences.findUniqueOrThrow({ where: { dependentShop: RULED } });
    expect(prefs.priceExchangeRate).toBe("0.9");
    const wrongLocation = await network.post(MAPPED, "/app/settings", { intent: "save-location-mapping", "location:gid://shopify/Location/1": "gid://shopify/Location/2" });
    expect(wrongLocation.shown).toContain("That location no longer exists");
  });
});
