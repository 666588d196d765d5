import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { clearBulkRun, stageBulkRows, stagedAmong, stagedLines, stagedProductsBySku } = await import("./bulkRows.server");

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
