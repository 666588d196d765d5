import { authenticate } from "../shopify.server";

/**
 * `authenticate.webhook` given only Shopify's own headers (X-Shopify-*, and Shopify-* of events),
 * which are all it reads. The library canonicalises the name of every header of the request each
 * time it copies one (quadratic in their number): with the dozen a sender adds (Host, Accept,
 * User-Agent…) that took a quarter of the app's CPU during a Sync all (commit b63040c).
 * Also gives the body as received: routes read GIDs from it (numeric ids pass 2^53).
 */
export async function authenticateWebhook(request: Request) {
  // Anything but a POST goes as it came: the library answers it 405.
  if (request.method !== "POST") return { ...(await authenticate.webhook(request)), rawBody: "" };
  const rawBody = await request.text();
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (name.startsWith("x-shopify-") || name.startsWith("shopify-")) headers.set(name, value);
  });
  const context = await authenticate.webhook(new Request(request.url, { method: "POST", headers, body: rawBody }));
  // The signature covers the body, not the headers: a body signed for one shop, sent again naming
  // another in X-Shopify-Shop-Domain, is refused wherever the body names its shop.
  const named = shopNamedBy(context.payload);
  if (named !== null && named !== context.shop.toLowerCase()) throw new Response("The body names another shop than the request", { status: 401 });
  return { ...context, rawBody };
}

/** The shop a webhook body names (shop/redact, customers/*, app/uninstalled…), or null when it names none. */
export function shopNamedBy(payload: unknown): string | null {
  if (typeof payload !== "object" || payload === null) return null;
  const { shop_domain: shopDomain, myshopify_domain: myshopifyDomain } = payload as { shop_domain?: unknown; myshopify_domain?: unknown };
  const named = typeof shopDomain === "string" ? shopDomain : typeof myshopifyDomain === "string" ? myshopifyDomain : null;
  return named === null ? null : named.toLowerCase();
}
