import { describe, expect, test } from "vitest";
import { levelChangeTimes, parseLevels, parseProduct, productFromBulkLines, productSkus } from "./catalogue";
import { normalizeSku } from "./sku";

// Shopify's JSON as the Admin API answers a product query (PRODUCT_FOR_SYNC) and as a bulk export
// writes it (CATALOGUE_BULK_QUERY: one object per line, children after their parent or not,
// each child naming it in __parentId).

const level = (location: string, available: number, updatedAt = "2026-12-01T10:00:00Z") => ({
  location: { id: location },
  updatedAt,
  quantities: [{ name: "available", quantity: available }],
});

const answer = {
  id: "gid://shopify/Product/1",
  title: "Linen Tee",
  handle: "linen-tee",
  descriptionHtml: "<p>Soft</p>",
  vendor: "Linen & Co",
  productType: "Tees",
  status: "DRAFT",
  tags: ["summer"],
  options: [
    { name: "Colour", position: 2, optionValues: [{ name: "Red" }, { name: "Blue" }] },
    { name: "Size", position: 1, optionValues: [{ name: "S" }] },
  ],
  media: { nodes: [{ alt: "Front", image: { url: "https://cdn/front.jpg" } }, { alt: "A video", image: null }, { image: { url: "https://cdn/back.jpg" } }] },
  collections: { nodes: [{ id: "gid://shopify/Collection/7" }] },
  variants: {
    edges: [
      {
        node: {
          id: "gid://shopify/ProductVariant/12", sku: "  TEE-S-BLUE ", price: "20.00", compareAtPrice: "25.00", barcode: "0123456789012", position: 2,
          selectedOptions: [{ name: "Colour", value: "Blue" }, { name: "Size", value: "S" }],
          inventoryItem: { id: "gid://shopify/InventoryItem/22", tracked: false, inventoryLevels: { nodes: [level("gid://shopify/Location/1", 4)] } },
        },
      },
      {
        node: {
          id: "gid://shopify/ProductVariant/11", sku: "", barcode: "", position: 1,
          selectedOptions: [{ name: "Size", value: "S" }],
          inventoryItem: { id: "gid://shopify/InventoryItem/21" },
        },
      },
    ],
  },
};

describe("parseProduct", () => {
  test("reads a product answer: options in their positions, variants in theirs, SKUs trimmed, images with a URL only", () => {
    const product = parseProduct(answer);
    expect(product).toMatchObject({
      id: "gid://shopify/Product/1", title: "Linen Tee", handle: "linen-tee", descriptionHtml: "<p>Soft</p>", vendor: "Linen & Co", productType: "Tees", status: "DRAFT", tags: ["summer"],
      options: [{ name: "Size", values: ["S"] }, { name: "Colour", values: ["Red", "Blue"] }],
      images: [{ url: "https://cdn/front.jpg", alt: "Front" }, { url: "https://cdn/back.jpg", alt: "" }],
      collectionIds: ["gid://shopify/Collection/7"],
    });
    expect(product.variants).toEqual([
      {
        // An empty barcode is none.
        id: "gid://shopify/ProductVariant/11", sku: null, price: "0.00", compareAtPrice: null, barcode: null, position: 1, options: ["S", ""],
        inventoryItemId: "gid://shopify/InventoryItem/21", tracked: true, available: {},
      },
      {
        id: "gid://shopify/ProductVariant/12", sku: "TEE-S-BLUE", price: "20.00", compareAtPrice: "25.00", barcode: "0123456789012", position: 2, options: ["S", "Blue"],
        inventoryItemId: "gid://shopify/InventoryItem/22", tracked: false, available: { "gid://shopify/Location/1": 4 },
      },
    ]);
    expect(productSkus(product)).toEqual(["TEE-S-BLUE"]);
  });

  test("a product without its optional fields still parses, active, with nothing in its lists", () => {
    expect(parseProduct({ id: "gid://shopify/Product/3", media: null, collections: null, variants: { nodes: [{ id: "v", position: 1 }] } })).toMatchObject({
      images: [], collectionIds: [], variants: [{ id: "v", inventoryItemId: "", sku: null, tracked: true, options: [] }],
    });
    expect(parseProduct({ id: "gid://shopify/Product/2" })).toEqual({
      id: "gid://shopify/Product/2", title: "", handle: "", descriptionHtml: "", vendor: "", productType: "", status: "ACTIVE", tags: [], options: [], images: [], collectionIds: [], variants: [],
    });
  });
});

