import fs from "node:fs";
import path from "node:path";
import { NoDeprecatedCustomRule, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { describe, expect, test } from "vitest";
import { loadShopifySchema } from "../../sim/schema/shopify-schema";
import { buildAdminSchema } from "../../sim/schema/admin-schema";
import { operationCost } from "../../sim/graphql/cost";
import { NAIVE_DOCUMENTS } from "../../bench/naive";
import { SUPPORTED_API_VERSIONS } from "./api-version";
import * as documents from "./documents";

const errorsOf = (schema: GraphQLSchema, document: string) => validate(schema, parse(document)).map((e) => e.message);

/**
 * Deprecated fields and arguments a document still uses, each with why: a replacement that exists
 * at every supported version is used instead, so these are the ones whose replacement does not.
 */
const DEPRECATED_WITH_REASON: Record<string, string> = {
  'Field "Mutation.collectionCreate" argument "input" is deprecated. Use `collection` instead.':
    "collection: (CollectionCreateInput) exists from 2026-10 only; input: is the one form 2026-01 and 2026-10 both take. Moves when 2026-01 leaves support.",
  'Field "Mutation.collectionUpdate" argument "input" is deprecated. Use `collection` instead.':
    "collection: (CollectionUpdateInput) exists from 2026-10 only; input: is the one form 2026-01 and 2026-10 both take. Moves when 2026-01 leaves support.",
  "The field Mutation.collectionAddProducts is deprecated. Use `collectionUpdate` with inclusion.selectionsToAdd instead.":
    "its replacement (collectionUpdate with sources) exists from 2026-10 only. Moves when 2026-01 leaves support.",
  "The field Mutation.collectionRemoveProducts is deprecated. Use `collectionUpdate` with inclusions.selectionsToRemove instead.":
    "its replacement (collectionUpdate with sources) exists from 2026-10 only. Moves when 2026-01 leaves support.",
  "The field Location.isPrimary is deprecated. The concept of a primary location is deprecated, shipsInventory can be used to get a fallback location":
    "a store's default location (unmapped stock, sales without a location: docs/stock.md) is its primary location; the suggested shipsInventory is itself described as legacy, so no better signal exists yet.",
};

const deprecationsOf = (schema: GraphQLSchema, document: string) => validate(schema, parse(document), [NoDeprecatedCustomRule]).map((e) => e.message);

/** Functions of documents.ts that build a document, with the arguments the app calls them with. */
const DOCUMENT_BUILDERS: Record<string, unknown[][]> = {
  catalogueBulkQuery: [[], [["gid://shopify/Product/7", "gid://shopify/Product/1234567890123"]]],
};
/** Exports of documents.ts that are not documents: page sizes and costs. */
const NOT_DOCUMENTS = new Set(["MAX_REQUESTED_COST", "PRODUCTS_PAGE_SIZE", "DEFAULT_LEVELS_PER_ITEM", "REFUNDS_WITH_ORDER", "REFUNDS_PER_ORDER", "ORDERS_PER_ROUTING_READ", "inventoryLevelsPage", "inventoryItemReadCost", "ITEM_DETAILS_PAGE", "PRODUCT_METAFIELDS_PAGE"]);

/** Every document the app sends: each string export of documents.ts, and each builder's output. */
function everyDocument(): [string, string][] {
  const found: [string, string][] = [];
  for (const [name, value] of Object.entries(documents)) {
    if (NOT_DOCUMENTS.has(name)) continue;
    if (typeof value === "string") found.push([name, value]);
    else if (value && typeof value === "object") {
      for (const [key, document] of Object.entries(value)) found.push([`${name}.${key}`, String(document)]);
    } else if (typeof value === "function") {
      const calls = DOCUMENT_BUILDERS[name];
      if (!calls) throw new Error(`documents.ts exports ${name}: list it in DOCUMENT_BUILDERS (with arguments) or NOT_DOCUMENTS`);
      for (const [index, args] of calls.entries()) found.push([`${name}#${index}`, (value as (...a: unknown[]) => string)(...args)]);
    } else throw new Error(`documents.ts exports ${name} of an unexpected kind`);
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

describe("every Admin API document the app sends", () => {
  const all = everyDocument();

  test("lives in app/shopify/documents.ts (no GraphQL text anywhere else in app/)", () => {
    const appDir = path.resolve(import.meta.dirname, "..");
    const elsewhere = sourceFiles(appDir).filter((file) => !file.endsWith(path.join("shopify", "documents.ts")) && /#graphql|\b(query|mutation) Tandem\w*\s*[({]/.test(fs.readFileSync(file, "utf8")));
    expect(elsewhere.map((file) => path.relative(appDir, file))).toEqual([]);
    expect(all.length).toBeGreaterThan(30);
  });

  describe.each(SUPPORTED_API_VERSIONS)("at %s", (version) => {
    const shopify = loadShopifySchema(version);
    const simulator = buildAdminSchema(version);

    test.each(all)("%s validates against Shopify's real schema and the simulator's", (_name, document) => {
      expect(errorsOf(shopify, document)).toEqual([]);
      expect(errorsOf(simulator, document)).toEqual([]);
    });

    test.each(all)("%s uses nothing deprecated, or only what is listed with a reason", (_name, document) => {
      const unlisted = deprecationsOf(shopify, document).filter((message) => !(message in DEPRECATED_WITH_REASON));
      expect(unlisted).toEqual([]);
    });

    // The naive baseline of `npm run bench -- cost` talks to the same simulator, so its documents are held to the same schema.
    test.each(Object.entries(NAIVE_DOCUMENTS))("benchmark baseline %s validates against Shopify's real schema and the simulator's", (_name, document) => {
      expect(errorsOf(shopify, document)).toEqual([]);
      expect(errorsOf(simulator, document)).toEqual([]);
    });
  });

  test("the deprecation check finds a deprecated field, and every listed deprecation is still in use", () => {
    const shopify = loadShopifySchema("2026-10");
    expect(deprecationsOf(shopify, "query { currentBulkOperation { id } }")).toEqual([
      "The field QueryRoot.currentBulkOperation is deprecated. Use `bulkOperations` with status filter instead.",
    ]);
    const used = new Set(SUPPORTED_API_VERSIONS.flatMap((version) => all.flatMap(([, document]) => deprecationsOf(loadShopifySchema(version), document))));
    expect(Object.keys(DEPRECATED_WITH_REASON).filter((message) => !used.has(message))).toEqual([]);
  });

  test("a document naming what one version lacks fails that version's check", () => {
    const document = "query { inventoryItem(id: \"gid://shopify/InventoryItem/1\") { inventoryLevel(locationId: \"gid://shopify/Location/1\", includeInactive: true) { id } } }";
    expect(errorsOf(loadShopifySchema("2026-10"), document)).toEqual([]);
    expect(errorsOf(loadShopifySchema("2026-01"), document)).toEqual(['Unknown argument "includeInactive" on field "InventoryItem.inventoryLevel".']);
  });

  test("a catalogue export of some products names each by its number", () => {
    expect(documents.catalogueBulkQuery(["gid://shopify/Product/7", "gid://shopify/Product/1234567890123"])).toContain('products(query: "id:7 OR id:1234567890123")');
  });
});

describe("query cost", () => {
  const costOf = (document: string, variables: Record<string, unknown>) => {
    const operation = parse(document).definitions.find((d) => d.kind === "OperationDefinition")!;
    return operationCost(buildAdminSchema("2026-10"), operation as OperationDefinitionNode, {}, variables);
  };
  const itemIds = (count: number) => Array.from({ length: count }, (_, i) => `gid://shopify/InventoryItem/${i + 1}`);
  const orderIds = (count: number) => Array.from({ length: count }, (_, i) => `gid://shopify/Order/${i + 1}`);

  // Shopify refuses a query whose requested cost is over 1,000 points (MAX_COST_EXCEEDED), and that
  // is not retryable: every document asks for at most 800, with the variables the app sends at most.
  test.each(everyDocument())("%s asks for at most 800 points", (name, document) => {
    const variables = name === "PRODUCTS_PAGE" ? { first: documents.PRODUCTS_PAGE_SIZE }
      : name === "INVENTORY_LEVELS" ? { ids: itemIds(documents.inventoryLevelsPage(1)), levels: 1 }
      : name === "ORDERS_FULFILLMENT_LOCATIONS" ? { ids: orderIds(documents.ORDERS_PER_ROUTING_READ) }
      : name === "ITEM_DETAILS" ? { ids: itemIds(documents.ITEM_DETAILS_PAGE) }
      : name === "PRODUCT_METAFIELDS" ? { ids: Array.from({ length: documents.PRODUCT_METAFIELDS_PAGE }, (_, i) => `gid://shopify/Product/${i + 1}`), keys: ["custom.a"] } : {};
    expect(costOf(document, variables)).toBeLessThanOrEqual(documents.MAX_REQUESTED_COST);
  });

  test.each([1, 2, 5, 20, 250])("a full page of inventory levels at %i levels per item stays within 800 points, and is as large as that allows", (levels) => {
    const page = documents.inventoryLevelsPage(levels);
    expect(costOf(documents.INVENTORY_LEVELS, { ids: itemIds(page), levels })).toBeLessThanOrEqual(documents.MAX_REQUESTED_COST);
    // Up to Shopify's 250 ids, or one more item would go over.
    expect(page === 250 || costOf(documents.INVENTORY_LEVELS, { ids: itemIds(page + 1), levels }) > documents.MAX_REQUESTED_COST).toBe(true);
  });

  test("the routing of an online order's lines is read for as many orders a request as 800 points allow", () => {
    expect(costOf(documents.ORDERS_FULFILLMENT_LOCATIONS, { ids: orderIds(documents.ORDERS_PER_ROUTING_READ + 1) })).toBeGreaterThan(documents.MAX_REQUESTED_COST);
  });

  test("a list that takes first is counted at that size, as a connection is (an order's refunds)", () => {
    const refunds = (first: number) => `query { order(id: "gid://shopify/Order/1") { refunds(first: ${first}) { id refundLineItems(first: 10) { nodes { quantity } } } } }`;
    expect(costOf(refunds(20), {}) - costOf(refunds(10), {})).toBe(10 * (1 + 2 + 10));
  });
});
