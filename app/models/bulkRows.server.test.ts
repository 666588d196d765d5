import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { clearBulkRun, countStagedProducts, pruneFinishedBulkRuns, stageBulkRows, stagedAmong, stagedLines, stagedProductIds, stagedProductsBySku } = await import("./bulkRows.server");

// SQLite (through Prisma) refuses a statement with more than 999 parameters: a Sync all of a few
// thousand linked products asked for all of them in one IN list and failed at its last step.
test("staged rows are found among thousands of product ids and SKUs", async () => {
  const runId = "job-many:primary";
  const products = Array.from({ length: 2500 }, (_, i) => `gid://shopify/Product/${i + 1}`);
  await stageBulkRows(runId, products.map((productId, i) => ({ productId, sku: `SKU-${i + 1}`, line: JSON.stringify({ id: productId }) })));
  const asked = [...products, "gid://shopify/Product/999999"];

  const found = await stagedAmong(runId, asked);
  expect(found.size).toBe(2500);
  expect(found.has("gid://shopify/Product/999999")).toBe(false);
  expect((await stagedLines(runId, asked)).size).toBe(2500);
  const bySku = await stagedProductsBySku(runId, products.map((_, i) => `SKU-${i + 1}`));
  expect(bySku.size).toBe(2500);
  expect(bySku.get("SKU-2500")).toEqual(["gid://shopify/Product/2500"]);
  await clearBulkRun(runId);
});

test("a staged run pages through its products once each, in order, and counts them; other runs stay apart", async () => {
  const runId = "job-pages:primary";
  // Several lines per product (the product, its variants, their levels), staged out of order.
  const ids = Array.from({ length: 120 }, (_, i) => `gid://shopify/Product/${String(i + 1).padStart(4, "0")}`);
  const lines = ids.flatMap((productId) => [0, 1, 2].map((n) => ({ productId, sku: n === 0 ? null : `${productId}-${n}`, line: "{}" })));
  await stageBulkRows(runId, lines.reverse());
  await stageBulkRows("job-other:primary", [{ productId: "gid://shopify/Product/0001", sku: null, line: "{}" }]);

  const seen: string[] = [];
  for (let after: string | null = null; ; ) {
    const page = await stagedProductIds(runId, after, 50);
    if (page.length === 0) break;
    expect(page.length).toBeLessThanOrEqual(50);
    seen.push(...page);
    after = page[page.length - 1];
  }
  expect(seen).toEqual([...ids].sort());
  expect(await countStagedProducts(runId)).toBe(120);
  expect(await countStagedProducts("job-none:primary")).toBe(0);
  // Neither run's job exists: both are left over, and pruned.
  expect(await pruneFinishedBulkRuns()).toBe(361);
  expect(await countStagedProducts(runId)).toBe(0);
});
