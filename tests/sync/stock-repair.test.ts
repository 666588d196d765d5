import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork, waitFor } from "../setup/sync-network";
import { postSignedWebhook } from "../setup/test-app";

const PRIMARY = "repair-primary.myshopify.com";
const SHOP_A = "repair-a.myshopify.com";
const SHOP_B = "repair-b.myshopify.com";
let network: SyncNetwork;

async function stockOf(shop: string, sku: string): Promise<number> {
  const product = (await network.sim.control.snapshot(shop)).products.find((p) => p.variants.some((v) => v.sku === sku));
  const variant = product!.variants.find((v) => v.sku === sku)!;
  return Object.values(variant.quantities).reduce((sum, level) => sum + level.available, 0);
}

async function everyStore(sku = "LAMP") {
  await network.idle();
  return { primary: await stockOf(PRIMARY, sku), a: await stockOf(SHOP_A, sku), b: await stockOf(SHOP_B, sku) };
}

async function checkStock(shop: string) {
  const response = await network.post(shop, "/app/sync", { intent: "check-stock" });
  expect(response.shown).toContain("Stock check started");
  await network.idle();
  const jobs = await network.prisma.job.findMany({ where: { kind: "reconcile-stock" }, orderBy: { createdAt: "desc" } });
  return jobs;
}

beforeAll(async () => {
  // Periodic passes off: each test starts its stock check itself.
  network = await startSyncNetwork({ TANDEM_RECONCILE_INTERVAL_MS: "0" });
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: SHOP_A, locations: ["Main"] });
  await control.createStore({ domain: SHOP_B, locations: ["Main"] });
  await control.createProduct(PRIMARY, { title: "Lamp", variants: [{ sku: "LAMP", price: "40.00" }] });
  await control.createProduct(PRIMARY, { title: "Gift card", variants: [{ sku: "GIFT", price: "25.00", tracked: false }] });
  await control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 20 });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: SHOP_A }, { shop: SHOP_B }]);
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("manual stock edits on a dependent (seed 002: the primary is the system of record)", () => {
  test("are overwritten from the primary within the debounce, logged, and Tandem's own write does not loop", async () => {
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
    const pushesBefore = await network.prisma.job.count({ where: { kind: "push-stock", lane: SHOP_A } });
    await network.sim.control.setInventory(SHOP_A, { sku: "LAMP", available: 55 });
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
    // One stock push for the edit; the echo of the write that restored 20 starts nothing.
    expect(await network.prisma.job.count({ where: { kind: "push-stock", lane: SHOP_A } })).toBe(pushesBefore + 1);
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SHOP_A, action: "stock" }, orderBy: { createdAt: "desc" } });
    expect(entry.message).toBe("Stock of LAMP at Main had changed here (20 → 55, by a manual edit or a sale); set to 20 from the primary store, the system of record for stock");
  });

  test("a drop below what Tandem wrote is set back only after the sale grace (its order may still be on its way)", async () => {
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
    const droppedAt = Date.now();
    // A sale whose order webhook has not come yet looks exactly like this on the dependent.
    await network.sim.control.setInventory(SHOP_A, { sku: "LAMP", available: 18 });
    // The drop's push waits for the sale grace (1.5 s here): its mark is due no sooner.
    const mark = await waitFor(() => network.prisma.stockPush.findFirst({ where: { dependentShop: SHOP_A, markedAt: { gte: new Date(droppedAt - 1000) } } }), (found) => found !== null);
    expect(mark!.dueAt.getTime() - mark!.markedAt.getTime()).toBeGreaterThanOrEqual(1500);
    // No order came within the grace: the primary's level goes back, and the log says so.
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SHOP_A, action: "stock" }, orderBy: { createdAt: "desc" } });
    expect(entry.message).toBe("Stock of LAMP at Main had changed here (20 → 18, by a manual edit or a sale); set to 20 from the primary store, the system of record for stock");
    expect(entry.createdAt.getTime() - droppedAt).toBeGreaterThanOrEqual(1500);
  });

  test("an item the primary does not track keeps its own stock everywhere, and its sales move nothing", async () => {
    await network.sim.control.setInventory(SHOP_A, { sku: "GIFT", available: 7 });
    await network.idle();
    expect(await stockOf(SHOP_A, "GIFT")).toBe(7);
    await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "GIFT", quantity: 1 }], paid: true });
    await network.idle();
    expect(await stockOf(SHOP_A, "GIFT")).toBe(7);
    const movement = await network.prisma.stockMovement.findFirstOrThrow({ where: { dependentShop: SHOP_A, sku: "GIFT" } });
    expect({ status: movement.status, message: movement.message }).toEqual({ status: "skipped", message: "GIFT is not tracked in the primary store" });
  });
});

