import { afterAll, beforeAll, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

// Strict stock mode (issue 34, ADR 0033) on the real app, worker and simulator: each store sells
// only its share; the dependents' shares are held in the primary's reserve.
const PRIMARY = "strict-primary.myshopify.com";
const SHOP_A = "strict-a.myshopify.com";
const SHOP_B = "strict-b.myshopify.com";
const STORES = [PRIMARY, SHOP_A, SHOP_B];
let network: SyncNetwork;

type Level = { available: number; reserved: number; on_hand: number };

async function levelOf(shop: string, sku: string): Promise<Level> {
  const variant = (await network.sim.control.snapshot(shop)).products.flatMap((p) => p.variants).find((v) => v.sku === sku)!;
  const [level] = Object.values(variant.quantities);
  return { available: level.available, reserved: level.reserved, on_hand: level.on_hand };
}

async function network3(sku: string) {
  await network.idle();
  const [primary, a, b] = await Promise.all(STORES.map((shop) => levelOf(shop, sku)));
  return { primary, a: a.available, b: b.available };
}

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: SHOP_A, locations: ["Main"] });
  await control.createStore({ domain: SHOP_B, locations: ["Main"] });
  await control.createProduct(PRIMARY, { title: "Lamp", variants: [{ sku: "LAMP", price: "40.00" }] });
  await control.createProduct(PRIMARY, { title: "Rush", variants: [{ sku: "RUSH", price: "10.00" }] });
  await control.createProduct(PRIMARY, { title: "Pair", variants: [{ sku: "PAIR", price: "5.00" }] });
  await control.setInventory(PRIMARY, { sku: "LAMP", location: "Warehouse", available: 10 });
  await control.setInventory(PRIMARY, { sku: "RUSH", location: "Warehouse", available: 12 });
  await control.setInventory(PRIMARY, { sku: "PAIR", location: "Warehouse", available: 12 });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: SHOP_A }, { shop: SHOP_B }]);
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

test("strict allocation gives each store a share and holds the dependents' in the primary's reserve; a store that sells out gets more", async () => {
  expect(await network3("LAMP")).toEqual({ primary: { available: 10, reserved: 0, on_hand: 10 }, a: 10, b: 10 });
  const chosen = await network.post(PRIMARY, "/app/settings", { intent: "stock-mode", mode: "strict" });
  expect(chosen.shown).toContain("Strict allocation is on");
  // 10 units: one each first, then the rest by recent sales (none yet): 4 / 3 / 3, the spare unit to the primary.
  expect(await network3("LAMP")).toEqual({ primary: { available: 4, reserved: 6, on_hand: 10 }, a: 3, b: 3 });
  const pool = await network.prisma.stockPool.findMany({ where: { primaryShop: PRIMARY } });
  expect(pool.map((row) => ({ escrow: row.escrow, allocated: JSON.parse(row.allocated) }))).toContainEqual({ escrow: 6, allocated: { [SHOP_A]: 3, [SHOP_B]: 3 } });

  // A sells its whole share: the units leave the reserve (on hand 7), and A, now out, gets a share of what is left.
  await network.sim.control.placeOrder(SHOP_A, { lines: [{ sku: "LAMP", quantity: 3 }], paid: true });
  const after = await network3("LAMP");
  expect(after.primary.on_hand).toBe(7);
  expect(after.primary.available + after.a + after.b).toBe(7);
  expect(after.primary.reserved).toBe(after.a + after.b);
  expect(after.a).toBeGreaterThan(0);
  expect(await network.prisma.escrowMove.count()).toBe(0);
  const saleLog = await network.prisma.syncLog.findMany({ where: { dependentShop: SHOP_A, action: "stock" } });
  expect(saleLog.map((entry) => entry.message)).toContain(`Sale of 3 × LAMP in ${SHOP_A} taken from the primary's stock`);
});

