import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { recordAdjustment, recordMovements, settleAdjustment } = await import("../models/stockMovements.server");
const { primaryStockWithHeldSales } = await import("./primary-stock.server");

const PRIMARY = "held-primary.myshopify.com";
const ITEM = "gid://shopify/InventoryItem/901";
const LOCATION = "gid://shopify/Location/1";

async function recordSale(dependentShop: string, line: number, quantity: number) {
  const [row] = await recordMovements(PRIMARY, dependentShop, [
    { key: `${dependentShop}:${line}`, kind: "sale", sku: "LAMP", lineItemId: `gid://shopify/LineItem/${line}`, quantity, locationId: null, orderId: null },
  ]);
  return row;
}

/** What apply-stock does once Shopify took the sale: the movement is no longer held. */
async function applyToPrimary(movementId: string, quantity: number) {
  const key = `adjustment-${movementId}`;
  await recordAdjustment(key, [{ id: movementId, quantity, primaryInventoryItemId: ITEM, primaryLocationId: LOCATION }]);
  await settleAdjustment(key);
}

const heldQuantities = (held: Map<string, { quantity: number }[]>) => (held.get("LAMP") ?? []).map((sale) => sale.quantity).sort();

test("a sale applied to the primary while it is read makes a second read, which is used without that sale", async () => {
  const shop = "held-a.myshopify.com";
  const applied = await recordSale(shop, 1, 2);
  await recordSale(shop, 2, 1);
  const reads: number[] = [];
  const { held, primary } = await primaryStockWithHeldSales(shop, async () => {
    reads.push(reads.length + 1);
    if (reads.length === 1) await applyToPrimary(applied.id, 2);
    return `read ${reads.length}`;
  });
  expect(primary).toBe("read 2");
  expect(heldQuantities(held)).toEqual([1]);
});

test("a sale recorded while the primary is read is held: the dependent's shelf already lost it", async () => {
  const shop = "held-b.myshopify.com";
  let calls = 0;
  const { held } = await primaryStockWithHeldSales(shop, async () => {
    calls++;
    if (calls === 1) await recordSale(shop, 3, 4);
    return calls;
  });
  expect(calls).toBe(1);
  expect(heldQuantities(held)).toEqual([4]);
});

test("sales applied during every read: the last read stands and still counts them (less stock, never an oversell)", async () => {
  const shop = "held-c.myshopify.com";
  const sales = await Promise.all([5, 6, 7].map((line) => recordSale(shop, line, line - 4)));
  let calls = 0;
  const { held, primary } = await primaryStockWithHeldSales(shop, async () => {
    await applyToPrimary(sales[calls].id, sales[calls].quantity);
    calls++;
    return calls;
  });
  expect(primary).toBe(3);
  // The third read saw the third sale applied or not: it is counted either way.
  expect(heldQuantities(held)).toEqual([3]);
});
