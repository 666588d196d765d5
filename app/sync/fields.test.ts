import { describe, expect, test } from "vitest";
import { DEFAULT_FIELD_RULES, fieldRulesFrom, parseFieldRules, takesItemDetails } from "./fields";

describe("field rules", () => {
  test("the defaults are seed 000's rules", () => {
    expect(DEFAULT_FIELD_RULES).toEqual({
      title: "always", description: "first", images: "always", tags: "never", vendor: "never", productType: "never", barcode: "never", compareAtPrice: "always",
      // Options sync (seed 000); weight and supplier price do not; the rest Tandem did not copy before stores chose.
      optionNames: "always", weight: "never", unitCost: "never", seo: "never", handle: "never", inventoryPolicy: "never",
    });
  });

  test("a saved choice replaces the default; a field not named, unknown or with a choice it does not allow keeps it", () => {
    expect(fieldRulesFrom({ vendor: "always", title: "never", colour: "always", tags: "sometimes" })).toEqual({ ...DEFAULT_FIELD_RULES, vendor: "always" });
    expect(fieldRulesFrom({ title: "first" })).toEqual({ ...DEFAULT_FIELD_RULES, title: "first" });
    expect(fieldRulesFrom(null)).toBeNull();
    expect(fieldRulesFrom(["always"])).toBeNull();
    expect(fieldRulesFrom("always")).toBeNull();
  });

  test("stored JSON that cannot be read is the defaults", () => {
    expect(parseFieldRules('{"barcode":"always"}')).toEqual({ ...DEFAULT_FIELD_RULES, barcode: "always" });
    expect(parseFieldRules("{not json")).toEqual(DEFAULT_FIELD_RULES);
    expect(parseFieldRules(null)).toEqual(DEFAULT_FIELD_RULES);
    expect(parseFieldRules("[]")).toEqual(DEFAULT_FIELD_RULES);
  });

  test("unit cost and weight are read only for a store that takes one of them", () => {
    expect(takesItemDetails(DEFAULT_FIELD_RULES)).toBe(false);
    expect(takesItemDetails({ ...DEFAULT_FIELD_RULES, unitCost: "first" })).toBe(true);
    expect(takesItemDetails({ ...DEFAULT_FIELD_RULES, weight: "always" })).toBe(true);
    expect(takesItemDetails({ ...DEFAULT_FIELD_RULES, inventoryPolicy: "always", seo: "always" })).toBe(false);
  });
});
