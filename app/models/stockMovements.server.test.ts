import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { openMovementsOf, recordMovements } = await import("./stockMovements.server");

const PRIMARY = "ledger-primary.myshopify.com";
const sale = (shop: string, n: number) => ({ key: `sale:${shop}:${n}`, kind: "sale" as const, sku: "LAMP", lineItemId: `gid://shopify/LineItem/${shop}-${n}`, quantity: 1, locationId: null, orderId: null });

test("each dependent's oldest open movements come in a page of their own: one store's backlog never hides another's sales", async () => {
  // A dependent with a backlog (it could not be read for a while), then one new sale elsewhere.
  for (let n = 0; n < 5; n++) await recordMovements(PRIMARY, "backlog.myshopify.com", [sale("backlog", n)]);
  await recordMovements(PRIMARY, "other.myshopify.com", [sale("other", 0)]);
  await recordMovements("another-primary.myshopify.com", "elsewhere.myshopify.com", [sale("elsewhere", 0)]);
  const open = await openMovementsOf(PRIMARY, 3);
  // Five recorded within a few milliseconds: which three of them is the database's choice among equals.
  expect(open.filter((row) => row.dependentShop === "backlog.myshopify.com")).toHaveLength(3);
  expect(open.filter((row) => row.dependentShop !== "backlog.myshopify.com").map((row) => row.key)).toEqual(["sale:other:0"]);
  // Rows as the table has them, nothing more.
  expect(Object.keys(open[0]).sort()).toEqual(Object.keys((await recordMovements(PRIMARY, "other.myshopify.com", [sale("other", 0)]))[0]).sort());
});

test("a dependent's held sales are read through an index, not through its whole ledger", async () => {
  const { query, sql } = await import("../db.server");
  const { databaseEngine } = await import("../db/engine");
  if (databaseEngine(process.env.DATABASE_URL!) === "sqlite") {
    const plan = await query<{ detail: string }>(sql`EXPLAIN QUERY PLAN SELECT "id" FROM "StockMovement" WHERE "dependentShop" = ${"held.myshopify.com"} AND "kind" = 'sale' AND "status" = 'pending'`);
    expect(plan.map((step) => step.detail).join(" | ")).toMatch(/USING INDEX StockMovement_dependentShop_status_idx \(dependentShop=\? AND status=\?\)/);
  } else {
    // PostgreSQL plans a table this small with a scan whatever its indexes: the index must exist.
    const indexes = await query<{ indexdef: string }>(sql`SELECT "indexdef" FROM pg_indexes WHERE "tablename" = 'StockMovement'`);
    expect(indexes.map((index) => index.indexdef)).toContainEqual(expect.stringMatching(/\("dependentShop", status\)/));
  }
});
