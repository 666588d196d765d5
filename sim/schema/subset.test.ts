import {
  GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLScalarType,
  GraphQLUnionType, buildSchema, isNonNullType, printSchema, type GraphQLNamedType, type GraphQLSchema,
} from "graphql";
import { describe, expect, test } from "vitest";
import { applyDelta, buildAdminSchema, readAdminSdl, readDeltaSdl } from "./admin-schema";
import { extractSubset } from "./extract";
import { loadShopifySchema } from "./shopify-schema";
import { schemaSubset } from "./subset";

/** Every difference between the simulator's schema and Shopify's, as readable lines. */
function differences(sim: GraphQLSchema, shopify: GraphQLSchema): string[] {
  const found: string[] = [];
  const kind = (type: GraphQLNamedType) => type.constructor.name;
  for (const type of Object.values(sim.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    const real = shopify.getType(type.name);
    if (!real) {
      found.push(`${type.name} does not exist in Shopify's schema`);
      continue;
    }
    if (kind(type) !== kind(real)) {
      found.push(`${type.name} is a ${kind(type)} but Shopify's is a ${kind(real)}`);
      continue;
    }
    if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType) {
      const realType = real as GraphQLObjectType | GraphQLInterfaceType;
      for (const iface of type.getInterfaces()) {
        if (!realType.getInterfaces().some((r) => r.name === iface.name)) found.push(`${type.name} implements ${iface.name}, Shopify's does not`);
      }
      for (const field of Object.values(type.getFields())) {
        const realField = realType.getFields()[field.name];
        if (!realField) {
          found.push(`${type.name}.${field.name} does not exist`);
          continue;
        }
        if (String(field.type) !== String(realField.type)) found.push(`${type.name}.${field.name}: ${field.type} ≠ ${realField.type}`);
        for (const arg of field.args) {
          const realArg = realField.args.find((a) => a.name === arg.name);
          if (!realArg) found.push(`${type.name}.${field.name}(${arg.name}) does not exist`);
          else if (String(arg.type) !== String(realArg.type)) found.push(`${type.name}.${field.name}(${arg.name}): ${arg.type} ≠ ${realArg.type}`);
        }
        for (const realArg of realField.args) {
          if (!field.args.some((a) => a.name === realArg.name)) found.push(`${type.name}.${field.name}(${realArg.name}) is missing`);
        }
      }
    } else if (type instanceof GraphQLInputObjectType) {
      const realFields = (real as GraphQLInputObjectType).getFields();
      for (const field of Object.values(type.getFields())) {
        const realField = realFields[field.name];
        if (!realField) found.push(`${type.name}.${field.name} does not exist`);
        else if (String(field.type) !== String(realField.type)) found.push(`${type.name}.${field.name}: ${field.type} ≠ ${realField.type}`);
      }
      for (const realField of Object.values(realFields)) {
        const required = isNonNullType(realField.type) && realField.defaultValue === undefined;
        if (required && !type.getFields()[realField.name]) found.push(`${type.name}.${realField.name} is required by Shopify but missing`);
      }
    } else if (type instanceof GraphQLEnumType) {
      const realValues = new Set((real as GraphQLEnumType).getValues().map((v) => v.name));
      for (const value of type.getValues()) if (!realValues.has(value.name)) found.push(`${type.name}.${value.name} does not exist`);
    } else if (type instanceof GraphQLUnionType) {
      const realMembers = new Set((real as GraphQLUnionType).getTypes().map((t) => t.name));
      for (const member of type.getTypes()) if (!realMembers.has(member.name)) found.push(`${type.name} | ${member.name} is not a member`);
    } else if (!(type instanceof GraphQLScalarType)) {
      found.push(`${String(type)}: unexpected kind`);
    }
  }
  return found;
}

describe("the simulator's Admin API schema", () => {
  const shopify = loadShopifySchema();

  test("is a strict subset of Shopify's 2025-01 schema", () => {
    expect(differences(buildAdminSchema(), shopify)).toEqual([]);
  });

  test("is what the subset selection extracts (the generated file was not edited by hand)", () => {
    expect(readAdminSdl()).toBe(extractSubset(shopify, schemaSubset));
  });

  test("2026-10 is a strict subset of Shopify's 2025-01 schema with the same documented delta applied", () => {
    const shopify2026 = buildSchema(applyDelta(printSchema(shopify), readDeltaSdl("2026-10")!));
    const simulator2026 = buildAdminSchema("2026-10");
    expect(differences(simulator2026, shopify2026)).toEqual([]);
    // The delta is really there: 2025-01's compare-and-set field is gone from 2026-10, its successor is in.
    expect(differences(buildAdminSchema("2025-01"), shopify2026)).toEqual(expect.arrayContaining([
      "InventoryQuantityInput.compareQuantity does not exist",
      "Mutation.bulkOperationRunQuery(groupObjects) is missing",
    ]));
    expect(Object.keys((simulator2026.getType("InventoryChangeInput") as GraphQLInputObjectType).getFields())).toContain("changeFromQuantity");
    expect(simulator2026.getDirective("idempotent")?.args.map((arg) => `${arg.name}: ${arg.type}`)).toEqual(["key: String!"]);
    expect(buildAdminSchema("2025-01").getDirective("idempotent")).toBeUndefined();
  });

  test("the check finds a renamed field, a wrong type and a missing required input field", async () => {
    const { buildSchema } = await import("graphql");
    const broken = buildSchema(`
      type QueryRoot { shop: Shop! }
      type Shop { id: ID! nameOfShop: String currencyCode: String }
      input InventoryChangeInput { delta: Int! inventoryItemId: ID! }
      type Mutation { noop(input: InventoryChangeInput): Boolean }
      schema { query: QueryRoot mutation: Mutation }
    `);
    expect(differences(broken, shopify)).toEqual([
      "Shop.nameOfShop does not exist",
      "Shop.currencyCode: String ≠ CurrencyCode!",
      "InventoryChangeInput.locationId is required by Shopify but missing",
      "Mutation.noop does not exist",
    ]);
  });
});
