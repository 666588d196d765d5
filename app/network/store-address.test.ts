import { english } from "../i18n";
import { describe, expect, test } from "vitest";
import { normalizeStoreAddress } from "./store-address";

describe("normalizeStoreAddress", () => {
  test.each([
    ["my-store", "my-store.myshopify.com"],
    ["  My-Store.myshopify.com ", "my-store.myshopify.com"],
    ["https://my-store.myshopify.com/admin/products?x=1", "my-store.myshopify.com"],
    ["my-store.myshopify.com/admin", "my-store.myshopify.com"],
    ["https://admin.shopify.com/store/my-store/apps/tandem", "my-store.myshopify.com"],
    ["shop42", "shop42.myshopify.com"],
    ["a", "a.myshopify.com"],
    ["a".repeat(60), `${"a".repeat(60)}.myshopify.com`],
    ["http://my-store.myshopify.com", "my-store.myshopify.com"],
  ])("%j becomes %s", (input, shop) => {
    expect(normalizeStoreAddress(input)).toEqual({ ok: true, shop });
  });

  test.each([
    "",
    "   ",
    "my store",
    "my_store",
    "-store",
    "store-",
    "evil.com",
    "my-store.myshopify.com.evil.com",
    "https://user:pass@my-store.myshopify.com",
    "https://my-store.myshopify.com:8443/admin",
    "ftp://my-store.myshopify.com",
    "https://admin.shopify.com/settings",
    "<script>alert(1)</script>",
    "'; DROP TABLE Store; --",
    "a".repeat(300),
    "a".repeat(61),
    "shop!",
    "my store.myshopify.com",
    "https://evil.com/store/my-store",
    "https://admin.shopify.com/apps/store/my-store",
  ])("rejects %j with a clear message", (input) => {
    const result = normalizeStoreAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(english.text(result.error)).toMatch(/store address|myshopify\.com/);
  });
});