const levelReads = async (shop: string) => ((await network.sim.control.stats(shop)).api.operations as Record<string, { requests: number }>).TandemInventoryLevels?.requests ?? 0;

describe("what a stock push compares against", () => {
  test("a dependent still holding what Tandem wrote is not read again: the written level is the push's base", async () => {
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
    const readsBefore = { a: await levelReads(SHOP_A), b: await levelReads(SHOP_B) };
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 21 });
    expect(await everyStore()).toEqual({ primary: 21, a: 21, b: 21 });
    expect({ a: await levelReads(SHOP_A), b: await levelReads(SHOP_B) }).toEqual(readsBefore);
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 20 });
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
  });

  test("a dependent change whose webhook never came is overwritten by the push's one write, whose answer says what it replaced: logged, nothing read", async () => {
    await network.sim.control.setChaos({ dropRate: 1 });
    await network.sim.control.setInventory(SHOP_A, { sku: "LAMP", available: 33 });
    await network.sim.control.webhooksIdle();
    await network.sim.control.setChaos({ dropRate: 0 });
    const readsBefore = await levelReads(SHOP_A);
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 19 });
    expect(await everyStore()).toEqual({ primary: 19, a: 19, b: 19 });
    // No compare-and-set to be refused (ADR 0035): the write's answer gives the 33 it replaced.
    expect(await levelReads(SHOP_A)).toBe(readsBefore);
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SHOP_A, action: "stock" }, orderBy: { createdAt: "desc" } });
    expect(entry.message).toBe("Stock of LAMP at Main had changed here (20 → 33, by a manual edit or a sale); set to 19 from the primary store, the system of record for stock");
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 20 });
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
  });
});

describe("what a stock push compares against, after the dependent reported a level", () => {
  test("a level reported after Tandem's last write (a sale, an edit) is the next push's base: no store's level is read", async () => {
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
    const readsBefore = { a: await levelReads(SHOP_A), b: await levelReads(SHOP_B) };
    // In a later second than Tandem's last write there: a report of the same second would be read.
    await nextSecond();
    await network.sim.control.setInventory(SHOP_A, { sku: "LAMP", available: 55 });
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SHOP_A, action: "stock" }, orderBy: { createdAt: "desc" } });
    expect(entry.message).toBe("Stock of LAMP at Main had changed here (20 → 55, by a manual edit or a sale); set to 20 from the primary store, the system of record for stock");
    // A sale there: the store already shows what the primary will hold, so nothing is written to it either.
    await nextSecond();
    const writesToA = async () => ((await network.sim.control.stats(SHOP_A)).api.operations as Record<string, { requests: number }>).TandemInventorySet?.requests ?? 0;
    const writesBefore = await writesToA();
    await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 19, a: 19, b: 19 });
    expect(await writesToA()).toBe(writesBefore);
    expect({ a: await levelReads(SHOP_A), b: await levelReads(SHOP_B) }).toEqual(readsBefore);
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 20 });
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
  });

  test("Tandem's own level coming back after a sale there (a restock by hand) is a change, not an echo: it is set back", async () => {
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
    await nextSecond();
    // The sale leaves A at 19, which the primary then holds too: Tandem writes nothing there, so its last write stays 20.
    await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 19, a: 19, b: 19 });
    await nextSecond();
    await network.sim.control.setInventory(SHOP_A, { sku: "LAMP", available: 20 });
    expect(await everyStore()).toEqual({ primary: 19, a: 19, b: 19 });
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 20 });
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
  });
});

