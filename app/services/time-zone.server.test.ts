import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { timeZoneOf, TIME_ZONE_MAX_AGE_MS } = await import("./time-zone.server");
const { ensureStore, setTimeZone, storedTimeZoneOf } = await import("../models/stores.server");

// A store with no offline session: every read from Shopify fails as unauthorized.
const SHOP = "zone-no-session.myshopify.com";

test("a zone read within the day is used as it is, without asking Shopify", async () => {
  await ensureStore(SHOP);
  const readAt = new Date("2026-12-07T08:00:00Z");
  await setTimeZone(SHOP, "Europe/Paris", readAt);
  expect(await timeZoneOf(SHOP, new Date(readAt.getTime() + TIME_ZONE_MAX_AGE_MS - 1))).toBe("Europe/Paris");
});

test("past a day it is read again; when Shopify cannot answer, the last zone read stays, else UTC", async () => {
  const stored = await storedTimeZoneOf(SHOP);
  expect(await timeZoneOf(SHOP, new Date(stored.readAt!.getTime() + TIME_ZONE_MAX_AGE_MS))).toBe("Europe/Paris");
  // The failed read changed nothing: the next page tries again.
  expect(await storedTimeZoneOf(SHOP)).toEqual(stored);
  await ensureStore("zone-never-read.myshopify.com");
  expect(await timeZoneOf("zone-never-read.myshopify.com")).toBe("UTC");
});
