import { afterAll, beforeAll, expect, test } from "vitest";
import { simulatorWithStore } from "../../sim/test-helpers";
import { useTestAppEnv } from "../../tests/setup/app-env";
import { DEFAULT_API_VERSION } from "../shopify/api-version";

await useTestAppEnv();
const { AdminGateway } = await import("../shopify/gateway.server");
const { InventoryWriter } = await import("./apply-plan.server");
const { english } = await import("../i18n");

let store: Awaited<ReturnType<typeof simulatorWithStore>>;
beforeAll(async () => {
  store = await simulatorWithStore({ shop: "writer-dependent.myshopify.com" });
  await store.sim.control.seed(store.shop, { products: 1, variantsPerProduct: 1, seed: 2 });
});
afterAll(() => store?.sim.close());

function storeVariant(snapshot: Awaited<ReturnType<typeof store.sim.control.snapshot>>) {
  const variant = snapshot.products[0].variants[0];
  const warehouse = snapshot.locations.find((location) => location.name === "Warehouse")!;
  /** A write of the store's one variant at its warehouse, planned against `changeFromQuantity`. */
  const level = (quantity: number, changeFromQuantity: number) => ({
    inventoryItemId: variant.inventoryItemId, locationId: warehouse.id, quantity, changeFromQuantity, sku: variant.sku!, productTitle: "P", primaryProductId: "gid://shopify/Product/1",
  });
  return { variant, level };
}

function writerOf(logged: { message: string }[]) {
  const gateway = new AdminGateway({ shop: store.shop, accessToken: store.accessToken, apiVersion: DEFAULT_API_VERSION, adminOrigin: store.sim.origin, sleep: async () => {} });
  return new InventoryWriter(gateway, async (entries) => void logged.push(...entries.map((entry) => ({ message: english.text(entry.message) }))), { primaryShop: "writer-primary.myshopify.com", dependentShop: store.shop, jobId: "job-1" });
}

async function requestsOf(operation: string): Promise<number> {
  return (await store.sim.control.stats(store.shop)).api.operations[operation]?.requests ?? 0;
}

test("a level the store changed since Tandem set it is set from the primary in one request, and the log says what it replaced", async () => {
  const { variant, level } = storeVariant(await store.sim.control.snapshot(store.shop));
  const logged: { message: string }[] = [];
  const writer = writerOf(logged);
  await writer.add([level(20, variant.quantities.Warehouse.available)]);
  await writer.flush();
  // The dependent sells one before its webhook tells Tandem: the base Tandem knows (20) is stale.
  await store.sim.control.setInventory(store.shop, { sku: variant.sku!, location: "Warehouse", delta: -1 });
  const [writesBefore, readsBefore] = [await requestsOf("TandemInventorySet"), await requestsOf("TandemInventoryLevels")];
  await writer.add([level(25, 20)]);
  await writer.flush();
  // The primary is the source of truth for a dependent's stock: no compare-and-set to fail, no read.
  expect([await requestsOf("TandemInventorySet") - writesBefore, await requestsOf("TandemInventoryLevels") - readsBefore]).toEqual([1, 0]);
  expect(storeVariant(await store.sim.control.snapshot(store.shop)).variant.quantities.Warehouse.available).toBe(25);
  expect(logged.map((entry) => entry.message)).toEqual([expect.stringMatching(/had changed here \(20 → 19.*\).*25/)]);
  expect(writer.foundChanged).toBe(1);
});

test("a write whose answer was lost is sent again under its key and applied once, and what it replaced is still logged", async () => {
  const { variant, level } = storeVariant(await store.sim.control.snapshot(store.shop));
  const logged: { message: string }[] = [];
  const writer = writerOf(logged);
  await writer.add([level(30, variant.quantities.Warehouse.available)]);
  await writer.flush();
  await store.sim.control.setInventory(store.shop, { sku: variant.sku!, location: "Warehouse", delta: -1 });
  // The first answer is lost: the gateway resends the same request, key included, and Shopify
  // answers with the result of the write it ran.
  await store.sim.control.setChaos({ lostResponseNext: 1, lostResponseFields: ["inventorySetQuantities"] });
  try {
    await writer.add([level(35, 30)]);
    await writer.flush();
  } finally {
    await store.sim.control.setChaos({ lostResponseNext: 0, lostResponseFields: [] });
  }
  expect((await store.sim.control.stats(store.shop)).api.lostResponses).toBe(1);
  expect(storeVariant(await store.sim.control.snapshot(store.shop)).variant.quantities.Warehouse.available).toBe(35);
  expect(logged.map((entry) => entry.message)).toEqual([expect.stringMatching(/had changed here \(30 → 29.*\).*35/)]);
});
