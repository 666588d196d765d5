import {
  GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLScalarType,
  GraphQLUnionType, isNonNullType, type GraphQLNamedType, type GraphQLSchema,
} from "graphql";
import { describe, expect, test } from "vitest";
import { buildAdminSchema, readAdminSdl, SIMULATED_API_VERSIONS } from "./admin-schema";
import { extractSubset } from "./extract";
import { loadShopifySchema } from "./shopify-schema";
import { schemaSubset } from "./subset";

/** Every difference between the simulator's schema and Shopify's, as readable lines. */
function differences(sim: GraphQLSchema, shopify: GraphQLSchema): string[] {
  const found: string[] = [];
  const kind = (type: GraphQLNamedType) => type.constructor.name;
  for (const directive of sim.getDirectives()) {
    const real = shopify.getDirective(directive.name);
    if (!real) {
      found.push(`@${directive.name} does not exist`);
      continue;
    }
    for (const arg of directive.args) {
      const realArg = real.args.find((a) => a.name === arg.name);
      if (!realArg) found.push(`@${directive.name}(${arg.name}) does not exist`);
      else if (String(arg.type) !== String(realArg.type)) found.push(`@${directive.name}(${arg.name}): ${arg.type} ≠ ${realArg.type}`);
    }
  }
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

describe.each(SIMULATED_API_VERSIONS)("the simulator's Admin API schema at %s", (version) => {
  const shopify = loadShopifySchema(version);

  test(`is a strict subset of Shopify's real ${version} schema`, () => {
    expect(differences(buildAdminSchema(version), shopify)).toEqual([]);
  });

  test("is what the subset selection extracts from that version (the generated file was not edited by hand)", () => {
    expect(readAdminSdl(version)).toBe(extractSubset(shopify, schemaSubset, version));
  });

  test("the check finds a renamed field, a wrong type, a missing required input field, an unknown enum value and directive", async () => {
    const { buildSchema } = await import("graphql");
    const broken = buildSchema(`
      directive @cached(ttl: Int) on FIELD
      type QueryRoot { shop: Shop! }
      type Shop { id: ID! nameOfShop: String currencyCode: String }
      input InventoryChangeInput { delta: Int! inventoryItemId: ID! }
      enum BulkOperationUserErrorCode { INVALID QUEUE_FULL }
      type Mutation { noop(input: InventoryChangeInput, code: BulkOperationUserErrorCode): Boolean }
      schema { query: QueryRoot mutation: Mutation }
    `);
    expect(differences(broken, shopify)).toEqual([
      "@cached does not exist",
      "Shop.nameOfShop does not exist",
      "Shop.currencyCode: String ≠ CurrencyCode!",
      "InventoryChangeInput.locationId is required by Shopify but missing",
      "BulkOperationUserErrorCode.QUEUE_FULL does not exist",
      "Mutation.noop does not exist",
    ]);
  });
});

describe("what differs between the versions, as the real schemas have it", () => {
  test("2026-10 no longer has ITEM_NOT_STOCKED_AT_LOCATION; 2026-01 has it: the simulator's error codes follow", () => {
    const codes = (version: (typeof SIMULATED_API_VERSIONS)[number]) =>
      (buildAdminSchema(version).getType("InventorySetQuantitiesUserErrorCode") as GraphQLEnumType).getValues().map((value) => value.name);
    expect(codes("2026-01")).toContain("ITEM_NOT_STOCKED_AT_LOCATION");
    expect(codes("2026-10")).not.toContain("ITEM_NOT_STOCKED_AT_LOCATION");
  });

  test("a field of one version only fails the other's check", () => {
    // 2026-10's inventoryLevel(includeInactive:) is not in 2026-01.
    expect(differences(buildAdminSchema("2026-10"), loadShopifySchema("2026-01"))).toEqual(
      expect.arrayContaining(["InventoryItem.inventoryLevel(includeInactive) does not exist"]),
    );
  });
});