describe("levels", () => {
  test("only the available quantity of each location counts; a level without one is left out", () => {
    const levels = [
      level("L1", 3),
      { location: { id: "L2" }, quantities: [{ name: "on_hand", quantity: 9 }] },
      { location: { id: "L3" }, quantities: [{ name: "available", quantity: null }] },
      { quantities: [{ name: "available", quantity: 5 }] },
      level("L4", 0),
    ];
    expect(parseLevels(levels)).toEqual({ L1: 3, L4: 0 });
  });

  test("change times are whole seconds, and a level without one is left out", () => {
    expect(levelChangeTimes([level("L1", 1, "2026-12-01T10:00:05.900Z"), { location: { id: "L2" } }, level("L3", 1, "not a time"), { updatedAt: "2026-12-01T10:00:00Z" }])).toEqual({
      L1: Date.parse("2026-12-01T10:00:05Z"),
    });
  });
});

describe("normalizeSku", () => {
  test("trims; blank or not a string is no SKU", () => {
    expect(normalizeSku(" A-1 ")).toBe("A-1");
    expect(normalizeSku("   ")).toBeNull();
    expect(normalizeSku(12)).toBeNull();
    expect(normalizeSku(null)).toBeNull();
  });
});

describe("productFromBulkLines", () => {
  const product = { id: "gid://shopify/Product/1", title: "Tee", options: [{ name: "Size", position: 1, optionValues: [{ name: "S" }, { name: "M" }] }] };
  const variant = (n: number, position: number, size: string) => ({
    id: `gid://shopify/ProductVariant/${n}`, sku: `TEE-${size}`, price: "10.00", position,
    selectedOptions: [{ name: "Size", value: size }], inventoryItem: { id: `gid://shopify/InventoryItem/${n}`, tracked: true },
    __parentId: product.id,
  });
  const lines = [
    { ...level("gid://shopify/Location/1", 2, "2026-12-01T10:00:01Z"), __parentId: "gid://shopify/ProductVariant/12" },
    variant(12, 2, "M"),
    { id: "gid://shopify/Collection/7", __parentId: product.id },
    product,
    { id: "gid://shopify/MediaImage/5", alt: "Front", image: { url: "https://cdn/front.jpg" }, __parentId: product.id },
    variant(11, 1, "S"),
    { ...level("gid://shopify/Location/1", 6, "2026-12-01T10:00:02Z"), __parentId: "gid://shopify/ProductVariant/11" },
    { ...level("gid://shopify/Location/2", 1, "2026-12-01T10:00:03Z"), __parentId: "gid://shopify/ProductVariant/11" },
  ];

  test("puts lines that came in any order back together: variants in order, each with its own levels; media and collections apart", () => {
    const parsed = productFromBulkLines(lines);
    expect(parsed.images).toEqual([{ url: "https://cdn/front.jpg", alt: "Front" }]);
    expect(parsed.collectionIds).toEqual(["gid://shopify/Collection/7"]);
    expect(parsed.variants.map((v) => [v.sku, v.options, v.available, v.changedAt])).toEqual([
      ["TEE-S", ["S"], { "gid://shopify/Location/1": 6, "gid://shopify/Location/2": 1 }, { "gid://shopify/Location/1": Date.parse("2026-12-01T10:00:02Z"), "gid://shopify/Location/2": Date.parse("2026-12-01T10:00:03Z") }],
      ["TEE-M", ["M"], { "gid://shopify/Location/1": 2 }, { "gid://shopify/Location/1": Date.parse("2026-12-01T10:00:01Z") }],
    ]);
  });

  test("refuses lines without their product line", () => {
    expect(() => productFromBulkLines(lines.filter((line) => line !== product))).toThrow("bulk lines without their product line");
  });
});

