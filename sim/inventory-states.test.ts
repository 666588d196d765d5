import { afterAll, beforeAll, expect, test } from "vitest";
import { simulatorWithStore } from "./test-helpers";

// inventoryMoveQuantities and ledger documents (sim/README.md, "Inventory states"): what strict
// stock mode relies on to hold a dependent's units out of the primary's own sale.
let env: Awaited<ReturnType<typeof simulatorWithStore>>;
let item: string;
let warehouse: string;

beforeAll(async () => {
  env = await simulatorWithStore({ shop: "states.myshopify.com" });
  await env.sim.control.seed(env.shop, { products: 1, variantsPerProduct: 1, seed: 7 });
  const snapshot = await env.sim.control.snapshot(env.shop);
  item = snapshot.products[0].variants[0].inventoryItemId;
  warehouse = snapshot.locations.find((l) => l.name === "Warehouse")!.id;
  await env.sim.control.setInventory(env.shop, { inventoryItemId: item, location: "Warehouse", available: 10 });
});
afterAll(() => env.sim.close());

async function level() {
  const snapshot = await env.sim.control.snapshot(env.shop);
  return snapshot.products[0].variants[0].quantities.Warehouse;
}

const MOVE = `mutation Move($input: InventoryMoveQuantitiesInput!, $key: String!) {
  inventoryMoveQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { changes { name delta quantityAfterChange } }
    userErrors { code field message }
  }
}`;
const ADJUST = `mutation Adjust($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { changes { name delta quantityAfterChange } }
    userErrors { code field message }
  }
}`;
const LEDGER = "gid://tandem/Escrow/1";

const terminal = (name: string, changeFromQuantity: number | null, ledgerDocumentUri: string | null = name === "available" ? null : LEDGER) =>
  ({ locationId: warehouse, name, changeFromQuantity, ledgerDocumentUri });
const move = (quantity: number, from: ReturnType<typeof terminal>, to: ReturnType<typeof terminal>) =>
  ({ reason: "reservation_created", referenceDocumentUri: "gid://tandem/Rebalance/1", changes: [{ inventoryItemId: item, quantity, from, to }] });
const send = (query: string, input: unknown, key: string) => env.graphql(query, { input, key }, env.accessToken, "2026-10");
const userErrors = (body: { data?: Record<string, { userErrors: unknown[] }> | null; errors?: unknown }) => {
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return Object.values(body.data)[0].userErrors;
};

test("units moved from available to reserved stay on hand, out of sale; the move compares and sets each side", async () => {
  const stale = await send(MOVE, move(4, terminal("available", 9), terminal("reserved", 0)), "m-stale");
  expect(userErrors(stale.body)).toEqual([{
    code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "changes", "0", "from", "changeFromQuantity"], message: "The changeFromQuantity argument no longer matches the persisted quantity.",
  }]);
  expect(await level()).toMatchObject({ available: 10, reserved: 0, on_hand: 10 });

  const moved = await send(MOVE, move(4, terminal("available", 10), terminal("reserved", 0)), "m-1");
  expect(moved.body.data!.inventoryMoveQuantities).toEqual({
    inventoryAdjustmentGroup: { changes: [{ name: "available", delta: -4, quantityAfterChange: 6 }, { name: "reserved", delta: 4, quantityAfterChange: 4 }] },
    userErrors: [],
  });
  expect(await level()).toMatchObject({ available: 6, reserved: 4, on_hand: 10 });
  // The same key again is the first answer, not a second move.
  const replay = await send(MOVE, move(4, terminal("available", 10), terminal("reserved", 0)), "m-1");
  expect(replay.body.data).toEqual(moved.body.data);
  expect(await level()).toMatchObject({ available: 6, reserved: 4 });

  // Back: reserved → available.
  await send(MOVE, move(1, terminal("reserved", 4), terminal("available", null)), "m-2");
  expect(await level()).toMatchObject({ available: 7, reserved: 3, on_hand: 10 });
});

test("a reserved unit taken by an adjustment (a dependent's sale) leaves on hand too; it needs a ledger document", async () => {
  const before = await level();
  const adjust = (ledgerDocumentUri: string | null) => ({ name: "reserved", reason: "correction", changes: [{ inventoryItemId: item, locationId: warehouse, delta: -1, changeFromQuantity: null, ledgerDocumentUri }] });
  const without = await send(ADJUST, adjust(null), "a-none");
  expect(userErrors(without.body)).toEqual([{ code: "INVALID_QUANTITY_DOCUMENT", field: ["input", "changes", "0", "ledgerDocumentUri"], message: "A ledger document URI is required except when adjusting available." }]);
  const internal = await send(ADJUST, adjust("gid://shopify/Order/1"), "a-internal");
  expect(userErrors(internal.body)).toEqual([expect.objectContaining({ code: "INTERNAL_LEDGER_DOCUMENT" })]);
  expect(await level()).toEqual(before);

  const taken = await send(ADJUST, adjust(LEDGER), "a-ok");
  expect(userErrors(taken.body)).toEqual([]);
  expect(await level()).toMatchObject({ available: before.available, reserved: before.reserved - 1, on_hand: before.on_hand - 1 });

  const availableWithDocument = await send(ADJUST, { ...adjust(LEDGER), name: "available" }, "a-available");
  expect(userErrors(availableWithDocument.body)).toEqual([expect.objectContaining({ code: "INVALID_AVAILABLE_DOCUMENT" })]);
});

test("moves Shopify refuses change nothing", async () => {
  const before = await level();
  const refused = async (input: unknown, key: string) => (userErrors((await send(MOVE, input, key)).body)[0] as { code: string }).code;
  expect(await refused(move(1, terminal("available", null), terminal("available", null)), "r-same")).toBe("SAME_QUANTITY_NAME");
  expect(await refused(move(-1, terminal("available", null), terminal("reserved", null)), "r-negative")).toBe("INVALID_QUANTITY_NEGATIVE");
  expect(await refused(move(1, terminal("available", null), terminal("reserved", null, null)), "r-no-document")).toBe("INVALID_QUANTITY_DOCUMENT");
  expect(await refused(move(1, terminal("on_hand", null), terminal("reserved", null)), "r-name")).toBe("INVALID_QUANTITY_NAME");
  // Assumption (sim/README.md): a state other than available is not moved below zero.
  expect(await refused(move(before.reserved + 1, terminal("reserved", null), terminal("available", null)), "r-below-zero")).toBe("INVALID_QUANTITY_NEGATIVE");
  expect(await level()).toEqual(before);
});
