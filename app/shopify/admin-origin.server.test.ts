import { describe, expect, test } from "vitest";
import { adminGraphqlUrl } from "./admin-origin.server";

describe("adminGraphqlUrl", () => {
  test("is Shopify's endpoint for the shop in production", () => {
    expect(adminGraphqlUrl("tandem.myshopify.com", { version: "2025-01" })).toBe("https://tandem.myshopify.com/admin/api/2025-01/graphql.json");
  });

  test("points at the simulator when an origin override is configured", () => {
    expect(adminGraphqlUrl("tandem.myshopify.com", { origin: "http://127.0.0.1:4100/", version: "2025-01" })).toBe(
      "http://127.0.0.1:4100/shops/tandem.myshopify.com/admin/api/2025-01/graphql.json",
    );
  });

  test.each(["evil.com", "tandem.myshopify.com.evil.com", "../admin", ""])("refuses %j, which is not a shop domain", (shop) => {
    expect(() => adminGraphqlUrl(shop, { version: "2025-01" })).toThrow("Not a myshopify.com shop domain");
  });
});
