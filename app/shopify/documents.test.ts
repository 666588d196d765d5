import { buildSchema, parse, printSchema, validate } from "graphql";
import { describe, expect, test } from "vitest";
import { loadShopifySchema } from "../../sim/schema/shopify-schema";
import { applyDelta, buildAdminSchema, readDeltaSdl } from "../../sim/schema/admin-schema";
import { dialectOf } from "./api-version";
import { operationCost } from "../../sim/graphql/cost";
import { NAIVE_DOCUMENTS } from "../../bench/naive";
import { ALL_DOCUMENTS, INVENTORY_LEVELS, INVENTORY_LEVELS_PAGE, NEWER_VERSION_DOCUMENTS } from "./documents";

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

  test("the 2026-10 forms are what the gateway sends at 2026-10, and they would not pass at 2025-01", () => {
    expect([sentAt2026.setQuantitiesDocument, sentAt2026.adjustQuantitiesDocument, sentAt2026.bulkRunQueryDocument].sort()).toEqual(Object.values(NEWER_VERSION_DOCUMENTS).sort());
    for (const document of Object.values(NEWER_VERSION_DOCUMENTS)) expect(errorsOf(loadShopifySchema(), document)).not.toEqual([]);
    const at2025 = dialectOf("2025-01");
    expect(Object.values(ALL_DOCUMENTS)).toEqual(expect.arrayContaining([at2025.setQuantitiesDocument, at2025.adjustQuantitiesDocument, at2025.bulkRunQueryDocument]));
  });
});

describe("query cost", () => {
  // Shopify refuses a query whose requested cost is over 1,000 points (MAX_COST_EXCEEDED), and that is not retryable.
  test("a full page of inventory levels stays within Shopify's single-query limit", () => {
    const document = parse(INVENTORY_LEVELS);
    const operation = document.definitions.find((d) => d.kind === "OperationDefinition")!;
    const ids = Array.from({ length: INVENTORY_LEVELS_PAGE }, (_, i) => `gid://shopify/InventoryItem/${i + 1}`);
    const cost = operationCost(buildAdminSchema("2025-01"), operation, {}, { ids });
    expect(cost).toBeLessThanOrEqual(1000);
    expect(cost).toBeGreaterThan(900); // the page is not needlessly small
  });
});
