import { buildSchema, parse, printSchema, validate } from "graphql";
import { describe, expect, test } from "vitest";
import { loadShopifySchema } from "../../sim/schema/shopify-schema";
import { applyDelta, buildAdminSchema, readDeltaSdl } from "../../sim/schema/admin-schema";
import { dialectOf } from "./api-version";
import { operationCost } from "../../sim/graphql/cost";
import { NAIVE_DOCUMENTS } from "../../bench/naive";
import { ALL_DOCUMENTS, catalogueBulkQuery, INVENTORY_LEVELS, inventoryLevelsPage, NEWER_VERSION_DOCUMENTS } from "./documents";

const errorsOf = (schema: Parameters<typeof validate>[0], document: string) => validate(schema, parse(document)).map((e) => e.message);

describe("Admin API documents", () => {
  // The naive baseline of `npm run bench -- cost` talks to the same simulator, so its documents are held to the same schema.
  test.each(Object.entries(NAIVE_DOCUMENTS))("benchmark baseline %s validates against Shopify's 2025-01 schema and the simulator's", (_name, document) => {
    expect(errorsOf(loadShopifySchema(), document)).toEqual([]);
    expect(errorsOf(buildAdminSchema("2025-01"), document)).toEqual([]);
  });

  test.each(Object.entries(ALL_DOCUMENTS))("%s validates against Shopify's 2025-01 schema and the simulator's", (_name, document) => {
    expect(errorsOf(loadShopifySchema(), document)).toEqual([]);
    expect(errorsOf(buildAdminSchema("2025-01"), document)).toEqual([]);
  });

  // Shopify's full 2026-10 schema is not available offline: 2025-01 with the documented delta stands for it.
  const shopify2026 = buildSchema(applyDelta(printSchema(loadShopifySchema()), readDeltaSdl("2026-10")!));
  const sentAt2026 = dialectOf("2026-10");
  const documents2026 = { ...ALL_DOCUMENTS, ...NEWER_VERSION_DOCUMENTS };

  test.each(Object.entries(documents2026))("%s validates against 2025-01 + the 2026-10 delta and the simulator's 2026-10", (_name, document) => {
    expect(errorsOf(shopify2026, document)).toEqual([]);
    expect(errorsOf(buildAdminSchema("2026-10"), document)).toEqual([]);
  });

  test("a catalogue export of some products validates and names each by its number", () => {
    const document = catalogueBulkQuery(["gid://shopify/Product/7", "gid://shopify/Product/1234567890123"]);
    expect(document).toContain('products(query: "id:7 OR id:1234567890123")');
    expect(errorsOf(loadShopifySchema(), document)).toEqual([]);
    expect(errorsOf(buildAdminSchema("2026-10"), document)).toEqual([]);
  });

  test("the 2026-10 forms are what the gateway sends at 2026-10, and they would not pass at 2025-01", () => {
    expect([sentAt2026.setQuantitiesDocument, sentAt2026.adjustQuantitiesDocument, sentAt2026.bulkRunQueryDocument].sort()).toEqual(Object.values(NEWER_VERSION_DOCUMENTS).sort());
    for (const document of Object.values(NEWER_VERSION_DOCUMENTS)) expect(errorsOf(loadShopifySchema(), document)).not.toEqual([]);
    const at2025 = dialectOf("2025-01");
    expect(Object.values(ALL_DOCUMENTS)).toEqual(expect.arrayContaining([at2025.setQuantitiesDocument, at2025.adjustQuantitiesDocument, at2025.bulkRunQueryDocument]));
  });
});

describe("query cost", () => {
  // Shopify refuses a query whose requested cost is over 1,000 points (MAX_COST_EXCEEDED), and that is not retryable.
  test.each([1, 2, 5, 20, 250])("a full page of inventory levels at %i levels per item stays within Shopify's single-query limit", (levels) => {
    const document = parse(INVENTORY_LEVELS);
    const operation = document.definitions.find((d) => d.kind === "OperationDefinition")!;
    const page = inventoryLevelsPage(levels);
    const costOf = (items: number) => operationCost(buildAdminSchema("2025-01"), operation, {}, { ids: Array.from({ length: items }, (_, i) => `gid://shopify/InventoryItem/${i + 1}`), levels });
    expect(costOf(page)).toBeLessThanOrEqual(1000);
    // The page is as large as it may be: up to Shopify's 250 ids, or one more item would go over.
    expect(page === 250 || costOf(page + 1) > 1000).toBe(true);
  });
});