describe("late webhooks of a dependent", () => {
  test("a level of an earlier second than Tandem's last write there is what that write replaced: nothing is read or pushed", async () => {
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 21 });
    expect(await everyStore()).toEqual({ primary: 21, a: 21, b: 21 });
    const snapshot = await network.sim.control.snapshot(SHOP_A);
    const variant = snapshot.products.flatMap((p) => p.variants).find((v) => v.sku === "LAMP")!;
    const location = snapshot.locations[0];
    const written = await network.prisma.writtenLevel.findUniqueOrThrow({ where: { dependentShop_inventoryItemId_locationId: { dependentShop: SHOP_A, inventoryItemId: variant.inventoryItemId, locationId: location.id } } });
    expect(written).toMatchObject({ quantity: 21, current: true });
    expect(written.changedAt).not.toBeNull();
    const [itemNumber, locationNumber] = [variant.inventoryItemId, location.id].map((id) => id.split("/").pop()!);
    const lateWebhook = (available: number, updatedAt: Date) => postSignedWebhook(network.app.origin, {
      path: "/webhooks/inventory", topic: "inventory_levels/update", shop: SHOP_A,
      body: {
        inventory_item_id: Number(itemNumber), location_id: Number(locationNumber), available, updated_at: updatedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
        admin_graphql_api_id: `gid://shopify/InventoryLevel/${locationNumber}?inventory_item_id=${itemNumber}`,
      },
    });
    const pushesBefore = await network.prisma.job.count({ where: { kind: "push-stock", lane: SHOP_A } });
    const readsBefore = await levelReads(SHOP_A);
    // The level before Tandem's write, delivered late (Shopify retries, reorders).
    expect((await lateWebhook(20, new Date(written.changedAt!.getTime() - 2000))).status).toBe(200);
    expect(await everyStore()).toEqual({ primary: 21, a: 21, b: 21 });
    expect(await network.prisma.job.count({ where: { kind: "push-stock", lane: SHOP_A } })).toBe(pushesBefore);
    expect(await network.prisma.writtenLevel.findUniqueOrThrow({ where: { dependentShop_inventoryItemId_locationId: { dependentShop: SHOP_A, inventoryItemId: variant.inventoryItemId, locationId: location.id } } })).toMatchObject({ current: true });
    // The same level stamped with the write's own second may be a change made there: it is taken as
    // one, and pushed without a base (the item is stocked there: Tandem wrote it), nothing read.
    const writesBefore = ((await network.sim.control.stats(SHOP_A)).api.operations as Record<string, { requests: number }>).TandemInventorySet?.requests ?? 0;
    expect((await lateWebhook(20, written.changedAt!)).status).toBe(200);
    expect(await everyStore()).toEqual({ primary: 21, a: 21, b: 21 });
    expect(await network.prisma.job.count({ where: { kind: "push-stock", lane: SHOP_A } })).toBe(pushesBefore + 1);
    expect(await levelReads(SHOP_A)).toBe(readsBefore);
    expect(((await network.sim.control.stats(SHOP_A)).api.operations as Record<string, { requests: number }>).TandemInventorySet?.requests).toBe(writesBefore + 1);
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 20 });
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
  });
});

