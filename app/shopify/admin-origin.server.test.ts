import { describe, expect, test } from "vitest";
import { adminAppUrl, adminGraphqlUrl } from "./admin-origin.server";

describe("adminGraphqlUrl", () => {
  test("is Shopify's endpoint for the shop in production", () => {
    expect(adminGraphqlUrl("tandem.myshopify.com", { version: "2026-10" })).toBe("https://tandem.myshopify.com/admin/api/2026-10/graphql.json");
  });

  test("points at the simulator when an origin override is configured", () => {
    expect(adminGraphqlUrl("tandem.myshopify.com", { origin: "http://127.0.0.1:4100/", version: "2026-10" })).toBe(
      "http://127.0.0.1:4100/shops/tandem.myshopify.com/admin/api/2026-10/graphql.json",
    );
  });

  test.each(["evil.com", "tandem.myshopify.com.evil.com", "../admin", ""])("refuses %j, which is not a shop domain", (shop) => {
    expect(() => adminGraphqlUrl(shop, { version: "2026-10" })).toThrow("Not a myshopify.com shop domain");
  });
});

describe("adminAppUrl", () => {
  test("is the app's page in admin.shopify.com in production", () => {
    expect(adminAppUrl("tandem.myshopify.com", "/app/plan", { handle: "tandem" })).toBe("https://admin.shopify.com/store/tandem/apps/tandem/app/plan");
  });

  test("is the simulator's admin frame when an origin override is configured", () => {
    expect(adminAppUrl("tandem.myshopify.com", "/app/plan", { origin: "http://127.0.0.1:4100", handle: "tandem" })).toBe(
      "http://127.0.0.1:4100/admin/tandem.myshopify.com/apps/tandem/app/plan",
    );
  });
});
