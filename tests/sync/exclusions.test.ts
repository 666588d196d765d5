import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StoreSnapshot } from "../../sim/snapshot";
import { connectStores, type SyncNetwork, startSyncNetwork, syncAll } from "../setup/sync-network";

// Issue 36, item 3: one product taken out of the sync, by the primary for its whole network or by
// one dependent for its own copy, with the outcome the store chose for the copies (keep, archive,
// delete); it stays out whatever syncs later, though its SKUs still match, until brought back.
const PRIMARY = "exclude-primary.myshopify.com";
const FIRST = "exclude-first.myshopify.com";
const SECOND = "exclude-second.myshopify.com";
let network: SyncNetwork;
const ids: Record<string, string> = {};

type Copy = StoreSnapshot["products"][number];

/** The products of a store holding this SKU (more than one would be a duplicate). */
async function copiesOf(shop: string, sku: string): Promise<Copy[]> {
  await network.idle();
  return (await network.sim.control.snapshot(shop)).products.filter((product) => product.variants.some((variant) => variant.sku === sku));
}

function available(copy: Copy | undefined, sku: string): number | null {
  const variant = copy?.variants.find((v) => v.sku === sku);
  return variant ? Object.values(variant.quantities).reduce((sum, level) => sum + level.available, 0) : null;
}

const linked = (shop: string, productId: string) => network.prisma.productLink.count({ where: { dependentShop: shop, primaryProductId: productId } });
const exclude = (shop: string, productId: string, outcome: string) => network.post(shop, "/app/products", { intent: "exclude", productId, outcome });
const include = (shop: string, productId: string) => network.post(shop, "/app/products", { intent: "include", productId });

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: FIRST, locations: ["Main"] });
  await control.createStore({ domain: SECOND, locations: ["Main"] });
  for (const [key, title, sku] of [["tee", "Tee", "TEE"], ["mug", "Mug", "MUG"], ["bowl", "Bowl", "BOWL"], ["lamp", "Lamp", "LAMP"]]) {
    ids[key] = (await control.createProduct(PRIMARY, { title, status: "ACTIVE", variants: [{ sku, price: "20.00" }] })).id;
    await control.setInventory(PRIMARY, { sku, location: "Warehouse", available: 10 });
  }
  // The second store sold mugs before it joined: Tandem links its own product, it does not create one.
  ids.secondMug = (await control.createProduct(SECOND, { title: "Our mug", status: "ACTIVE", variants: [{ sku: "MUG", price: "18.00" }] })).id;
  await connectStores(network, PRIMARY, [{ shop: FIRST, preferences: { publishNewProducts: "true" } }, { shop: SECOND, preferences: { publishNewProducts: "true" } }]);
  await network.startWorker();
  await network.idle();
  for (const shop of [FIRST, SECOND]) for (const key of ["tee", "mug", "bowl", "lamp"]) expect(await linked(shop, ids[key])).toBe(1);
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("the primary takes a product out of its network", () => {
  test("archive: every store's copy is archived and unlinked; edits, stock and Sync all no longer reach it", async () => {
    const answer = await exclude(PRIMARY, ids.tee, "archive");
    expect(answer.shown).toContain("“Tee” no longer syncs. Its copies are being archived in 2 stores.");
    for (const shop of [FIRST, SECOND]) {
      const [copy] = await copiesOf(shop, "TEE");
      expect(copy.status).toBe("ARCHIVED");
      expect(await linked(shop, ids.tee)).toBe(0);
      const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: shop, primaryProductId: ids.tee, action: "archived" } });
      expect(entry.message).toContain("The primary took “Tee” out of the sync: it no longer syncs here, and this store's copy was archived");
    }
    const { control } = network.sim;
    await control.updateProduct(PRIMARY, ids.tee, { title: "Tee (new)" });
    await control.setInventory(PRIMARY, { sku: "TEE", location: "Warehouse", available: 4 });
    expect((await copiesOf(FIRST, "TEE"))[0]).toMatchObject({ title: "Tee", status: "ARCHIVED" });
    expect(available((await copiesOf(FIRST, "TEE"))[0], "TEE")).toBe(10);
    await control.placeOrder(FIRST, { lines: [{ sku: "TEE", quantity: 2 }], paid: true });
    await network.idle();
    expect(available((await copiesOf(PRIMARY, "TEE"))[0], "TEE")).toBe(4);

    // A Sync all finds the copy by SKU and still leaves it alone: no link, no second copy.
    await syncAll(network, PRIMARY);
    expect(await copiesOf(FIRST, "TEE")).toEqual([expect.objectContaining({ title: "Tee", status: "ARCHIVED" })]);
    expect(await linked(FIRST, ids.tee)).toBe(0);
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: FIRST }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(job.result!)).toMatchObject({ excluded: 1 });
  });

  test("delete: copies Tandem made are deleted; a store's own product is archived instead, and the log says why", async () => {
    const answer = await exclude(PRIMARY, ids.mug, "delete");
    expect(answer.shown).toContain("“Mug” no longer syncs. Its copies are being deleted in 2 stores.");
    expect(await copiesOf(FIRST, "MUG")).toEqual([]);
    expect(await copiesOf(SECOND, "MUG")).toEqual([expect.objectContaining({ id: ids.secondMug, status: "ARCHIVED" })]);
    const spared = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: SECOND, primaryProductId: ids.mug } , orderBy: { createdAt: "desc" } });
    expect(spared.action).toBe("archived");
    expect(spared.message).toContain("was archived, not deleted: this store had the product before Tandem linked it");
    // Nothing brings a deleted copy back while the product is out.
    await syncAll(network, PRIMARY);
    expect(await copiesOf(FIRST, "MUG")).toEqual([]);
  });

  test("a dependent cannot bring back what the primary took out; the primary can, and the copies are found by SKU", async () => {
    const refused = await include(FIRST, ids.tee);
    expect(refused.shown).toContain("The primary store took this product out of the sync: only the primary can bring it back.");
    expect(await network.prisma.productExclusion.count({ where: { shop: PRIMARY, primaryProductId: ids.tee } })).toBe(1);

    const answer = await include(PRIMARY, ids.tee);
    expect(answer.shown).toContain("“Tee (new)” syncs again");
    for (const shop of [FIRST, SECOND]) {
      // The archived copy is linked again (not a second one), and takes the primary's title, status and stock.
      const copies = await copiesOf(shop, "TEE");
      expect(copies).toEqual([expect.objectContaining({ title: "Tee (new)", status: "ACTIVE" })]);
      expect(available(copies[0], "TEE")).toBe(4);
      expect(await linked(shop, ids.tee)).toBe(1);
    }
    // The deleted copy is made again.
    expect((await include(PRIMARY, ids.mug)).shown).toContain("“Mug” syncs again");
    expect(await copiesOf(FIRST, "MUG")).toHaveLength(1);
    expect(await linked(FIRST, ids.mug)).toBe(1);
  });
});

