import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { IDEMPOTENCY_WINDOW_MS, IdempotencyKeys } from "./graphql/idempotency";
import { simulatorWithStore } from "./test-helpers";

let env: Awaited<ReturnType<typeof simulatorWithStore>>;
let item: string;
/** An item of its own for the test that stops stocking it at the warehouse. */
let unstockedItem: string;
let warehouse: string;

beforeAll(async () => {
  env = await simulatorWithStore({ shop: "versions.myshopify.com" });
  await env.sim.control.seed(env.shop, { products: 3, variantsPerProduct: 2, seed: 5 });
  const snapshot = await env.sim.control.snapshot(env.shop);
  item = snapshot.products[0].variants[0].inventoryItemId;
  unstockedItem = snapshot.products[1].variants[0].inventoryItemId;
  warehouse = snapshot.locations.find((l) => l.name === "Warehouse")!.id;
});
afterAll(() => env.sim.close());

async function available(): Promise<number> {
  const snapshot = await env.sim.control.snapshot(env.shop);
  return snapshot.products[0].variants[0].quantities.Warehouse.available;
}

const at2026 = (query: string, variables: Record<string, unknown>) => env.graphql(query, variables, env.accessToken, "2026-10");

const ADJUST_2026 = `mutation Adjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { changes { delta quantityAfterChange } }
    userErrors { code field message }
  }
}`;
const SET_2026 = `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { code field message } }
}`;
const adjustInput = (delta: number, changeFromQuantity: number | null | "omitted" = null) => ({
  name: "available", reason: "correction",
  changes: [{ inventoryItemId: item, locationId: warehouse, delta, ...(changeFromQuantity === "omitted" ? {} : { changeFromQuantity }) }],
});

