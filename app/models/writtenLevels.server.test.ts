import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { recordWriteTime, recordWrittenLevels, writtenLevelOf } = await import("./writtenLevels.server");

const item = (n: number) => `gid://shopify/InventoryItem/${n}`;
const LOCATION = "gid://shopify/Location/1";

test("a write's time goes to the levels of that dependent still holding what it wrote, and only forward", async () => {
  const levels = Array.from({ length: 150 }, (_, n) => ({ inventoryItemId: item(n), locationId: LOCATION, quantity: n }));
  await recordWrittenLevels("times-a.myshopify.com", levels);
  await recordWrittenLevels("times-b.myshopify.com", levels);
  const first = new Date("2026-12-02T10:00:00Z");
  // Every level but one (written since with another quantity) holds what the write set: 150
  // levels, two statements, each with more alternatives than SQLite looks up one by one.
  await recordWrittenLevels("times-a.myshopify.com", [{ inventoryItemId: item(7), locationId: LOCATION, quantity: 99 }]);
  await recordWriteTime("times-a.myshopify.com", levels, first);
  expect((await writtenLevelOf("times-a.myshopify.com", item(0), LOCATION))?.changedAt).toEqual(first);
  expect((await writtenLevelOf("times-a.myshopify.com", item(149), LOCATION))?.changedAt).toEqual(first);
  expect((await writtenLevelOf("times-a.myshopify.com", item(7), LOCATION))?.changedAt).toBeNull();
  expect((await writtenLevelOf("times-b.myshopify.com", item(0), LOCATION))?.changedAt).toBeNull();
  // An older time (a late answer) leaves the later one.
  await recordWriteTime("times-a.myshopify.com", levels.slice(0, 3), new Date("2026-12-02T09:00:00Z"));
  expect((await writtenLevelOf("times-a.myshopify.com", item(1), LOCATION))?.changedAt).toEqual(first);
  const later = new Date("2026-12-02T11:00:00Z");
  await recordWriteTime("times-a.myshopify.com", levels.slice(0, 3), later);
  expect((await writtenLevelOf("times-a.myshopify.com", item(1), LOCATION))?.changedAt).toEqual(later);
  expect((await writtenLevelOf("times-a.myshopify.com", item(3), LOCATION))?.changedAt).toEqual(first);
});