describe("what a stock push knows of the primary's levels (ADR 0014)", () => {
  async function lampOnPrimary() {
    const snapshot = await network.sim.control.snapshot(PRIMARY);
    const variant = snapshot.products.flatMap((p) => p.variants).find((v) => v.sku === "LAMP")!;
    const location = snapshot.locations.find((l) => l.name === "Warehouse")!;
    return { inventoryItemId: variant.inventoryItemId, locationId: location.id, itemNumber: variant.inventoryItemId.split("/").pop()!, locationNumber: location.id.split("/").pop()! };
  }

  /** An inventory_levels/update of the primary's LAMP, as Shopify would send it. */
  async function primaryLevelWebhook(available: number, updatedAt: Date) {
    const lamp = await lampOnPrimary();
    const response = await postSignedWebhook(network.app.origin, {
      path: "/webhooks/inventory", topic: "inventory_levels/update", shop: PRIMARY,
      body: {
        inventory_item_id: Number(lamp.itemNumber), location_id: Number(lamp.locationNumber), available, updated_at: updatedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
        admin_graphql_api_id: `gid://shopify/InventoryLevel/${lamp.locationNumber}?inventory_item_id=${lamp.itemNumber}`,
      },
    });
    expect(response.status).toBe(200);
  }

  test("once read, its levels come from its webhooks and Tandem's own adjustments: edits and sales reach every store without another read", async () => {
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 30 });
    expect(await everyStore()).toEqual({ primary: 30, a: 30, b: 30 });
    const readsBefore = await levelReads(PRIMARY);
    // In a later second than the level known: two changes within one second would be read (they cannot be ordered).
    await nextSecond();
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 25 });
    expect(await everyStore()).toEqual({ primary: 25, a: 25, b: 25 });
    // Each change in a second of its own, for the same reason: on a loaded machine a late webhook of
    // the edit could otherwise meet the sale's adjustment in one second, and that is read by design.
    await nextSecond();
    await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 3 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 22, a: 22, b: 22 });
    await nextSecond();
    await network.sim.control.placeOrder(SHOP_B, { lines: [{ sku: "LAMP", quantity: 1 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 21, a: 21, b: 21 });
    expect(await levelReads(PRIMARY)).toBe(readsBefore);
    const lamp = await lampOnPrimary();
    expect(await network.prisma.primaryLevel.findUniqueOrThrow({ where: { primaryShop_inventoryItemId_locationId: { primaryShop: PRIMARY, ...pick(lamp) } } })).toMatchObject({ available: 21, conflict: false });
  });

  test("a webhook that contradicts a known level of the same second is not trusted: the next push reads the primary", async () => {
    const lamp = await lampOnPrimary();
    const known = await network.prisma.primaryLevel.findUniqueOrThrow({ where: { primaryShop_inventoryItemId_locationId: { primaryShop: PRIMARY, ...pick(lamp) } } });
    const readsBefore = await levelReads(PRIMARY);
    await primaryLevelWebhook(5, known.changedAt);
    // Read again (by each dependent's push at most); the primary still holds 21, which every store keeps.
    expect(await everyStore()).toEqual({ primary: 21, a: 21, b: 21 });
    expect(await levelReads(PRIMARY) - readsBefore).toBeOneOf([1, 2]);
    expect(await network.prisma.primaryLevel.findUniqueOrThrow({ where: { primaryShop_inventoryItemId_locationId: { primaryShop: PRIMARY, ...pick(lamp) } } })).toMatchObject({ available: 21, conflict: false });
  });

  test("a webhook older than the level known, arriving late, changes nothing and reads nothing", async () => {
    const lamp = await lampOnPrimary();
    const known = await network.prisma.primaryLevel.findUniqueOrThrow({ where: { primaryShop_inventoryItemId_locationId: { primaryShop: PRIMARY, ...pick(lamp) } } });
    const readsBefore = await levelReads(PRIMARY);
    const pushesBefore = await network.prisma.job.count({ where: { kind: "push-stock" } });
    await primaryLevelWebhook(40, new Date(known.changedAt.getTime() - 60_000));
    expect(await everyStore()).toEqual({ primary: 21, a: 21, b: 21 });
    expect(await levelReads(PRIMARY)).toBe(readsBefore);
    expect(await network.prisma.job.count({ where: { kind: "push-stock" } })).toBe(pushesBefore);
  });

  test("after webhooks were lost, a Sync all's export of the primary is what Tandem knows: a later push sends the true level", async () => {
    const known = (await everyStore()).primary;
    expect(await everyStore()).toEqual({ primary: known, a: known, b: known });
    const lamp = await lampOnPrimary();
    // The primary changes while every webhook is lost: what Tandem knows is now stale.
    await network.sim.control.setChaos({ dropRate: 1 });
    await nextSecond();
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 13 });
    await network.sim.control.webhooksIdle();
    await network.sim.control.setChaos({ dropRate: 0 });
    const synced = await network.post(PRIMARY, "/app/sync", { intent: "sync-all" });
    expect(synced.status).toBe(200);
    expect(await everyStore()).toEqual({ primary: 13, a: 13, b: 13 });
    expect(await network.prisma.primaryLevel.findUniqueOrThrow({ where: { primaryShop_inventoryItemId_locationId: { primaryShop: PRIMARY, ...pick(lamp) } } })).toMatchObject({ available: 13 });
    // A manual edit on a dependent brings the primary's level back: the true one, not the stale one.
    await nextSecond();
    await network.sim.control.setInventory(SHOP_A, { sku: "LAMP", available: 30 });
    expect(await everyStore()).toEqual({ primary: 13, a: 13, b: 13 });
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 20 });
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
  });

  test("past TANDEM_PRIMARY_LEVELS_MAX_AGE_MS since its read, an item is read again", async () => {
    const lamp = await lampOnPrimary();
    await network.prisma.primaryItem.update({ where: { primaryShop_inventoryItemId: { primaryShop: PRIMARY, inventoryItemId: lamp.inventoryItemId } }, data: { readAt: new Date(Date.now() - 16 * 60_000) } });
    const readsBefore = await levelReads(PRIMARY);
    await nextSecond();
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 20 });
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 20 });
    expect(await levelReads(PRIMARY) - readsBefore).toBeOneOf([1, 2]);
  });
});

