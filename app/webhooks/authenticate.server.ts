import { authenticate } from "../shopify.server";

/**
 * `authenticate.webhook` given only Shopify's own headers (X-Shopify-*, and Shopify-* of events),
 * which are all it reads. The library canonicalises the name of every header of the request each
 * time it copies one (quadratic in their number): with the dozen a sender adds (Host, Accept,
 * User-Agent…) that took a quarter of the app's CPU during a Sync all (docs/performance.md).
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
  return { ...context, rawBody };
}
