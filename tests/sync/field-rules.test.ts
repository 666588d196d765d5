import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

// Issue 36, item 1: each dependent chooses, field by field, what it takes of the primary's
// products: always, on first import only, or never. One store chooses against seed 000's defaults
// on every field it can; the other keeps the defaults. Each assertion fails if its choice is ignored.
const PRIMARY = "fields-primary.myshopify.com";
const CHOOSY = "fields-choosy.myshopify.com";
const PLAIN = "fields-plain.myshopify.com";
const CHOSEN = { title: "first", description: "always", images: "never", tags: "always", vendor: "always", productType: "first", barcode: "always", compareAtPrice: "never" };
let network: SyncNetwork;
let lampId = "";

async function copyIn(shop: string) {
  await network.idle();
  const copy = (await network.sim.control.snapshot(shop)).products.find((product) => product.variants.some((variant) => variant.sku === "LAMP"));
  if (!copy) throw new Error(`no copy of LAMP in ${shop}`);
  return { ...copy, variant: copy.variants[0] };
}

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  await control.createStore({ domain: PRIMARY, locations: ["Warehouse"] });
  await control.createStore({ domain: CHOOSY, locations: ["Main"] });
  await control.createStore({ domain: PLAIN, locations: ["Main"] });
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
    expect(entry.message).toBe("Updated description, vendor, tags of “Desk lamp II”; left as this store chose: title, productType, compareAtPrice, images");

    const plain = await copyIn(PLAIN);
    expect(plain).toMatchObject({ title: "Desk lamp II", descriptionHtml: "<p>Warm light</p>", tags: ["tandem"] });
    expect(plain.vendor).not.toBe("Lumen Studio");
  });
});
