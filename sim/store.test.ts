import { describe, expect, it } from "vitest";
import { seedCatalogue } from "./seed";
import { SimWorld } from "./world";

// The compact storage behind issue 4's memory target must behave like the maps it replaced.
describe("compact catalogue storage", () => {
  const world = new SimWorld(() => new Date("2026-11-23T10:00:00.000Z"));
  const store = world.createStore({ domain: "compact.myshopify.com", locations: ["Warehouse", "Shop"] });
  const [warehouse, shop] = [...store.locations.values()];
  seedCatalogue(world, store, { products: 3, variantsPerProduct: 2, seed: 7 });
  const variants = [...store.variants.values()];

  it("finds each inventory item by its own id, and nothing by a variant's id", () => {
    for (const variant of variants) {
      expect(store.inventoryItems.get(variant.inventoryItem.id)).toBe(variant.inventoryItem);
      expect(store.inventoryItems.get(variant.id)).toBeUndefined();
    }
    const product = store.products.get(variants[0].productId)!;
    const removed = variants[0];
    world.removeVariant(store, product, removed.id);
    expect(store.inventoryItems.has(removed.inventoryItem.id)).toBe(false);
    expect(store.inventoryItems.has(variants[1].inventoryItem.id)).toBe(true);
  });

  it("keeps each location's quantities and time apart, and a level read before an edit sees the edit", () => {
    const item = variants[2].inventoryItem;
    const atShop = item.levels.get(shop.id)!;
    world.setQuantity(store, item, warehouse.id, "available", 11);
    world.adjustQuantity(store, item, shop.id, "committed", 2);
    world.adjustQuantity(store, item, shop.id, "reserved", 1);
    expect(item.levels.get(warehouse.id)).toMatchObject({ available: 11, committed: 0, reserved: 0 });
    expect(atShop.committed).toBe(2);
    expect(world.quantity(atShop, "on_hand")).toBe(atShop.available + 3);
    expect(atShop.updatedAt).toBe("2026-11-23T10:00:00.000Z");
    expect(item.levels.keys()).toEqual([warehouse.id, shop.id]);
  });

  it("adds a level for a new location without disturbing the others", () => {
    const item = variants[3].inventoryItem;
    const before = item.levels.get(warehouse.id)!.available;
    const popUp = world.addLocation(store, "Pop-up");
    item.levels.set(popUp.id, { available: 4, committed: 0, incoming: 1, reserved: 0, updatedAt: "2026-11-23T11:00:00.000Z" });
    expect(item.levels.size).toBe(3);
    expect(item.levels.get(popUp.id)).toMatchObject({ available: 4, incoming: 1, updatedAt: "2026-11-23T11:00:00.000Z" });
    expect(item.levels.get(warehouse.id)!.available).toBe(before);
  });

  it("shares option lists and prices between variants without letting one variant's edit reach another", () => {
    const [first, second] = [...store.products.values()].slice(1).map((p) => store.variantsOf(p)[0]);
    expect(first.selectedOptions).toBe(second.selectedOptions);
    expect(Object.isFrozen(first.selectedOptions)).toBe(true);
    const product = store.products.get(second.productId)!;
    world.updateVariant(store, product, { id: second.id, price: "19.99" });
    expect(second.price).toBe("19.99");
    expect(first.price).not.toBe("19.99");
  });
});

describe("media", () => {
  it("made from a URL is served from the store's own CDN: the same picture has another URL in each store", () => {
    const world = new SimWorld();
    const first = world.createStore({ domain: "media-first.myshopify.com" });
    const second = world.createStore({ domain: "media-second.myshopify.com" });
    const source = { url: "https://images.example.com/catalogue/tee.jpg?size=large", alt: "Tee" };
    const [a] = world.createProduct(first, { title: "Tee", images: [source] }).media;
    const [b] = world.createProduct(second, { title: "Tee", images: [source] }).media;
    for (const media of [a, b]) {
      expect(media.url).toMatch(/^https:\/\/cdn\.shopify\.com\/s\/files\/1\/\d{4}\/files\/tee\.jpg\?v=\d+$/);
      expect(media.alt).toBe("Tee");
    }
    expect(a.url).not.toBe(b.url);
    expect(a.url).not.toBe(source.url);
    // Sent again, even its own URL makes a new copy.
    const [again] = world.updateProduct(first, world.createProduct(first, { title: "Cap" }).id, { images: [{ url: a.url }] }).media;
    expect(again.url).not.toBe(a.url);
    expect(again.url).toMatch(/\/files\/tee\.jpg\?v=\d+$/);
    // A source that is not a URL still makes media (Shopify reports the failed download later).
    const [unnamed] = world.createProduct(first, { title: "Hat", images: [{ url: "not a url" }] }).media;
    expect(unnamed.url).toMatch(/\/files\/image\?v=\d+$/);
  });
});
