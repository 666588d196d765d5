import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { knownPrimaryItems, recordPrimaryItemReads, recordPrimaryLevels } = await import("./primaryLevels.server");
const { default: prisma } = await import("../db.server");

const SHOP = "levels-primary.myshopify.com";
const ITEM = "gid://shopify/InventoryItem/1";
const HALL = "gid://shopify/Location/1";
const YARD = "gid://shopify/Location/2";
const at = (second: number) => Date.UTC(2026, 11, 1, 10, 0, second);

test("an item read whole is known, with its levels, until the read is too old or a level is in conflict", async () => {
  await recordPrimaryItemReads(SHOP, new Map([[ITEM, { tracked: true, available: { [HALL]: 4, [YARD]: 6 }, changedAt: { [HALL]: at(1), [YARD]: at(1) } }]]), Date.now());
  expect((await knownPrimaryItems(SHOP, [ITEM, "gid://shopify/InventoryItem/404"], 60_000)).known).toEqual(new Map([[ITEM, { tracked: true, available: { [HALL]: 4, [YARD]: 6 } }]]));
  expect((await knownPrimaryItems(SHOP, [ITEM], 60_000, Date.now() + 61_000)).known.size).toBe(0);

  // A webhook of a later second changes the level; one of the same second that disagrees makes the item unknown.
  expect(await recordPrimaryLevels(SHOP, [{ inventoryItemId: ITEM, locationId: HALL, observation: { source: "webhook", available: 3, changedAt: at(2) } }])).toEqual(["newer"]);
  expect((await knownPrimaryItems(SHOP, [ITEM], 60_000)).known.get(ITEM)?.available).toEqual({ [HALL]: 3, [YARD]: 6 });
  expect(await recordPrimaryLevels(SHOP, [{ inventoryItemId: ITEM, locationId: HALL, observation: { source: "webhook", available: 9, changedAt: at(2) } }])).toEqual(["conflict"]);
  const unknown = await knownPrimaryItems(SHOP, [ITEM], 60_000);
  expect(unknown.known.size).toBe(0);
  expect(unknown.seen.size).toBe(2);

  // The next read settles it, even sent at once (its levels were loaded before it was sent), and a
  // location the item is no longer stocked at goes.
  await recordPrimaryItemReads(SHOP, new Map([[ITEM, { tracked: true, available: { [HALL]: 9 }, changedAt: { [HALL]: at(2) } }]]), Date.now(), unknown.seen);
  expect((await knownPrimaryItems(SHOP, [ITEM], 60_000)).known).toEqual(new Map([[ITEM, { tracked: true, available: { [HALL]: 9 } }]]));
});

test("observations of one level recorded at once by several processes are all merged, none lost", async () => {
  const item = "gid://shopify/InventoryItem/2";
  await recordPrimaryLevels(SHOP, [{ inventoryItemId: item, locationId: HALL, observation: { source: "webhook", available: 100, changedAt: at(0) } }]);
  // Twenty adjustments of one unit each, all answered within second 1, recorded concurrently.
  const adjustments = Array.from({ length: 20 }, (_, i) => ({ inventoryItemId: item, locationId: HALL, observation: { source: "adjustment" as const, available: 99 - i, delta: -1, changedAt: at(1) } }));
  await Promise.all(adjustments.map((adjustment) => recordPrimaryLevels(SHOP, [adjustment])));
  const row = await prisma.primaryLevel.findUniqueOrThrow({ where: { primaryShop_inventoryItemId_locationId: { primaryShop: SHOP, inventoryItemId: item, locationId: HALL } } });
  // Every result was kept as an echo for its webhook; merged out of order, some did not follow the known level.
  expect((JSON.parse(row.echoes) as number[]).sort((a, b) => a - b)).toEqual(adjustments.map((a) => a.observation.available).sort((a, b) => a - b));
  expect(row.version).toBeGreaterThanOrEqual(21);
});

test("two reads of the same unseen items recorded at once both land: the one that loses the insert merges row by row", async () => {
  const items = new Map(Array.from({ length: 30 }, (_, i) => [`gid://shopify/InventoryItem/${100 + i}`, { tracked: true, available: { [HALL]: i, [YARD]: 1 }, changedAt: { [HALL]: at(5), [YARD]: at(5) } }]));
  await Promise.all([recordPrimaryItemReads(SHOP, items, Date.now()), recordPrimaryItemReads(SHOP, items, Date.now())]);
  const { known } = await knownPrimaryItems(SHOP, [...items.keys()], 60_000);
  expect(known.size).toBe(30);
  expect(known.get("gid://shopify/InventoryItem/129")).toEqual({ tracked: true, available: { [HALL]: 29, [YARD]: 1 } });
  expect(await prisma.primaryLevel.count({ where: { primaryShop: SHOP, inventoryItemId: { in: [...items.keys()] } } })).toBe(60);
});