describe("Admin API 2026-10", () => {
  test("an inventory mutation without @idempotent fails as Shopify's does, and writes nothing", async () => {
    const before = await available();
    const { body } = await at2026(
      `mutation Adjust($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) { userErrors { code } } }`,
      { input: adjustInput(-1) },
    );
    expect(body.errors).toEqual([expect.objectContaining({
      message: "The @idempotent directive is required for this mutation but was not provided.", extensions: { code: "BAD_REQUEST" },
    })]);
    expect(await available()).toBe(before);
  });

  test("changeFromQuantity must be given (null opts out); a stale one is refused", async () => {
    const before = await available();
    const missing = await at2026(ADJUST_2026, { input: adjustInput(-1, "omitted"), key: "k-missing" });
    expect(missing.body.errors).toEqual([expect.objectContaining({
      message: "InventoryChangeInput must include the following argument: changeFromQuantity.", extensions: { code: "INVALID_FIELD_ARGUMENTS" },
    })]);
    const stale = await at2026(ADJUST_2026, { input: adjustInput(-1, before + 5), key: "k-stale" });
    expect(stale.body.data!.inventoryAdjustQuantities.userErrors).toEqual([{
      code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "changes", "0", "changeFromQuantity"], message: "The changeFromQuantity argument no longer matches the persisted quantity.",
    }]);
    const setMissing = await at2026(SET_2026, { input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: item, locationId: warehouse, quantity: 3 }] }, key: "k-set" });
    expect(setMissing.body.errors).toEqual([expect.objectContaining({ extensions: { code: "INVALID_FIELD_ARGUMENTS" } })]);
    expect(await available()).toBe(before);
    const matching = await at2026(SET_2026, { input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: item, locationId: warehouse, quantity: before + 2, changeFromQuantity: before }] }, key: "k-set-ok" });
    expect(matching.body.data!.inventorySetQuantities.userErrors).toEqual([]);
    expect(await available()).toBe(before + 2);
  });

  test("the same idempotency key applies a change once; other parameters under that key are refused; a new key applies again", async () => {
    const before = await available();
    const first = await at2026(ADJUST_2026, { input: adjustInput(-2), key: "sale-1" });
    const replay = await at2026(ADJUST_2026, { input: adjustInput(-2), key: "sale-1" });
    expect(replay.body.data).toEqual(first.body.data);
    expect(first.body.data!.inventoryAdjustQuantities.inventoryAdjustmentGroup.changes).toEqual([{ delta: -2, quantityAfterChange: before - 2 }]);
    expect(await available()).toBe(before - 2);

    const mismatch = await at2026(ADJUST_2026, { input: adjustInput(-3), key: "sale-1" });
    expect(mismatch.body.data!.inventoryAdjustQuantities.userErrors).toEqual([
      { code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", field: null, message: "The same idempotency key cannot be used with different operation parameters." },
    ]);
    await at2026(ADJUST_2026, { input: adjustInput(-2), key: "sale-2" });
    expect(await available()).toBe(before - 4);
  });

  test("a failed attempt's key cannot be reused", async () => {
    const before = await available();
    const stale = await at2026(ADJUST_2026, { input: adjustInput(1, before + 9), key: "failed-once" });
    expect(stale.body.data!.inventoryAdjustQuantities.userErrors[0].code).toBe("CHANGE_FROM_QUANTITY_STALE");
    const again = await at2026(ADJUST_2026, { input: adjustInput(1, before + 9), key: "failed-once" });
    expect(again.body.data!.inventoryAdjustQuantities.userErrors[0].code).toBe("IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED");
  });

  test("a response lost after the write: the retry with the same key is recognised", async () => {
    const before = await available();
    env.sim.chaos.lostResponseRate = 1;
    await expect(at2026(ADJUST_2026, { input: adjustInput(-1), key: "lost-1" })).rejects.toThrow();
    env.sim.chaos.lostResponseRate = 0;
    expect(await available()).toBe(before - 1);
    await at2026(ADJUST_2026, { input: adjustInput(-1), key: "lost-1" });
    expect(await available()).toBe(before - 1);
    expect((await env.sim.control.stats(env.shop)).api.lostResponses).toBe(1);
  });

  test("stock written where the item is not stocked is taken into an inactive level, listed only with includeInactive", async () => {
    await env.sim.control.setInventory(env.shop, { inventoryItemId: unstockedItem, location: "Warehouse", stocked: false });
    const level = `query Level($item: ID!, $location: ID!) { inventoryItem(id: $item) {
      active: inventoryLevel(locationId: $location) { quantities(names: ["available"]) { quantity } }
      any: inventoryLevel(locationId: $location, includeInactive: true) { quantities(names: ["available"]) { quantity } }
    } }`;
    const set = await at2026(SET_2026, { input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: unstockedItem, locationId: warehouse, quantity: 7, changeFromQuantity: null }] }, key: "k-unstocked" });
    expect(set.body.data!.inventorySetQuantities.userErrors).toEqual([]);
    const { body } = await at2026(level, { item: unstockedItem, location: warehouse });
    expect(body.data!.inventoryItem).toEqual({ active: null, any: { quantities: [{ quantity: 7 }] } });
    // The same write at 2026-01 is refused.
    const at202601 = await env.graphql(SET_2026, { input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: unstockedItem, locationId: warehouse, quantity: 8, changeFromQuantity: null }] }, key: "k-unstocked-01" }, env.accessToken, "2026-01");
    expect(at202601.body.data!.inventorySetQuantities.userErrors).toEqual([
      { code: "ITEM_NOT_STOCKED_AT_LOCATION", field: ["locationId"], message: "The specified inventory item is not stocked at the location." },
    ]);
  });

  test("bulk queries: ungrouped by default (children may come first), grouped on request, several at once", async () => {
    const query = `{ products { edges { node { id variants { edges { node { id } } } } } } }`;
    const run = (groupObjects?: boolean) => at2026(
      `mutation Run($query: String!${groupObjects === undefined ? "" : ", $group: Boolean!"}) { bulkOperationRunQuery(query: $query${groupObjects === undefined ? "" : ", groupObjects: $group"}) { bulkOperation { id } userErrors { code } } }`,
      { query, ...(groupObjects === undefined ? {} : { group: groupObjects }) },
    );
    const ungrouped = await run();
    const grouped = await run(true);
    expect(grouped.body.data!.bulkOperationRunQuery.userErrors).toEqual([]);
    const linesOf = async (id: string) => {
      for (let i = 0; i < 200; i++) {
        const { body } = await at2026(`query Op($id: ID!) { node(id: $id) { ... on BulkOperation { status url } } }`, { id });
        if (body.data!.node.status === "COMPLETED") return (await fetch(body.data!.node.url).then((r) => r.text())).trim().split("\n").map((l) => JSON.parse(l));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error("bulk query did not finish");
    };
    const firstParentIndex = (lines: Array<Record<string, unknown>>) => lines.findIndex((line) => !line.__parentId);
    const groupedLines = await linesOf(grouped.body.data!.bulkOperationRunQuery.bulkOperation.id);
    const ungroupedLines = await linesOf(ungrouped.body.data!.bulkOperationRunQuery.bulkOperation.id);
    expect(firstParentIndex(groupedLines)).toBe(0);
    expect(firstParentIndex(ungroupedLines)).toBeGreaterThan(0);
    expect(new Set(ungroupedLines.map((l) => JSON.stringify(l)))).toEqual(new Set(groupedLines.map((l) => JSON.stringify(l))));
  });
});

