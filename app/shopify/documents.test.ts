import { parse, validate } from "graphql";
import { describe, expect, test } from "vitest";
import { loadShopifySchema } from "../../sim/schema/shopify-schema";
import { buildAdminSchema } from "../../sim/schema/admin-schema";
import { ALL_DOCUMENTS } from "./documents";

const simulatorSchema = buildAdminSchema();

describe("Admin API documents", () => {
  test.each(Object.entries(ALL_DOCUMENTS))("%s validates against Shopify's 2025-01 schema and the simulator's", (_name, document) => {
    const parsed = parse(document);
    expect(validate(loadShopifySchema(), parsed).map((e) => e.message)).toEqual([]);
    expect(validate(simulatorSchema, parsed).map((e) => e.message)).toEqual([]);
  });
});
