import { setTimeZone, storedTimeZoneOf } from "../models/stores.server";
import { SHOP_TIME_ZONE } from "../shopify/documents";
import { gatewayFor } from "../shopify/gateways.server";
import { ShopifyApiError } from "../shopify/errors";

/** How long a store's time zone is trusted before it is read again (a merchant may change it in Shopify's admin). */
export const TIME_ZONE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The store's time zone for the admin pages (Shopify's `Shop.ianaTimezone`): kept on the store and
 * read again once a day, so pages cost one small Admin API call a day at most. Until it could be
 * read once, times show in UTC, named so.
 */
export async function timeZoneOf(shop: string, now = new Date()): Promise<string> {
  const stored = await storedTimeZoneOf(shop);
  if (stored.timeZone && stored.readAt && now.getTime() - stored.readAt.getTime() < TIME_ZONE_MAX_AGE_MS) return stored.timeZone;
  try {
    const { shop: info } = await (await gatewayFor(shop)).request<{ shop: { ianaTimezone: string } }>(SHOP_TIME_ZONE);
    await setTimeZone(shop, info.ianaTimezone, now);
    return info.ianaTimezone;
  } catch (error) {
    // Shopify unreachable for a moment: the last zone read, else UTC; the next page tries again.
    if (error instanceof ShopifyApiError) return stored.timeZone ?? "UTC";
    throw error;
  }
}
