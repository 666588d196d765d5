import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { clearStockPushes, markStockPushes, pendingStockPushes } = await import("./stockPushes.server");

const DEPENDENT = "push-a.myshopify.com";
const item = (n: number) => `gid://shopify/InventoryItem/${n}`;

test("one mark per item however often it is marked; a mark bumped while a push ran survives that push's clear", async () => {
  await markStockPushes("push-primary.myshopify.com", [1, 2, 3].map((n) => ({ dependentShop: DEPENDENT, primaryInventoryItemId: item(n) })));
  await markStockPushes("push-primary.myshopify.com", [{ dependentShop: DEPENDENT, primaryInventoryItemId: item(1) }]);
  const read = await pendingStockPushes(DEPENDENT, 250);
  expect(read.map((mark) => mark.primaryInventoryItemId).sort()).toEqual([item(1), item(2), item(3)]);
  expect(read.find((mark) => mark.primaryInventoryItemId === item(1))?.generation).toBe(2);

  // A sale of item 2 lands after the push read its marks: the push's clear must keep it.
  await markStockPushes("push-primary.myshopify.com", [{ dependentShop: DEPENDENT, primaryInventoryItemId: item(2) }]);
  await clearStockPushes(read);
  expect(await pendingStockPushes(DEPENDENT, 250)).toMatchObject([{ primaryInventoryItemId: item(2), generation: 2 }]);
  expect(await pendingStockPushes(DEPENDENT, 250).then(clearStockPushes)).toBeUndefined();
  expect(await pendingStockPushes(DEPENDENT, 250)).toEqual([]);
});
