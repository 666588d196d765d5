import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { choosePlan, connectStores, type SyncNetwork, startSyncNetwork, syncAll } from "../setup/sync-network";

// Issue 36, item 1: each dependent chooses, field by field, what it takes of the primary's
// products: always, on first import only, or never. One store chooses against seed 000's defaults
// on every field it can; the other keeps the defaults. Each assertion fails if its choice is ignored.
const PRIMARY = "fields-primary.myshopify.com";
const CHOOSY = "fields-choosy.myshopify.com";
const PLAIN = "fields-plain.myshopify.com";
const LATE = "fields-late.myshopify.com";
const CHOSEN = {
  title: "first", description: "always", images: "never", tags: "always", vendor: "always", productType: "first", barcode: "always", compareAtPrice: "never",
  seo: "always", handle: "first", optionNames: "first", inventoryPolicy: "always", weight: "first", unitCost: "always",
};
let network: SyncNetwork;
let lampId = "";

async function copyIn(shop: string, sku = "LAMP") {
  await network.idle();
  const copy = (await network.sim.control.snapshot(shop)).products.find((product) => product.variants.some((variant) => variant.sku === sku));
  if (!copy) throw new Error(`no copy of ${sku} in ${shop}`);
  return { ...copy, variant: copy.variants[0] };
}

beforeAll(async () => {
  // Sync all writes two or more new products in one bulk operation (the last test's path).
  network = await startSyncNetwork({ TANDEM_BULK_WRITE_THRESHOLD: "2" });
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: CHOOSY, locations: ["Main"] });
  await control.createStore({ domain: PLAIN, locations: ["Main"] });
  await control.createStore({ domain: LATE, locations: ["Main"] });
  await connectStores(network, PRIMARY, [
    { shop: CHOOSY, preferences: { fieldRules: JSON.stringify(CHOSEN) } },
    { shop: PLAIN },
  ]);
  await network.startWorker();
  await network.idle();
  lampId = (await control.createProduct(PRIMARY, {
    title: "Desk lamp", descriptionHtml: "<p>Warm light</p>", vendor: "Lumen", productType: "Lighting", tags: ["Home", "Light"], status: "ACTIVE",
    images: [{ url: "https://cdn.example/lamp.jpg", alt: "Lamp" }],
    variants: [{ sku: "LAMP", price: "40.00", compareAtPrice: "50.00", barcode: "4006381333931" }],
  })).id;
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

describe("field by field", () => {
  test("the choices are saved with the preferences, and a bad one is refused with nothing saved", async () => {
    const saved = await network.prisma.syncPreferences.findUniqueOrThrow({ where: { dependentShop: CHOOSY } });
    expect(JSON.parse(saved.fieldRules)).toEqual(CHOSEN);
    const refused = await network.post(PLAIN, "/app/settings", {
      intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true", fieldRules: JSON.stringify({ title: "never" }),
    });
    expect(refused.shown).toContain("The field choices were not understood.");
    expect((await network.prisma.syncPreferences.findUniqueOrThrow({ where: { dependentShop: PLAIN } })).fieldRules).toBe("{}");
  });

  test("a new product: each store's copy takes what it chose on creation", async () => {
    const choosy = await copyIn(CHOOSY);
    expect(choosy).toMatchObject({ title: "Desk lamp", descriptionHtml: "<p>Warm light</p>", vendor: "Lumen", productType: "Lighting", images: [] });
    expect([...choosy.tags].sort()).toEqual(["Home", "Light", "tandem"]);
    expect(choosy.variant).toMatchObject({ price: "40.00", compareAtPrice: null, barcode: "4006381333931" });

    // The defaults (seed 000): the description on creation; no vendor, type, tags or barcode.
    const plain = await copyIn(PLAIN);
    expect(plain).toMatchObject({ title: "Desk lamp", descriptionHtml: "<p>Warm light</p>", tags: ["tandem"], images: [expect.any(String)] });
    expect(plain.vendor).not.toBe("Lumen");
    expect(plain.productType).toBe("");
    expect(plain.variant).toMatchObject({ compareAtPrice: "50.00", barcode: null });
  });

  test("an edit on the primary: 'always' follows it, 'on first import only' and 'never' stay, and the log names what stayed", async () => {
    await network.sim.control.updateProduct(PRIMARY, lampId, {
      title: "Desk lamp II", descriptionHtml: "<p>Warmer light</p>", vendor: "Lumen Studio", productType: "Lamps", tags: ["Home", "Sale"],
    });
    const choosy = await copyIn(CHOOSY);
    expect(choosy).toMatchObject({ title: "Desk lamp", descriptionHtml: "<p>Warmer light</p>", vendor: "Lumen Studio", productType: "Lighting" });
    expect([...choosy.tags].sort()).toEqual(["Home", "Sale", "tandem"]);
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: CHOOSY, action: "updated" }, orderBy: { createdAt: "desc" } });
    expect(entry.message).toBe("Updated description, vendor, tags of “Desk lamp II”; left as this store chose: title, product type, compare-at price, images");

    const plain = await copyIn(PLAIN);
    expect(plain).toMatchObject({ title: "Desk lamp II", descriptionHtml: "<p>Warm light</p>", tags: ["tandem"] });
    expect(plain.vendor).not.toBe("Lumen Studio");
  });
});