/** Waits into the next whole second (Shopify's times of change have no finer grain). */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1020 - (Date.now() % 1000)));

const pick = ({ inventoryItemId, locationId }: { inventoryItemId: string; locationId: string }) => ({ inventoryItemId, locationId });

describe("buffer and allocation per dependent", () => {
  test("a buffer holds units back; an allocation gives a share; sales elsewhere keep both true", async () => {
    const saved = await network.post(SHOP_B, "/app/settings", {
      intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true", stockBuffer: "3",
    });
    expect(saved.shown).toContain("Preferences saved");
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 17 });

    await network.post(SHOP_B, "/app/settings", {
      intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true", stockBuffer: "1", stockAllocationPercent: "50",
    });
    expect(await everyStore()).toEqual({ primary: 20, a: 20, b: 9 });
    await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 3 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 17, a: 17, b: 7 });
    // A sale in the guarded store itself: the primary loses the units, B shows its share of the rest.
    await network.sim.control.placeOrder(SHOP_B, { lines: [{ sku: "LAMP", quantity: 2 }], paid: true });
    expect(await everyStore()).toEqual({ primary: 15, a: 15, b: 6 });
  });

  test("a buffer or share outside its range is refused with the field's message, and nothing changes", async () => {
    const refused = await network.post(SHOP_B, "/app/settings", {
      intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true", stockBuffer: "-2", stockAllocationPercent: "150",
    });
    expect(refused.shown).toContain("The stock buffer must be a whole number between 0 and 100000");
    expect(refused.shown).toContain("The share of stock must be a whole number between 1 and 100");
    const saved = await network.prisma.syncPreferences.findUniqueOrThrow({ where: { dependentShop: SHOP_B } });
    expect({ buffer: saved.stockBuffer, share: saved.stockAllocationPercent }).toEqual({ buffer: 1, share: 50 });
  });
});