describe("a dependent unlinks its own copy", () => {
  test("keep: the copy stays as it is here, out of every later sync; the other store still syncs", async () => {
    const answer = await exclude(FIRST, ids.bowl, "keep");
    expect(answer.shown).toContain("“Bowl” no longer syncs to this store. Its copy here stays as it is.");
    expect(await copiesOf(FIRST, "BOWL")).toEqual([expect.objectContaining({ title: "Bowl", status: "ACTIVE" })]);
    expect(await linked(FIRST, ids.bowl)).toBe(0);
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: FIRST, primaryProductId: ids.bowl, action: "unlinked" } });
    expect(entry.message).toContain("This store unlinked “Bowl”: it no longer syncs here, and its copy stays as it is");

    await network.sim.control.updateProduct(PRIMARY, ids.bowl, { title: "Bowl (blue)" });
    await syncAll(network, PRIMARY);
    expect(await copiesOf(FIRST, "BOWL")).toEqual([expect.objectContaining({ title: "Bowl" })]);
    expect(await linked(FIRST, ids.bowl)).toBe(0);
    expect(await copiesOf(SECOND, "BOWL")).toEqual([expect.objectContaining({ title: "Bowl (blue)" })]);
    expect(await linked(SECOND, ids.bowl)).toBe(1);
  });

  test("delete, then link again: the copy is deleted, not made again by a Sync all, and made again once linked", async () => {
    expect((await exclude(SECOND, ids.lamp, "delete")).shown).toContain("Its copy here is being deleted.");
    expect(await copiesOf(SECOND, "LAMP")).toEqual([]);
    expect(await copiesOf(FIRST, "LAMP")).toHaveLength(1);
    await syncAll(network, PRIMARY);
    expect(await copiesOf(SECOND, "LAMP")).toEqual([]);

    expect((await include(SECOND, ids.lamp)).shown).toContain("“Lamp” syncs again");
    expect(await copiesOf(SECOND, "LAMP")).toHaveLength(1);
    expect(await linked(SECOND, ids.lamp)).toBe(1);
  });

  test("the Products page shows who took a product out, to the primary and to the store", async () => {
    // Its loader's data, decoded: a row per product with its state in each store the viewer sees.
    const rowOf = async (shop: string, productId: string) => {
      const data = JSON.parse((await network.load(shop, "/app/products")).shown) as Record<string, { data: { products: { id: string; byStore: Record<string, unknown> }[] } }>;
      return data["routes/app.products"].data.products.find((product) => product.id === productId)!.byStore;
    };
    expect(await rowOf(PRIMARY, ids.bowl)).toEqual({ [FIRST]: { state: "excluded", by: "store", outcome: "keep" }, [SECOND]: expect.objectContaining({ state: "linked" }) });
    expect(await rowOf(FIRST, ids.bowl)).toEqual({ [FIRST]: { state: "excluded", by: "store", outcome: "keep" } });
    await exclude(PRIMARY, ids.bowl, "keep");
    expect(await rowOf(FIRST, ids.bowl)).toEqual({ [FIRST]: { state: "excluded", by: "primary", outcome: "keep" } });
    expect(await rowOf(PRIMARY, ids.bowl)).toEqual({ [FIRST]: { state: "excluded", by: "primary", outcome: "keep" }, [SECOND]: { state: "excluded", by: "primary", outcome: "keep" } });
    await include(PRIMARY, ids.bowl);
    // The first store's own choice still stands.
    expect(await rowOf(FIRST, ids.bowl)).toEqual({ [FIRST]: { state: "excluded", by: "store", outcome: "keep" } });
    expect(await copiesOf(SECOND, "BOWL")).toEqual([expect.objectContaining({ title: "Bowl (blue)", status: "ACTIVE" })]);
    expect(await linked(SECOND, ids.bowl)).toBe(1);
  });
});

describe("what the page refuses", () => {
  test("an outcome that is not one of the three, or a product of another store, changes nothing", async () => {
    const before = await network.prisma.productExclusion.count();
    expect((await exclude(PRIMARY, ids.bowl, "burn")).shown).toContain("That request was not understood");
    expect((await exclude(PRIMARY, "gid://shopify/Product/999999", "keep")).shown).toContain("This product is not in the primary store's catalogue.");
    expect((await include(PRIMARY, ids.lamp)).shown).toContain("This product already syncs.");
    expect(await network.prisma.productExclusion.count()).toBe(before);
  });
});
