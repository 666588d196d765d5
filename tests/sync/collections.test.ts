import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork, syncAll } from "../setup/sync-network";

const PRIMARY = "col-primary.myshopify.com";
const DEPENDENT = "col-dependent.myshopify.com";
let network: SyncNetwork;
const ids: Record<string, string> = {};

const collectionsOf = async (shop: string) =>
  (await network.sim.control.snapshot(shop)).collections.map((c) => ({ title: c.title, products: [...c.productTitles].sort() }));

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY });
  await control.createStore({ domain: DEPENDENT });
  for (const [title, sku] of [["Sandals", "SANDAL"], ["Hat", "HAT"], ["Boots", "BOOT"]]) {
    ids[title] = (await control.createProduct(PRIMARY, { title, variants: [{ sku, price: "10.00" }] })).id;
  }
  ids.Summer = (await control.createCollection(PRIMARY, { title: "Summer", productIds: [ids.Sandals, ids.Hat] })).id;
  ids.Winter = (await control.createCollection(PRIMARY, { title: "Winter", productIds: [ids.Boots] })).id;
  ids.Jam = (await control.createProduct(DEPENDENT, { title: "Local jam", variants: [{ sku: "JAM", price: "4.00" }] })).id;
  await control.createCollection(DEPENDENT, { title: "Local picks", productIds: [ids.Jam] });
  await network.ensureWorker();
  await connectStores(network, PRIMARY, [{ shop: DEPENDENT }]);
  await network.idle();
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("collections (seed 001)", () => {
  test("are copied one way, in the primary's order, with their linked products; the dependent's own are left alone", async () => {
    expect(await collectionsOf(DEPENDENT)).toEqual([
      { title: "Local picks", products: ["Local jam"] },
      { title: "Summer", products: ["Hat", "Sandals"] },
      { title: "Winter", products: ["Boots"] },
    ]);
    const log = await network.prisma.syncLog.findMany({ where: { dependentShop: DEPENDENT, message: { startsWith: "Collection" } } });
    expect(log.map((e) => e.message)).toEqual([
      "Collection “Summer” created, unpublished, with 2 products",
      "Collection “Winter” created, unpublished, with 1 product",
    ]);
  });

  test("renames and membership changes on the primary are copied; products the dependent added stay", async () => {
    const { control } = network.sim;
    const copy = (await network.sim.control.snapshot(DEPENDENT)).collections.find((c) => c.title === "Summer")!;
    await control.updateCollection(DEPENDENT, copy.id, { addProductIds: [ids.Jam] });
    await control.updateCollection(PRIMARY, ids.Winter, { title: "Winter sale" });
    await control.updateCollection(PRIMARY, ids.Summer, { removeProductIds: [ids.Hat], addProductIds: [ids.Boots] });
    await syncAll(network, PRIMARY);
    expect(await collectionsOf(DEPENDENT)).toEqual([
      { title: "Local picks", products: ["Local jam"] },
      { title: "Summer", products: ["Boots", "Local jam", "Sandals"] },
      { title: "Winter sale", products: ["Boots"] },
    ]);
    // Nothing changed since: a second Sync all writes nothing to collections.
    const before = await network.prisma.syncLog.count({ where: { dependentShop: DEPENDENT, message: { startsWith: "Collection" } } });
    await syncAll(network, PRIMARY);
    expect(await network.prisma.syncLog.count({ where: { dependentShop: DEPENDENT, message: { startsWith: "Collection" } } })).toBe(before);
  });

  test("a collection deleted in the dependent is made again", async () => {
    const copy = (await network.sim.control.snapshot(DEPENDENT)).collections.find((c) => c.title === "Winter sale")!;
    network.sim.world.stores.get(DEPENDENT)!.collections.delete(Number(copy.id.split("/").pop()));
    await syncAll(network, PRIMARY);
    expect((await collectionsOf(DEPENDENT)).filter((c) => c.title === "Winter sale")).toEqual([{ title: "Winter sale", products: ["Boots"] }]);
  });

  test("a new primary product in a copied collection joins the copy as soon as it syncs", async () => {
    const { control } = network.sim;
    const scarf = await control.createProduct(PRIMARY, { title: "Scarf", variants: [{ sku: "SCARF", price: "15.00" }] });
    await control.updateCollection(PRIMARY, ids.Winter, { addProductIds: [scarf.id] });
    // The product webhook comes first; the collection change rides on the product sync that follows an edit.
    await control.updateProduct(PRIMARY, scarf.id, { title: "Wool scarf" });
    await network.idle();
    expect((await collectionsOf(DEPENDENT)).find((c) => c.title === "Winter sale")!.products).toEqual(["Boots", "Wool scarf"]);
  });

  test("a primary's collection edit reaches the dependent from its webhook, without a Sync all; a dependent's own edit starts nothing", async () => {
    const { control } = network.sim;
    const syncAlls = await network.prisma.job.count({ where: { kind: "sync-all" } });
    await control.updateCollection(PRIMARY, ids.Winter, { title: "Winter clearance", addProductIds: [ids.Hat] });
    await network.idle();
    expect((await collectionsOf(DEPENDENT)).find((c) => c.title === "Winter clearance")?.products).toEqual(["Boots", "Hat", "Wool scarf"]);
    expect(await network.prisma.job.count({ where: { kind: "sync-all" } })).toBe(syncAlls);
    const passes = await network.prisma.job.findMany({ where: { kind: "sync-collections", lane: DEPENDENT } });
    expect(passes.length).toBeGreaterThanOrEqual(1);
    expect(passes.every((job) => job.status === "succeeded")).toBe(true);

    const local = (await control.snapshot(DEPENDENT)).collections.find((c) => c.title === "Local picks")!;
    await control.updateCollection(DEPENDENT, local.id, { title: "Our picks" });
    await network.idle();
    expect(await network.prisma.job.count({ where: { kind: "sync-collections" } })).toBe(passes.length);
    expect((await collectionsOf(DEPENDENT)).map((c) => c.title)).toContain("Our picks");
  });
});

