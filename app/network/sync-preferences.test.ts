import { describe, expect, test } from "vitest";
import { english } from "../i18n";
import { parseLocationMapping, preferencesFieldErrors, preferencesSchema } from "./sync-preferences";

// The preferences form as the admin posts it (components/SyncPreferencesForm.tsx): every value a string.
const form = (fields: Record<string, string> = {}) => ({ intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "false", ...fields });
const errorsOf = (fields: Record<string, string>) => {
  const errors = preferencesFieldErrors(form(fields));
  return errors && Object.fromEntries(Object.entries(errors).map(([field, message]) => [field, english.text(message)]));
};

describe("the sync preferences form", () => {
  test("a form with only the required fields takes the defaults of seed 004", () => {
    expect(preferencesSchema.parse(form())).toEqual({
      intent: "save-preferences", scope: "all", syncDetails: true, syncPrice: true, syncQuantity: false,
      publishNewProducts: false, onPrimaryDelete: "archive", countUnpaidOrders: false, mirrorOrders: true,
      stockBuffer: 0, stockAllocationPercent: 100, priceExchangeRate: null, priceMarkupPercent: null, priceRounding: "none",
    });
  });

  test("every value is read as typed: flags, choices, whole numbers, decimals with a comma or a point", () => {
    expect(preferencesSchema.parse(form({
      scope: "matching", syncDetails: "false", publishNewProducts: "true", onPrimaryDelete: "delete", countUnpaidOrders: "true", mirrorOrders: "false",
      stockBuffer: " 12 ", stockAllocationPercent: "1", priceExchangeRate: "0,92", priceMarkupPercent: "-90", priceRounding: "99",
    }))).toEqual({
      intent: "save-preferences", scope: "matching", syncDetails: false, syncPrice: true, syncQuantity: false,
      publishNewProducts: true, onPrimaryDelete: "delete", countUnpaidOrders: true, mirrorOrders: false,
      stockBuffer: 12, stockAllocationPercent: 1, priceExchangeRate: "0.92", priceMarkupPercent: "-90", priceRounding: "99",
    });
    // The ends of each range are allowed.
    expect(preferencesSchema.parse(form({ stockBuffer: "100000", stockAllocationPercent: "100", priceExchangeRate: "1000000", priceMarkupPercent: "1000" })))
      .toMatchObject({ stockBuffer: 100_000, stockAllocationPercent: 100, priceExchangeRate: "1000000", priceMarkupPercent: "1000" });
    expect(preferencesSchema.parse(form({ priceExchangeRate: "0.000001", priceMarkupPercent: " " }))).toMatchObject({ priceExchangeRate: "0.000001", priceMarkupPercent: null });
  });

  test.each([
    [{ stockBuffer: "-1" }, "stockBuffer", "0", "100000"],
    [{ stockBuffer: "100001" }, "stockBuffer", "0", "100000"],
    [{ stockBuffer: "1.5" }, "stockBuffer", "0", "100000"],
    [{ stockAllocationPercent: "0" }, "stockAllocationPercent", "1", "100"],
    [{ stockAllocationPercent: "101" }, "stockAllocationPercent", "1", "100"],
    [{ priceExchangeRate: "0" }, "priceExchangeRate", "0.000001", "1000000"],
    [{ priceExchangeRate: "1000000.5" }, "priceExchangeRate", "0.000001", "1000000"],
    [{ priceExchangeRate: "1e3" }, "priceExchangeRate", "0.000001", "1000000"],
    [{ priceMarkupPercent: "-90.01" }, "priceMarkupPercent", "-90", "1000"],
    [{ priceMarkupPercent: "abc" }, "priceMarkupPercent", "-90", "1000"],
  ])("%j gets a field error naming the range", (fields, field, min, max) => {
    const errors = errorsOf(fields)!;
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toContain(min);
    expect(errors[field]).toContain(max);
    expect(preferencesSchema.safeParse(form(fields)).success).toBe(false);
  });

  test("a typed value too long for its field is marked on that field, with the limit", () => {
    expect(preferencesFieldErrors(form({ stockBuffer: "1".repeat(21) }))).toEqual({ stockBuffer: { key: "form.tooLong", params: { max: 20, length: 21 } } });
    expect(preferencesFieldErrors(form({ priceMarkupPercent: "9".repeat(25) }))).toEqual({ priceMarkupPercent: { key: "form.tooLong", params: { max: 20, length: 25 } } });
  });

  test("a form our admin cannot send is refused without field errors", () => {
    expect(preferencesFieldErrors(form({ scope: "everything" }))).toBeNull();
    expect(preferencesFieldErrors({ intent: "invite", addresses: "x" })).toBeNull();
    // A typed value out of range beside a field our form never sends wrong, or in another form.
    expect(preferencesFieldErrors(form({ scope: "everything", stockBuffer: "-1" }))).toBeNull();
    expect(preferencesFieldErrors(form({ intent: "save-location-mapping", stockBuffer: "-1" }))).toBeNull();
    expect(errorsOf({ stockBuffer: "-1" })).toHaveProperty("stockBuffer");
    expect(preferencesFieldErrors(form())).toBeNull();
  });

  test("the location mapping takes the fields named location:<primary location>, an empty one meaning the default", () => {
    expect(parseLocationMapping({
      intent: "save-location-mapping", "location:gid://shopify/Location/1": "gid://shopify/Location/9", "location:gid://shopify/Location/2": "", other: "x",
    })).toEqual({ "gid://shopify/Location/1": "gid://shopify/Location/9" });
    expect(parseLocationMapping({ "location:gid://shopify/Location/3": new File([], "f") })).toEqual({});
  });
});
