/**
 * A SKU as Tandem matches it (seed 003: products are matched by SKU): Shopify's text without the
 * spaces around it; empty or missing is no SKU. Every SKU that comes in (catalogues, orders,
 * refunds, webhooks) goes through here, so the two sides of a match are always read alike.
 */
export function normalizeSku(sku: unknown): string | null {
  if (typeof sku !== "string") return null;
  const trimmed = sku.trim();
  return trimmed === "" ? null : trimmed;
}
