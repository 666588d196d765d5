import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { IDEMPOTENCY_WINDOW_MS, IdempotencyKeys } from "./graphql/idempotency";
import { simulatorWithStore } from "./test-helpers";

let env: Awaited<ReturnType<typeof simulatorWithStore>>;
let item: string;
let warehouse: string;

beforeAll(async () => {
  env = await simulatorWithStore({ shop: "versions.myshopify.com" });
  await env.sim.control.seed(env.shop, { products: 3, variantsPerProduct: 2, seed: 5 });
  const snapshot = await env.sim.control.snapshot(env.shop);
  item = snapshot.products[0].variants[0].inventoryItemId;
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

  test("a response lost after the write: the retry with the same key is recognised on 2026-10, applied twice on 2025-01", async () => {
    const before = await available();
    env.sim.chaos.lostResponseRate = 1;
    await expect(at2026(ADJUST_2026, { input: adjustInput(-1), key: "lost-1" })).rejects.toThrow();
    await expect(env.graphql(
      `mutation Adjust($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) { userErrors { code } } }`,
      { input: { name: "available", reason: "correction", changes: [{ inventoryItemId: item, locationId: warehouse, delta: -1 }] } },
    )).rejects.toThrow();
    env.sim.chaos.lostResponseRate = 0;
    expect(await available()).toBe(before - 2);

    await at2026(ADJUST_2026, { input: adjustInput(-1), key: "lost-1" });
    expect(await available()).toBe(before - 2);
    await env.graphql(
      `mutation Adjust($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) { userErrors { code } } }`,
      { input: { name: "available", reason: "correction", changes: [{ inventoryItemId: item, locationId: warehouse, delta: -1 }] } },
    );
    expect(await available()).toBe(before - 3);
    expect((await env.sim.control.stats(env.shop)).api.lostResponses).toBe(2);
  });

  test("2025-01 knows neither the directive nor changeFromQuantity", async () => {
    const { body } = await env.graphql(ADJUST_2026, { input: adjustInput(-1), key: "k" });
    expect((body.errors as Array<{ message: string }>).map((e) => e.message)).toEqual(['Unknown directive "@idempotent".']);
    const field = await env.graphql(
      `mutation Adjust($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) { userErrors { code } } }`,
      { input: adjustInput(-1, 4) },
    );
    expect(JSON.stringify(field.body.errors)).toContain('Field \\"changeFromQuantity\\" is not defined by type \\"InventoryChangeInput\\"');
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
