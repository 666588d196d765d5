import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { shopNamedBy } = await import("./authenticate.server");

test("the shop a webhook body names, from the fields Shopify's bodies name it with", () => {
  expect(shopNamedBy({ shop_id: 1, shop_domain: "a.myshopify.com" })).toBe("a.myshopify.com");
  expect(shopNamedBy({ id: 1, domain: "shop.example.com", myshopify_domain: "B.myshopify.com" })).toBe("b.myshopify.com");
  // Bodies that name no shop (products, orders, levels) and bodies that are not objects.
  expect(shopNamedBy({ admin_graphql_api_id: "gid://shopify/Product/1" })).toBeNull();
  expect(shopNamedBy({ shop_domain: 42 })).toBeNull();
  expect(shopNamedBy([])).toBeNull();
  expect(shopNamedBy("a.myshopify.com")).toBeNull();
  expect(shopNamedBy(null)).toBeNull();
});