describe("SEO, inventory policy, unit cost and weight", () => {
  test("are read when the answer has them, and absent when it does not", () => {
    const base = { id: "gid://shopify/Product/1", title: "Tee", options: [{ name: "Size", position: 1, optionValues: [{ name: "S" }] }] };
    const variant = (extra: Record<string, unknown>, item: Record<string, unknown> = {}) => ({
      id: "gid://shopify/ProductVariant/1", sku: "TEE-S", price: "10.00", position: 1, selectedOptions: [{ name: "Size", value: "S" }],
      inventoryItem: { id: "gid://shopify/InventoryItem/1", tracked: true, ...item }, ...extra,
    });
    const read = (extra: Record<string, unknown>, item?: Record<string, unknown>, product: Record<string, unknown> = {}) =>
      parseProduct({ ...base, ...product, variants: { nodes: [variant(extra, item)] } });

    const plain = read({});
    expect(plain).not.toHaveProperty("seo");
    expect(Object.keys(plain.variants[0])).not.toEqual(expect.arrayContaining(["inventoryPolicy"]));
    expect(plain.variants[0]).not.toHaveProperty("unitCost");
    expect(plain.variants[0]).not.toHaveProperty("weight");

    expect(read({}, {}, { seo: { title: "T", description: null } }).seo).toEqual({ title: "T", description: null });
    expect(read({}, {}, { seo: {} }).seo).toEqual({ title: null, description: null });
    expect(read({ inventoryPolicy: "CONTINUE" }).variants[0].inventoryPolicy).toBe("CONTINUE");
    expect(read({ inventoryPolicy: "DENY" }).variants[0].inventoryPolicy).toBe("DENY");
    expect(read({ inventoryPolicy: "SOMETHING" }).variants[0].inventoryPolicy).toBe("DENY");

    const detailed = read({}, { unitCost: { amount: "4.5" }, measurement: { weight: { value: "250", unit: "GRAMS" } } }).variants[0];
    expect(detailed).toMatchObject({ unitCost: "4.5", weight: { value: 250, unit: "GRAMS" } });
    // Asked for and none set: null, not absent.
    expect(read({}, { unitCost: null, measurement: {} }).variants[0]).toMatchObject({ unitCost: null });
    expect(read({}, { unitCost: { amount: null } }).variants[0].unitCost).toBeNull();
    expect(read({}, { measurement: {} }).variants[0]).not.toHaveProperty("weight");
  });

  test("a bulk export's media lines have no id of their own: still images, not variants or collections", () => {
    const product = { id: "gid://shopify/Product/9", title: "Mug", options: [{ name: "Title", position: 1, optionValues: [{ name: "Default Title" }] }] };
    const parsed = productFromBulkLines([
      product,
      { alt: "Side", image: { url: "https://cdn/side.jpg" }, __parentId: product.id },
      { id: "gid://shopify/ProductVariant/91", sku: "MUG", price: "5.00", position: 1, selectedOptions: [{ name: "Title", value: "Default Title" }], inventoryItem: { id: "gid://shopify/InventoryItem/91", tracked: true, unitCost: { amount: "2.00" } }, __parentId: product.id },
    ]);
    expect(parsed.images).toEqual([{ url: "https://cdn/side.jpg", alt: "Side" }]);
    expect(parsed.collectionIds).toEqual([]);
    expect(parsed.variants.map((v) => [v.sku, v.unitCost])).toEqual([["MUG", "2.00"]]);
  });
});