describe("field by field: SEO, handle, option names, inventory policy, weight and unit cost", () => {
  let kettleId = "";
  let kettleVariantId = "";

  test("a new product: the choosy store's copy takes each of them; the defaults take none", async () => {
    const created = await network.sim.control.createProduct(PRIMARY, {
      title: "Kettle", handle: "steel-kettle", seo: { title: "Kettle | Steel", description: "Boils fast" }, status: "ACTIVE",
      options: [{ name: "Colour", values: ["Steel"] }],
      variants: [{ sku: "KETTLE", options: ["Steel"], price: "30.00", inventoryPolicy: "CONTINUE", cost: "12.00", weight: { value: 1.2, unit: "KILOGRAMS" } }],
    });
    kettleId = created.id;
    kettleVariantId = created.variants[0];
    const choosy = await copyIn(CHOOSY, "KETTLE");
    expect(choosy).toMatchObject({ handle: "steel-kettle", seo: { title: "Kettle | Steel", description: "Boils fast" }, options: [{ name: "Colour", values: ["Steel"] }] });
    expect(choosy.variant).toMatchObject({ inventoryPolicy: "CONTINUE", unitCost: "12.00", weight: { value: 1.2, unit: "KILOGRAMS" } });

    const plain = await copyIn(PLAIN, "KETTLE");
    expect(plain).toMatchObject({ handle: "kettle", seo: { title: null, description: null }, options: [{ name: "Colour" }] });
    expect(plain.variant).toMatchObject({ inventoryPolicy: "DENY", unitCost: null, weight: null });
  });

  test("an edit on the primary: SEO, inventory policy and cost follow; handle, option names and weight stay, and the log names them", async () => {
    // One sync sees every edit: the worker is stopped while they are made.
    await network.idle();
    await network.killWorkers();
    const since = new Date();
    await network.sim.control.updateVariant(PRIMARY, kettleVariantId, { inventoryPolicy: "DENY", cost: "13.50", weight: { value: 1.5, unit: "KILOGRAMS" } });
    await network.sim.control.updateProduct(PRIMARY, kettleId, { seo: { title: "Kettle | Brushed steel" }, handle: "brushed-kettle", optionNames: ["Finish"] });
    await network.ensureWorker();
    const choosy = await copyIn(CHOOSY, "KETTLE");
    expect(choosy).toMatchObject({ handle: "steel-kettle", seo: { title: "Kettle | Brushed steel", description: "Boils fast" }, options: [{ name: "Colour", values: ["Steel"] }] });
    expect(choosy.variant).toMatchObject({ inventoryPolicy: "DENY", unitCost: "13.50", weight: { value: 1.2, unit: "KILOGRAMS" } });
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: CHOOSY, action: "updated", productTitle: "Kettle", createdAt: { gte: since } }, orderBy: { createdAt: "asc" } });
    expect(entry.message).toBe("Updated SEO, inventory policy, cost per item of “Kettle”; left as this store chose: handle, option names, weight");
    // The entry's page lists the fields written in words too.
    const page = await network.page(CHOOSY, `/app/sync-log/${entry.id}`);
    expect(page.html).toContain("SEO, inventory policy, cost per item");

    // The defaults: option names follow the primary; nothing else of these moves.
    const plain = await copyIn(PLAIN, "KETTLE");
    expect(plain).toMatchObject({ handle: "kettle", seo: { title: null, description: null }, options: [{ name: "Finish", values: ["Steel"] }] });
    expect(plain.variant).toMatchObject({ inventoryPolicy: "DENY", unitCost: null, weight: null });
  });

  test("a handle another product of the store has: the copy is made with a handle of its own, and the log says why", async () => {
    await network.sim.control.createProduct(CHOOSY, { title: "Our mug", handle: "mug", variants: [{ sku: "OWN-MUG" }] });
    await network.sim.control.createProduct(PRIMARY, { title: "Mug", handle: "mug", status: "ACTIVE", variants: [{ sku: "MUG", price: "8.00" }] });
    const choosy = await copyIn(CHOOSY, "MUG");
    expect(choosy.handle).toBe("mug-1");
    const note = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: CHOOSY, productTitle: "Mug", action: "skipped" } });
    expect(note.message).toBe("“Mug” keeps this store's own handle: “mug” belongs to another product here");
    expect(await network.prisma.syncLog.count({ where: { dependentShop: CHOOSY, productTitle: "Mug", action: "created" } })).toBe(1);
    expect((await copyIn(PLAIN, "MUG")).handle).toBe("mug");
  });
});

describe("field by field in a Sync all's bulk write", () => {
  test("a store that joins later takes the handles it chose; one taken there is written again without it", async () => {
    await network.sim.control.createProduct(LATE, { title: "Their mug", handle: "mug", variants: [{ sku: "LATE-MUG" }] });
    const key = (await network.load(PRIMARY, "/app/settings")).text.match(/TNDM(-[0-9A-Z]{4}){8}/)![0];
    expect((await network.post(LATE, "/app/onboarding", { intent: "choose-role", role: "dependent" })).status).toBe(200);
    // A third dependent: past the Free plan's two.
    await choosePlan(network, PRIMARY, "plus");
    expect((await network.post(LATE, "/app/onboarding", { intent: "connect-key", key })).status).toBe(200);
    const saved = await network.post(LATE, "/app/settings", {
      intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true", fieldRules: JSON.stringify({ handle: "always" }),
    });
    expect(saved.shown).toContain("Preferences saved");
    await syncAll(network, PRIMARY);
    const run = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: LATE } });
    expect(run.result).toContain('"bulkWrites":1');
    expect((await copyIn(LATE, "KETTLE")).handle).toBe("brushed-kettle");
    expect((await copyIn(LATE, "LAMP")).handle).toBe("desk-lamp");
    expect((await copyIn(LATE, "MUG")).handle).toBe("mug-1");
    const note = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: LATE, productTitle: "Mug", action: "skipped" } });
    expect(note.message).toBe("“Mug” keeps this store's own handle: “mug” belongs to another product here");
  });
});
