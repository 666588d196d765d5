const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * Where the Admin GraphQL API of a shop lives: https://{shop}/admin/api/{version}/graphql.json in
 * production, or {origin}/shops/{shop}/admin/api/{version}/graphql.json when SHOPIFY_ADMIN_API_ORIGIN
 * points the app at the simulator. The one place that builds this URL.
 */
export function adminGraphqlUrl(shop: string, { origin, version }: { origin?: string; version: string }): string {
  if (!SHOP_DOMAIN.test(shop)) throw new Error(`Not a myshopify.com shop domain: ${JSON.stringify(shop)}`);
  const base = origin ? `${new URL(origin).origin}/shops/${shop}` : `https://${shop}`;
  return `${base}/admin/api/${version}/graphql.json`;
}

/**
 * A page of the app inside the shop's Shopify admin (where Shopify sends the merchant back after
 * approving a charge): admin.shopify.com in production, the simulator's admin frame otherwise.
 */
export function adminAppUrl(shop: string, appPath: string, { origin, handle }: { origin?: string; handle: string }): string {
  if (!SHOP_DOMAIN.test(shop)) throw new Error(`Not a myshopify.com shop domain: ${JSON.stringify(shop)}`);
  const base = origin ? `${new URL(origin).origin}/admin/${shop}` : `https://admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`;
  return `${base}/apps/${handle}${appPath}`;
}
