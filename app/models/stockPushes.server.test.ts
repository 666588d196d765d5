import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { clearStockPushes, markStockPushes, dueStockPushes } = await import("./stockPushes.server");

const DEPENDENT = "push-a.myshopify.com";
const item = (n: number) => `gid://shopify/InventoryItem/${n}`;

test("one mark per item however often it is marked; a mark bumped while a push ran survives that push's clear", async () => {
  await markStockPushes("push-primary.myshopify.com", [1, 2, 3].map((n) => ({ dependentShop: DEPENDENT, primaryInventoryItemId: item(n) })));
  await markStockPushes("push-primary.myshopify.com", [{ dependentShop: DEPENDENT, primaryInventoryItemId: item(1) }]);
  const read = await dueStockPushes(DEPENDENT, 250);
  expect(read.map((mark) => mark.primaryInventoryItemId).sort()).toEqual([item(1), item(2), item(3)]);
  expect(read.find((mark) => mark.primaryInventoryItemId === item(1))?.generation).toBe(2);

  // A sale of item 2 lands after the push read its marks: the push's clear must keep it.
  await markStockPushes("push-primary.myshopify.com", [{ dependentShop: DEPENDENT, primaryInventoryItemId: item(2) }]);
  await clearStockPushes(read);
  expect(await dueStockPushes(DEPENDENT, 250)).toMatchObject([{ primaryInventoryItemId: item(2), generation: 2 }]);
  expect(await dueStockPushes(DEPENDENT, 250).then(clearStockPushes)).toBeUndefined();
  expect(await dueStockPushes(DEPENDENT, 250)).toEqual([]);
});

test("a delayed mark waits until it is due, and never postpones a mark due now", async () => {
  const shop = "push-b.myshopify.com";
  await markStockPushes("push-primary.myshopify.com", [{ dependentShop: shop, primaryInventoryItemId: item(7) }], { delayMs: 60_000 });
  expect(await dueStockPushes(shop, 250)).toEqual([]);
  expect(await dueStockPushes(shop, 250, new Date(Date.now() + 61_000))).toMatchObject([{ primaryInventoryItemId: item(7) }]);
  // The primary's own change of that item goes out at once, grace or not.
  await markStockPushes("push-primary.myshopify.com", [{ dependentShop: shop, primaryInventoryItemId: item(7) }]);
  const due = await dueStockPushes(shop, 250);
  expect(due).toMatchObject([{ primaryInventoryItemId: item(7), generation: 2 }]);
  await markStockPushes("push-primary.myshopify.com", [{ dependentShop: shop, primaryInventoryItemId: item(7) }], { delayMs: 60_000 });
  expect(await dueStockPushes(shop, 250)).toMatchObject([{ primaryInventoryItemId: item(7), generation: 3 }]);
});
