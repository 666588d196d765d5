import crypto from "node:crypto";
import { describe, expect, test } from "vitest";
import { signWebhook } from "../../sim/webhooks/dispatcher";
import { useTestAppEnv } from "../../tests/setup/app-env";
import { TEST_API_SECRET } from "../../tests/setup/test-app";

await useTestAppEnv();
const { authenticateWebhook, shopNamedBy } = await import("./authenticate.server");

const SHOP = "auth-hooks.myshopify.com";

/** A webhook as Shopify sends it, with the headers any HTTP client adds besides Shopify's own. */
function delivery(body: string, { shop = SHOP, secret = TEST_API_SECRET, method = "POST" } = {}) {
  return new Request("https://tandem.test/webhooks/products", {
    method,
    body: method === "POST" ? body : undefined,
    headers: {
      "Content-Type": "application/json", Accept: "*/*", "User-Agent": "Shopify-Captain-Hook", "X-Forwarded-For": "10.0.0.1",
      "X-Shopify-Topic": "products/update", "X-Shopify-Hmac-Sha256": signWebhook(body, secret), "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": "2026-10", "X-Shopify-Webhook-Id": crypto.randomUUID(), "X-Shopify-Event-Id": "event-1",
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
  });
}

/** What the request was refused with (a thrown Response), or null when it was accepted. */
async function refusalOf(request: Request): Promise<{ status: number; text: string } | null> {
  try {
    await authenticateWebhook(request);
    return null;
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    throw thrown;
  }
}
const refusal = async (request: Request) => (await refusalOf(request))?.status ?? null;

describe("authenticateWebhook", () => {
  test("a signed delivery gives its shop, topic, ids, parsed payload and the body as received", async () => {
    // An id past 2^53: JSON.parse would round it, the raw body keeps it.
    const body = '{"id":9007199254740993,"admin_graphql_api_id":"gid://shopify/Product/9007199254740993"}';
    const context = await authenticateWebhook(delivery(body));
    expect(context).toMatchObject({ shop: SHOP, topic: "PRODUCTS_UPDATE", webhookId: expect.any(String), eventId: "event-1", rawBody: body });
    expect(context.payload).toMatchObject({ admin_graphql_api_id: "gid://shopify/Product/9007199254740993" });
  });

  test("a body signed with another secret, or altered after signing, is refused", async () => {
    expect(await refusal(delivery("{}", { secret: "another-secret" }))).toBe(401);
    const signed = delivery('{"id":1}');
    const altered = new Request(signed.url, { method: "POST", headers: signed.headers, body: '{"id":2}' });
    expect(await refusal(altered)).toBe(401);
  });

  test("a body naming another shop than the header is refused, whatever the case", async () => {
    expect(await refusalOf(delivery(JSON.stringify({ shop_domain: "someone-else.myshopify.com" })))).toEqual({ status: 401, text: "The body names another shop than the request" });
    expect(await refusal(delivery(JSON.stringify({ shop_domain: SHOP.toUpperCase() })))).toBeNull();
    expect(await refusal(delivery(JSON.stringify({ myshopify_domain: SHOP })))).toBeNull();
  });

  test("anything but a POST is answered 405 by the library", async () => {
    expect(await refusal(delivery("", { method: "GET" }))).toBe(405);
  });
});

test("the shop a webhook body names, from the fields Shopify's bodies name it with", () => {
  expect(shopNamedBy({ shop_id: 1, shop_domain: "a.myshopify.com" })).toBe("a.myshopify.com");
  expect(shopNamedBy({ id: 1, domain: "shop.example.com", myshopify_domain: "B.myshopify.com" })).toBe("b.myshopify.com");
  // Bodies that name no shop (products, orders, levels) and bodies that are not objects.
  expect(shopNamedBy({ admin_graphql_api_id: "gid://shopify/Product/1" })).toBeNull();
  expect(shopNamedBy({ shop_domain: 42 })).toBeNull();
  expect(shopNamedBy([])).toBeNull();
  expect(shopNamedBy("a.myshopify.com")).toBeNull();
  expect(shopNamedBy(null)).toBeNull();
  expect(shopNamedBy(undefined)).toBeNull();
});
