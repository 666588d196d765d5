import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork, syncAll } from "../setup/sync-network";

// A product has up to 2,048 variants (Admin API, all plans). Every read of a product's variants
// must take all of them: a productSet built from the first 250 would delete the rest on the dependent.
const PRIMARY = "big-primary.myshopify.com";
const DEPENDENT = "big-dependent.myshopify.com";
const COLORS = Array.from({ length: 30 }, (_, i) => `C${i + 1}`);
const SIZES = Array.from({ length: 20 }, (_, i) => `S${i + 1}`);
const sku = (n: number) => `BIG-${String(n).padStart(3, "0")}`;
let network: SyncNetwork;
let productId: string;

/** The dependent's copy: SKU → price, with its stock at its one location. */
async function dependentCopy() {
  const product = (await network.sim.control.snapshot(DEPENDENT)).products.find((p) => p.title === "Big");
  if (!product) return null;
  return new Map(product.variants.map((v) => [v.sku, { price: Number(v.price), available: Object.values(v.quantities).reduce((sum, level) => sum + level.available, 0) }]));
}

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  // Plus stores (1,000 points a second): reading 600 variants and checking their SKUs costs some
  // 4,000 points a sync, 40 s of a standard store's bucket; this test is about what arrives, not when.
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"], plan: "plus" });
  await control.createStore({ domain: DEPENDENT, locations: ["Main"], plan: "plus" });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: DEPENDENT }]);
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("a product with 600 variants", () => {
  test("is copied whole on creation: every variant, price and stock level", async () => {
    const variants = COLORS.flatMap((color, c) => SIZES.map((size, s) => ({ sku: sku(c * SIZES.length + s + 1), price: "10.00", options: [color, size] })));
    productId = (await network.sim.control.createProduct(PRIMARY, { title: "Big", options: [{ name: "Color", values: COLORS }, { name: "Size", values: SIZES }], variants })).id;
    await network.sim.control.setInventory(PRIMARY, { sku: sku(600), location: "Warehouse", available: 6 });
    await network.idle();
    const copy = (await dependentCopy())!;
    expect(copy.size).toBe(600);
    expect([...copy.keys()].sort()).toEqual(variants.map((v) => v.sku).sort());
    expect(copy.get(sku(600))).toEqual({ price: 10, available: 6 });
    expect(await network.prisma.variantLink.count({ where: { dependentShop: DEPENDENT } })).toBe(600);
  });

  test("a price change on variant 600 reaches the dependent, and the other 599 stay", async () => {
    const variant600 = (await network.sim.control.snapshot(PRIMARY)).products.find((p) => p.id === productId)!.variants.find((v) => v.sku === sku(600))!;
    await network.sim.control.updateVariant(PRIMARY, variant600.id, { price: "12.50" });
    await network.idle();
    const copy = (await dependentCopy())!;
    expect(copy.size).toBe(600);
    expect(copy.get(sku(600))!.price).toBe(12.5);
    expect(copy.get(sku(1))!.price).toBe(10);
  });

  test("variant 601 added, then removed: the dependent follows, nothing else changes", async () => {
    const added = await network.sim.control.addVariant(PRIMARY, productId, { sku: "BIG-601", price: "11.00", options: ["C31", "S1"] });
    await network.idle();
    let copy = (await dependentCopy())!;
    expect(copy.size).toBe(601);
    expect(copy.get("BIG-601")!.price).toBe(11);
    await network.sim.control.deleteVariant(PRIMARY, (added as { id: string }).id);
    await network.idle();
    copy = (await dependentCopy())!;
    expect(copy.size).toBe(600);
    expect(copy.has("BIG-601")).toBe(false);
    expect(copy.get(sku(600))).toEqual({ price: 12.5, available: 6 });
  });

  test("Sync all (bulk export and writes) leaves it whole", async () => {
    await syncAll(network, PRIMARY);
    const copy = (await dependentCopy())!;
    expect(copy.size).toBe(600);
    expect(copy.get(sku(600))).toEqual({ price: 12.5, available: 6 });
    const errors = await network.prisma.syncLog.findMany({ where: { dependentShop: DEPENDENT, action: "error" } });
    expect(errors.map((entry) => entry.message)).toEqual([]);
  });
});