describe("Admin API 2026-01 (the oldest supported)", () => {
  const at202601 = (query: string, variables: Record<string, unknown>) => env.graphql(query, variables, env.accessToken, "2026-01");

  test("the idempotency key is optional and honoured when given; changeFromQuantity is optional on adjustments", async () => {
    const before = await available();
    const noKey = await at202601(
      `mutation Adjust($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) { userErrors { code } } }`,
      { input: adjustInput(-1, "omitted") },
    );
    expect(noKey.body.data!.inventoryAdjustQuantities.userErrors).toEqual([]);
    await at202601(ADJUST_2026, { input: adjustInput(-1), key: "old-1" });
    await at202601(ADJUST_2026, { input: adjustInput(-1), key: "old-1" });
    expect(await available()).toBe(before - 2);
  });

  test("a set naming no expected quantity is refused (compareQuantity is required there and not simulated)", async () => {
    const { body } = await at202601(SET_2026, { input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: item, locationId: warehouse, quantity: 3 }] }, key: "old-set" });
    expect(body.data!.inventorySetQuantities.userErrors).toEqual([expect.objectContaining({ code: "COMPARE_QUANTITY_REQUIRED" })]);
  });

  test("a request for a version out of support is answered by the oldest supported one, and says so", async () => {
    const response = await fetch(env.sim.graphqlUrl(env.shop, "2025-01"), {
      method: "POST", headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": env.accessToken },
      body: JSON.stringify({ query: "{ inventoryItem(id: \"" + item + "\") { inventoryLevel(locationId: \"" + warehouse + "\", includeInactive: true) { id } } }" }),
    });
    expect(response.headers.get("x-shopify-api-version")).toBe("2026-01");
    expect(JSON.stringify(await response.json())).toContain('Unknown argument \\"includeInactive\\"');
    expect((await fetch(env.sim.graphqlUrl(env.shop, "2027-04"), { method: "POST", headers: { "X-Shopify-Access-Token": env.accessToken }, body: "{}" })).status).toBe(404);
  });
});

describe("idempotency keys", () => {
  test("expire after 24 hours and are per store", () => {
    let now = 0;
    const keys = new IdempotencyKeys(() => now);
    let writes = 0;
    const write = () => ({ done: ++writes, userErrors: [] });
    keys.run("a.myshopify.com", "k", { delta: 1 }, write);
    keys.run("a.myshopify.com", "k", { delta: 1 }, write);
    keys.run("b.myshopify.com", "k", { delta: 1 }, write);
    expect(writes).toBe(2);
    now += IDEMPOTENCY_WINDOW_MS;
    keys.run("a.myshopify.com", "k", { delta: 1 }, write);
    expect(writes).toBe(3);
    expect(keys.size).toBe(1);
  });
});
