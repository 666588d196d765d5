import { afterAll, beforeAll, expect, test } from "vitest";
import { simulatorWithStore } from "../../sim/test-helpers";
import { DEFAULT_API_VERSION } from "./api-version";
import { AdminGateway } from "./gateway.server";
import { readInventoryItems } from "./store-reader.server";

let store: Awaited<ReturnType<typeof simulatorWithStore>>;

beforeAll(async () => {
  store = await simulatorWithStore({ shop: "reader.myshopify.com" });
});

afterAll(async () => {
  await store?.sim.close();
});

test("an item stocked at more locations than asked for is read again in full, never cut short", async () => {
  const product = await store.sim.control.createProduct(store.shop, { title: "Everywhere", variants: [{ sku: "EVERY", price: "1.00" }] });
  await store.sim.control.setInventory(store.shop, { sku: "EVERY", location: "Warehouse", available: 4 });
  await store.sim.control.setInventory(store.shop, { sku: "EVERY", location: "Shop", available: 6 });
  const itemId = (await store.sim.control.snapshot(store.shop)).products.find((p) => p.id === product.id)!.variants[0].inventoryItemId;
  const gateway = new AdminGateway({ shop: store.shop, accessToken: store.accessToken, apiVersion: DEFAULT_API_VERSION, adminOrigin: store.sim.origin });

  // As if the store listed one location (a fulfillment service's are not listed).
  const items = await readInventoryItems(gateway, [itemId], { locationCount: 1 });
  expect(Object.values(items.get(itemId)!.available).sort()).toEqual([4, 6]);
  expect(gateway.stats.requests).toBe(2);
  // With room for every level, one read.
  expect(Object.values((await readInventoryItems(gateway, [itemId], { locationCount: 2 })).get(itemId)!.available).sort()).toEqual([4, 6]);
  expect(gateway.stats.requests).toBe(3);
});
