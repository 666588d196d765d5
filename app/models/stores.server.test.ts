import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { ensureStore, storeRowOf } = await import("./stores.server");

// A store's first visit loads the layout and the page at once: both create its row. Prisma's
// upsert without update data reads, then inserts, so on PostgreSQL the second insert broke the
// unique shop (seen in the onboarding test's PostgreSQL pass).
test("a store's row made by several first visits at once: one row, no error", async () => {
  const shop = "first-visit-race.myshopify.com";
  const rows = await Promise.all(Array.from({ length: 8 }, (_, n) => (n % 2 === 0 ? ensureStore(shop).then(({ store }) => store) : storeRowOf(shop))));
  expect(new Set(rows.map((row) => row.shop))).toEqual(new Set([shop]));
});
