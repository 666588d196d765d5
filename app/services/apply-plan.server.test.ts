import { afterAll, beforeAll, expect, test } from "vitest";
import { simulatorWithStore } from "../../sim/test-helpers";
import { useTestAppEnv } from "../../tests/setup/app-env";
import { DEFAULT_API_VERSION } from "../shopify/api-version";

await useTestAppEnv();
const { AdminGateway } = await import("../shopify/gateway.server");
const { InventoryWriter } = await import("./apply-plan.server");

let store: Awaited<ReturnType<typeof simulatorWithStore>>;
beforeAll(async () => {
  store = await simulatorWithStore({ shop: "writer-dependent.myshopify.com" });
  await store.sim.control.seed(store.shop, { products: 1, variantsPerProduct: 1, seed: 2 });
});
afterAll(() => store?.sim.close());

test("a write refused as stale whose answer was lost is read again and sent under a new key, never given up", async () => {
  const snapshot = await store.sim.control.snapshot(store.shop);
  const variant = snapshot.products[0].variants[0];
  const warehouse = snapshot.locations.find((location) => location.name === "Warehouse")!;
  const before = variant.quantities.Warehouse.available;
  // The dependent sold one since Tandem read its level: the write's expected quantity is stale.
  await store.sim.control.setInventory(store.shop, { sku: variant.sku!, location: "Warehouse", delta: -1 });
  const gateway = new AdminGateway({ shop: store.shop, accessToken: store.accessToken, apiVersion: DEFAULT_API_VERSION, adminOrigin: store.sim.origin, sleep: async () => {} });
  const logged: unknown[] = [];
  const writer = new InventoryWriter(gateway, async (entries) => void logged.push(...entries), { primaryShop: "writer-primary.myshopify.com", dependentShop: store.shop, jobId: "job-1" });
  // The first answer is lost: the gateway resends the same request, key included, and Shopify
  // answers that this key's attempt failed (it was refused as stale).
  await store.sim.control.setChaos({ lostResponseNext: 1, lostResponseFields: ["inventorySetQuantities"] });
  try {
    await writer.add([{ inventoryItemId: variant.inventoryItemId, locationId: warehouse.id, quantity: 25, changeFromQuantity: before, sku: variant.sku!, productTitle: "P", primaryProductId: "gid://shopify/Product/1" }]);
    await writer.flush();
  } finally {
    await store.sim.control.setChaos({ lostResponseNext: 0, lostResponseFields: [] });
  }
  expect((await store.sim.control.stats(store.shop)).api.lostResponses).toBe(1);
  expect((await store.sim.control.snapshot(store.shop)).products[0].variants[0].quantities.Warehouse.available).toBe(25);
  expect(writer.readAgain).toBe(1);
});