describe("selection by collection (seed 003)", () => {
  test("only products in the chosen collection sync; a bad collection id is refused", async () => {
    const refused = await network.post(PRIMARY, "/app/settings", { intent: "save-selection", tag: "", collectionId: "gid://shopify/Product/1" });
    expect(refused.shown).toContain("Choose one of this store");
    const saved = await network.post(PRIMARY, "/app/settings", { intent: "save-selection", tag: "", collectionId: ids.Winter });
    expect(saved.shown).toContain("Only products in the chosen collection sync from now on. A full sync applies it now");
    await network.idle();
    // Sandals, synced before, left the selection: no longer synced, its copy stays.
    const applied = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: DEPENDENT }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(applied.result!)).toMatchObject({ notSelected: 1, unlinked: 1 });
    expect(await network.prisma.syncLog.count({ where: { dependentShop: DEPENDENT, action: "unlinked", primaryProductId: ids.Sandals } })).toBe(1);
    expect((await network.sim.control.snapshot(DEPENDENT)).products.map((p) => p.title)).toContain("Sandals");
    const { control } = network.sim;
    await control.createProduct(PRIMARY, { title: "Beach towel", variants: [{ sku: "TOWEL", price: "9.00" }] });
    const gloves = await control.createProduct(PRIMARY, { title: "Gloves", variants: [{ sku: "GLOVE", price: "12.00" }] });
    await control.updateCollection(PRIMARY, ids.Winter, { addProductIds: [gloves.id] });
    await syncAll(network, PRIMARY);
    const titles = (await network.sim.control.snapshot(DEPENDENT)).products.map((p) => p.title);
    expect(titles).toContain("Gloves");
    expect(titles).not.toContain("Beach towel");
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: DEPENDENT }, orderBy: { createdAt: "desc" } });
    // Sandals and Beach towel are not in Winter (Hat joined it in the test before).
    expect(JSON.parse(job.result!).notSelected).toBe(2);
  });
});
