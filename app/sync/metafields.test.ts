import { describe, expect, test } from "vitest";
import { english } from "../i18n";
import { type CatalogueMetafield, type MetafieldPlanInput, planMetafields, referencedIds, referencesToTranslate, typeTravels } from "./metafields";

const text = (namespace: string, key: string, value: string): CatalogueMetafield => ({ namespace, key, type: "single_line_text_field", value });
const products = (key: string, ids: string[]): CatalogueMetafield => ({ namespace: "custom", key, type: "list.product_reference", value: JSON.stringify(ids) });
const P = (n: number) => `gid://shopify/Product/${n}`;

function input(overrides: Partial<MetafieldPlanInput>): MetafieldPlanInput {
  return { chosen: new Set(["custom.material", "custom.pairs", "custom.main"]), mismatched: new Map(), primary: [], dependent: null, translated: new Map(), ...overrides };
}

describe("planMetafields", () => {
  test("a new copy takes every chosen value with its type; one not chosen stays behind", () => {
    const plan = planMetafields(input({ primary: [text("custom", "material", "Oak"), text("custom", "care", "Oil it")] }), "Table");
    expect(plan).toEqual({ writes: [text("custom", "material", "Oak")], notes: [] });
  });

  test("a value the copy has already is not written again; JSON values compare as data", () => {
    const primary = [text("custom", "material", "Oak"), products("pairs", [P(1)])];
    const translated = new Map([[P(1), P(101)]]);
    const same = planMetafields(input({ primary, translated, dependent: [text("custom", "material", "Oak"), { ...products("pairs", [P(101)]), value: `[ "${P(101)}" ]` }] }), "Table");
    expect(same.writes).toEqual([]);
    const changed = planMetafields(input({ primary, translated, dependent: [text("custom", "material", "Pine"), products("pairs", [P(101)])] }), "Table");
    expect(changed.writes).toEqual([text("custom", "material", "Oak")]);
    // Same value, another type in the copy (its definition was changed there since): written with the primary's.
    const retyped = planMetafields(input({ primary: [text("custom", "material", "Oak")], dependent: [{ ...text("custom", "material", "Oak"), type: "multi_line_text_field" }] }), "Table");
    expect(retyped.writes).toEqual([text("custom", "material", "Oak")]);
  });

  test("references become the dependent's ids, in order; a single reference too", () => {
    const main: CatalogueMetafield = { namespace: "custom", key: "main", type: "variant_reference", value: "gid://shopify/ProductVariant/7" };
    const plan = planMetafields(input({
      primary: [products("pairs", [P(2), P(1)]), main],
      translated: new Map([[P(1), P(101)], [P(2), P(102)], ["gid://shopify/ProductVariant/7", "gid://shopify/ProductVariant/107"]]),
    }), "Table");
    expect(plan.writes).toEqual([products("pairs", [P(102), P(101)]), { ...main, value: "gid://shopify/ProductVariant/107" }]);
  });

  test("a reference whose target is not linked waits, whole, with a note that counts what is missing", () => {
    const plan = planMetafields(input({ primary: [products("pairs", [P(1), P(2), P(3)]), text("custom", "material", "Oak")], translated: new Map([[P(1), P(101)], [P(2), null]]) }), "Table");
    expect(plan.writes).toEqual([text("custom", "material", "Oak")]);
    expect(plan.notes.map((note) => english.text(note.message))).toEqual(["Metafield custom.pairs of “Table” not copied yet: 2 of the products, variants or collections it points to are not linked in this store"]);
  });

  test("a definition of another type in the dependent: the value is left alone and the note names both types", () => {
    const plan = planMetafields(input({
      primary: [text("custom", "material", "Oak")], mismatched: new Map([["custom.material", { primaryType: "single_line_text_field", dependentType: "number_integer" }]]),
    }), "Table");
    expect(plan.writes).toEqual([]);
    expect(plan.notes.map((note) => [english.text(note.message), english.text(note.fix)])).toEqual([[
      "Metafield custom.material of “Table” not copied: this store defines it as number_integer, the primary as single_line_text_field",
      "Give the definition of custom.material in this store (Settings › Custom data) the primary's type, or delete it so that Tandem creates it",
    ]]);
  });

  test("what a reference value names: one GID, a list's in order, nothing for other types or unreadable lists", () => {
    expect(referencedIds({ namespace: "c", key: "k", type: "collection_reference", value: "gid://shopify/Collection/5" })).toEqual(["gid://shopify/Collection/5"]);
    expect(referencedIds(products("pairs", [P(3), P(1)]))).toEqual([P(3), P(1)]);
    expect(referencedIds({ ...products("pairs", []), value: "not json" })).toEqual([]);
    expect(referencedIds(text("custom", "material", P(1)))).toEqual([]);
    expect(referencedIds({ namespace: "c", key: "k", type: "product_reference", value: "" })).toEqual([]);
    expect(referencesToTranslate([products("pairs", [P(1), P(2)]), products("other", [P(9)]), products("main", [P(1)])], new Set(["custom.pairs", "custom.main"]))).toEqual([P(1), P(2)]);
  });

  test("types that travel: values, and references to products, variants and collections; not references to what Tandem does not copy", () => {
    for (const type of ["single_line_text_field", "json", "number_decimal", "list.color", "product_reference", "list.variant_reference", "collection_reference"]) expect(typeTravels(type), type).toBe(true);
    for (const type of ["metaobject_reference", "list.file_reference", "page_reference", "mixed_reference", "customer_reference"]) expect(typeTravels(type), type).toBe(false);
  });
});