test("a rush in every store at once sells no unit twice: the units sold never exceed the stock", async () => {
  const stock = 12;
  const sold: Record<string, number> = Object.fromEntries(STORES.map((shop) => [shop, 0]));
  // One shopper per store buys one unit at a time of what the store shows, until it shows none
  // twice. One per store: the simulator takes any order (Shopify's checkout would refuse one beyond
  // a store's own stock), so two shoppers of one store could both buy its last unit; what strict
  // mode prevents is two stores selling the same unit.
  const shopper = async (shop: string) => {
    for (let misses = 0; misses < 2; ) {
      if ((await levelOf(shop, "RUSH")).available <= 0) {
        misses++;
        await network.idle();
        continue;
      }
      misses = 0;
      await network.sim.control.placeOrder(shop, { lines: [{ sku: "RUSH", quantity: 1 }], paid: true });
      sold[shop]++;
    }
  };
  await Promise.all(STORES.map(shopper));
  const end = await network3("RUSH");
  const total = Object.values(sold).reduce((a, b) => a + b, 0);
  expect(total).toBeLessThanOrEqual(stock);
  // What is left is on the primary's hand and offered once: nothing oversold, nothing lost.
  expect(end.primary.on_hand).toBe(stock - total);
  expect(end.primary.available + end.a + end.b).toBe(end.primary.on_hand);
  expect(end.primary.reserved).toBe(end.a + end.b);
  expect(Math.min(end.primary.available, end.a, end.b)).toBeGreaterThanOrEqual(0);
}, 120_000);

test("sales of one item in one run are each taken from the reserve: Tandem's books match Shopify's reserve", async () => {
  const before = await network3("PAIR");
  expect(before.b).toBeGreaterThanOrEqual(3);
  // Three lines of the item in one order: three ledger rows of one pool, decided, sent and settled in one run.
  await network.sim.control.placeOrder(SHOP_B, { lines: [1, 1, 1].map((quantity) => ({ sku: "PAIR", quantity })), paid: true });
  const after = await network3("PAIR");
  expect(after.primary.on_hand).toBe(before.primary.on_hand - 3);
  expect(after.primary.reserved).toBe(after.a + after.b);
  const item = (await network.sim.control.snapshot(PRIMARY)).products.flatMap((p) => p.variants).find((v) => v.sku === "PAIR")!;
  const [pool] = await network.prisma.stockPool.findMany({ where: { primaryShop: PRIMARY, primaryInventoryItemId: item.inventoryItemId } });
  expect(pool.escrow).toBe(after.primary.reserved);
  expect(await network.prisma.escrowMove.count()).toBe(0);
});

test("a dependent that disconnects gives its share back: the reserve holds only what the others sell", async () => {
  const before = await network3("LAMP");
  expect(before.b).toBeGreaterThan(0);
  const connection = await network.prisma.connection.findFirstOrThrow({ where: { primaryShop: PRIMARY, dependentShop: SHOP_B, status: "connected" } });
  expect((await network.post(PRIMARY, "/app/settings", { intent: "disconnect", connectionId: connection.id, products: "keep" })).status).toBe(200);
  const after = await network3("LAMP");
  expect(after.primary.on_hand).toBe(before.primary.on_hand);
  expect(after.primary.reserved).toBe(after.a);
  expect(after.primary.available + after.a).toBe(after.primary.on_hand);
  const pools = await network.prisma.stockPool.findMany({ where: { primaryShop: PRIMARY } });
  expect(pools.every((pool) => !(SHOP_B in JSON.parse(pool.allocated)))).toBe(true);
});

test("back to shared stock: the reserve returns to the primary and every store shows its stock again", async () => {
  const before = await network3("LAMP");
  const chosen = await network.post(PRIMARY, "/app/settings", { intent: "stock-mode", mode: "shared" });
  expect(chosen.shown).toContain("Shared stock is on");
  const onHand = before.primary.on_hand;
  expect((await network3("LAMP")).primary).toEqual({ available: onHand, reserved: 0, on_hand: onHand });
  expect((await network3("LAMP")).a).toBe(onHand);
  expect(await network.prisma.stockPool.count()).toBe(0);
});