describe("reconciliation (Check stock, and periodically)", () => {
  test("applies sales whose webhooks were all lost, repairs levels a lost primary webhook left stale, and logs each repair", async () => {
    await network.post(SHOP_B, "/app/settings", { intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true" });
    expect(await everyStore()).toEqual({ primary: 15, a: 15, b: 15 });

    await network.sim.control.setChaos({ dropRate: 1 });
    await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 2 }], paid: true });
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", delta: -1 });
    await network.sim.control.webhooksIdle();
    await network.sim.control.setChaos({ dropRate: 0 });
    expect(await everyStore()).toEqual({ primary: 14, a: 13, b: 15 });

    const passes = await checkStock(PRIMARY);
    expect(await everyStore()).toEqual({ primary: 12, a: 12, b: 12 });
    // One pass per dependent, each comparing both linked variants (LAMP, GIFT); A's lost sale recovered once.
    expect(passes.slice(0, 2).map((job) => [job.lane, JSON.parse(job.result!).checked]).sort()).toEqual([[SHOP_A, 2], [SHOP_B, 2]]);
    expect(await network.prisma.stockMovement.count({ where: { dependentShop: SHOP_A, sku: "LAMP", quantity: 2, status: "applied" } })).toBe(1);

    // Nothing left to repair: a second pass changes nothing and recovers nothing.
    const again = (await checkStock(PRIMARY)).slice(0, 2).map((job) => JSON.parse(job.result!));
    expect(again.map((r) => [r.recoveredMovements, r.repaired])).toEqual([[0, 0], [0, 0]]);
    expect(await everyStore()).toEqual({ primary: 12, a: 12, b: 12 });
  });

  test("a primary change whose webhook was lost reaches every dependent at the next pass, logged as a repair", async () => {
    await network.sim.control.setChaos({ dropRate: 1 });
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", delta: 4 });
    await network.sim.control.webhooksIdle();
    await network.sim.control.setChaos({ dropRate: 0 });
    expect(await everyStore()).toEqual({ primary: 16, a: 12, b: 12 });
    await checkStock(PRIMARY);
    expect(await everyStore()).toEqual({ primary: 16, a: 16, b: 16 });
    for (const shop of [SHOP_A, SHOP_B]) {
      const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: shop, action: "stock" }, orderBy: { createdAt: "desc" } });
      expect(entry.message).toBe("Reconciliation: stock of LAMP at Main was 12, the primary store's level gives 16; repaired (a change had not reached this store)");
    }
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", delta: -4 });
    expect(await everyStore()).toEqual({ primary: 12, a: 12, b: 12 });
  });

  test("a level that drifted without any webhook is repaired and the log says why", async () => {
    await network.sim.control.setChaos({ dropRate: 1 });
    await network.sim.control.setInventory(SHOP_B, { sku: "LAMP", available: 30 });
    await network.sim.control.webhooksIdle();
    await network.sim.control.setChaos({ dropRate: 0 });
    expect(await stockOf(SHOP_B, "LAMP")).toBe(30);
    await checkStock(SHOP_B);
    expect(await everyStore()).toEqual({ primary: 12, a: 12, b: 12 });
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SHOP_B, action: "stock" }, orderBy: { createdAt: "desc" } });
    expect(entry.message).toBe("Stock of LAMP at Main had changed here (12 → 30, by a manual edit or a sale); set to 12 from the primary store, the system of record for stock");
  });

  test("a catalogue too dear to read page by page is read with one bulk export per store, and repaired the same", async () => {
    // Every read above 0 points goes to bulk: the path a large catalogue takes.
    await network.killWorkers();
    await network.startWorker({ TANDEM_RECONCILE_BULK_POINTS: "0" });
    await network.sim.control.setChaos({ dropRate: 1 });
    await network.sim.control.setInventory(SHOP_A, { sku: "LAMP", available: 3 });
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", delta: 2 });
    await network.sim.control.webhooksIdle();
    await network.sim.control.setChaos({ dropRate: 0 });
    const bulkBefore = (await network.sim.control.stats(PRIMARY)).bulkOperations.QUERY ?? 0;
    const passes = (await checkStock(PRIMARY)).slice(0, 2).map((job) => [job.lane, JSON.parse(job.result!)] as const);
    expect(passes.map(([lane, result]) => [lane, result.reads, result.checked]).sort()).toEqual([
      [SHOP_A, { primary: "bulk", dependent: "bulk" }, 2],
      [SHOP_B, { primary: "bulk", dependent: "bulk" }, 2],
    ]);
    expect((await network.sim.control.stats(PRIMARY)).bulkOperations.QUERY).toBe(bulkBefore + 2);
    expect(await everyStore()).toEqual({ primary: 14, a: 14, b: 14 });
    // The export is what Tandem knows of the primary's levels now, including the change whose
    // webhook was lost: the next change goes out without reading the primary.
    const readsBefore = await levelReads(PRIMARY);
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", delta: -2 });
    expect(await everyStore()).toEqual({ primary: 12, a: 12, b: 12 });
    expect(await levelReads(PRIMARY)).toBe(readsBefore);
    await network.killWorkers();
    await network.startWorker();
  });

  test("a restock whose webhook arrives before its sale's waits for the sale, then goes back once", async () => {
    await network.sim.control.setChaos({ dropRate: 1 });
    const order = await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 3 }], paid: true });
    const refund = await network.sim.control.refund(SHOP_A, order.id, [{ lineItemId: order.lineItems[0].id, quantity: 1, restock: true }]);
    await network.sim.control.webhooksIdle();
    await network.sim.control.setChaos({ dropRate: 0 });
    const line = { admin_graphql_api_id: order.lineItems[0].id, sku: "LAMP", quantity: 3 };
    const refundBody = { admin_graphql_api_id: refund.id, refund_line_items: [{ quantity: 1, restock_type: "return", location_id: null, line_item: line }] };
    expect((await postSignedWebhook(network.app.origin, { path: "/webhooks/orders", topic: "refunds/create", shop: SHOP_A, body: refundBody })).status).toBe(200);
    await network.idle();
    const waiting = await network.prisma.stockMovement.findFirstOrThrow({ where: { key: `restock:${refund.id}:${order.lineItems[0].id}` } });
    expect(waiting.status).toBe("waiting");
    expect(await stockOf(PRIMARY, "LAMP")).toBe(12);

    const paid = { admin_graphql_api_id: order.id, financial_status: "paid", location_id: null, line_items: [line] };
    expect((await postSignedWebhook(network.app.origin, { path: "/webhooks/orders", topic: "orders/paid", shop: SHOP_A, body: paid })).status).toBe(200);
    expect(await everyStore()).toEqual({ primary: 10, a: 10, b: 10 });
    // Reading the same order back later finds both lines in the ledger: nothing moves twice.
    await checkStock(SHOP_A);
    expect(await everyStore()).toEqual({ primary: 10, a: 10, b: 10 });
  });
});

