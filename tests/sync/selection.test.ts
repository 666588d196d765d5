import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StoreSnapshot } from "../../sim/snapshot";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

// The primary's selection by tag (seed 003: "choose the products to sync"; a product taken out of
// the sync is no longer synced). Selection by collection: collections.test.ts.
const PRIMARY = "select-primary.myshopify.com";
const DEPENDENT = "select-dependent.myshopify.com";
let network: SyncNetwork;
const ids: Record<string, string> = {};

function stockOf(snapshot: StoreSnapshot, sku: string): number | null {
  const variant = snapshot.products.flatMap((p) => p.variants).find((v) => v.sku === sku);
  return variant ? Object.values(variant.quantities).reduce((sum, level) => sum + level.available, 0) : null;
}

async function stock(sku: string) {
  await network.idle();
  return { primary: stockOf(await network.sim.control.snapshot(PRIMARY), sku), dependent: stockOf(await network.sim.control.snapshot(DEPENDENT), sku) };
}

const titlesIn = async (shop: string) => (await network.sim.control.snapshot(shop)).products.map((p) => p.title).sort();

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: DEPENDENT, locations: ["Main"] });
  ids.tee = (await control.createProduct(PRIMARY, { title: "Tee", tags: ["Summer"], variants: [{ sku: "TEE", price: "20.00" }] })).id;
  ids.mug = (await control.createProduct(PRIMARY, { title: "Mug", variants: [{ sku: "MUG", price: "8.00" }] })).id;
  for (const sku of ["TEE", "MUG"]) await control.setInventory(PRIMARY, { sku, location: "Warehouse", available: 10 });
  await connectStores(network, PRIMARY, [{ shop: DEPENDENT }]);
  await network.startWorker();
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("selection by tag (seed 003)", () => {
  test("choosing a tag applies at once: products without it stop syncing both ways, their copies stay", async () => {
    expect(await titlesIn(DEPENDENT)).toEqual(["Mug", "Tee"]);
    const saved = await network.post(PRIMARY, "/app/settings", { intent: "save-selection", tag: "summer", collectionId: "" });
    expect(saved.shown).toContain("Only products tagged “summer” sync from now on. 1 product has this tag. A full sync applies it now");
    await network.idle();
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: DEPENDENT }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(job.result!)).toMatchObject({ notSelected: 1, unlinked: 1 });
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: DEPENDENT, action: "unlinked" } });
    expect(entry).toMatchObject({ productTitle: "Mug", primaryProductId: ids.mug });
    expect(entry.message).toContain("left the primary's selection");
    expect(await network.prisma.productLink.count({ where: { dependentShop: DEPENDENT, primaryProductId: ids.mug } })).toBe(0);
    // The copy stays; stock no longer moves either way. The tag matches whatever its case.
    expect(await titlesIn(DEPENDENT)).toEqual(["Mug", "Tee"]);
    await network.sim.control.setInventory(PRIMARY, { sku: "MUG", location: "Warehouse", available: 4 });
    expect(await stock("MUG")).toEqual({ primary: 4, dependent: 10 });
    await network.sim.control.placeOrder(DEPENDENT, { lines: [{ sku: "MUG", quantity: 2 }], paid: true });
    expect(await stock("MUG")).toEqual({ primary: 4, dependent: 8 });
    // The selected product still syncs both ways.
    await network.sim.control.placeOrder(DEPENDENT, { lines: [{ sku: "TEE", quantity: 1 }], paid: true });
    expect(await stock("TEE")).toEqual({ primary: 9, dependent: 9 });
  });

  test("a new product without the tag is not copied", async () => {
    await network.sim.control.createProduct(PRIMARY, { title: "Bowl", variants: [{ sku: "BOWL", price: "12.00" }] });
    await network.idle();
    expect(await titlesIn(DEPENDENT)).toEqual(["Mug", "Tee"]);
  });

  test("a product whose tag is removed on the primary stops syncing; given it back, it is found again by SKU", async () => {
    const { control } = network.sim;
    await control.updateProduct(PRIMARY, ids.tee, { tags: [] });
    await network.idle();
    expect(await network.prisma.syncLog.count({ where: { dependentShop: DEPENDENT, action: "unlinked", primaryProductId: ids.tee } })).toBe(1);
    await control.setInventory(PRIMARY, { sku: "TEE", location: "Warehouse", available: 3 });
    expect(await stock("TEE")).toEqual({ primary: 3, dependent: 9 });

    await control.updateProduct(PRIMARY, ids.tee, { tags: ["SUMMER"] });
    expect(await stock("TEE")).toEqual({ primary: 3, dependent: 3 });
    const dependent = await control.snapshot(DEPENDENT);
    expect(dependent.products.filter((p) => p.variants.some((v) => v.sku === "TEE"))).toHaveLength(1);
    expect(await network.prisma.productLink.count({ where: { dependentShop: DEPENDENT, primaryProductId: ids.tee } })).toBe(1);
  });
});

describe("a risky selection", () => {
  test("a tag no product has is not saved until the merchant confirms it, so a typo does not stop every product syncing", async () => {
    const before = (await network.prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY } })).selectionTag;
    const refused = await network.post(PRIMARY, "/app/settings", { intent: "save-selection", tag: "sumer", collectionId: "" });
    expect(refused.shown).toContain("No product of this store has the tag “sumer”, so nothing would sync. The selection is not saved yet.");
    expect(refused.shown).toContain("Save anyway");
    expect((await network.prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY } })).selectionTag).toBe(before);
    expect(await network.prisma.job.count({ where: { kind: "sync-all", status: { in: ["queued", "running"] } } })).toBe(0);
    // Confirmed, it is saved; then the real tag replaces it.
    const confirmed = await network.post(PRIMARY, "/app/settings", { intent: "save-selection", tag: "sumer", collectionId: "", confirmed: "yes" });
    expect(confirmed.shown).toContain("Only products tagged “sumer” sync from now on. 0 products have this tag.");
    expect((await network.prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY } })).selectionTag).toBe("sumer");
    await network.idle();
  });
});