describe("reconciliation of large orders", () => {
  test("an order with more refunds, and a refund with more lines, than one page holds: every lost restock is recovered", async () => {
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 40 });
    const order = await network.sim.control.placeOrder(SHOP_A, { lines: Array.from({ length: 15 }, () => ({ sku: "LAMP", quantity: 1 })), paid: true });
    expect(await everyStore()).toEqual({ primary: 25, a: 25, b: 25 });
    // Four refunds (the order list reads three with each order), the first of 11 lines (a page holds 10); every webhook lost.
    await network.sim.control.setChaos({ dropRate: 1 });
    const lines = order.lineItems.map((line) => ({ lineItemId: line.id, quantity: 1, restock: true }));
    await network.sim.control.refund(SHOP_A, order.id, lines.slice(0, 11));
    for (const line of lines.slice(11, 14)) await network.sim.control.refund(SHOP_A, order.id, [line]);
    await network.sim.control.webhooksIdle();
    await network.sim.control.setChaos({ dropRate: 0 });
    expect(await stockOf(PRIMARY, "LAMP")).toBe(25);
    await checkStock(PRIMARY);
    expect(await everyStore()).toEqual({ primary: 39, a: 39, b: 39 });
    expect(await network.prisma.stockMovement.count({ where: { dependentShop: SHOP_A, kind: "restock", lineItemId: { in: order.lineItems.map((line) => line.id) }, status: "applied" } })).toBe(14);
  });
});

describe("reconnecting", () => {
  test("a resumed dependent catches up on what changed while it was paused", async () => {
    const connection = await network.prisma.connection.findFirstOrThrow({ where: { dependentShop: SHOP_B } });
    expect((await network.post(PRIMARY, "/app/settings", { intent: "pause", connectionId: connection.id })).shown).toContain("paused");
    await network.sim.control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 25 });
    expect(await everyStore()).toEqual({ primary: 25, a: 25, b: 39 });
    expect((await network.post(PRIMARY, "/app/settings", { intent: "resume", connectionId: connection.id })).shown).toContain("resumed");
    expect(await everyStore()).toEqual({ primary: 25, a: 25, b: 25 });
    expect(await network.prisma.job.count({ where: { kind: "reconcile-stock", lane: SHOP_B, status: "succeeded", createdAt: { gt: connection.updatedAt } } })).toBeGreaterThan(0);
  });
});
