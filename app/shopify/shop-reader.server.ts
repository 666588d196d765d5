import { SHOP_INFO } from "./documents";
import type { AdminGateway } from "./gateway.server";

export type ShopInfo = { shop: string; currencyCode: string; locations: { id: string; name: string; isActive: boolean; isPrimary: boolean }[] };

const lastShopInfo = new WeakMap<AdminGateway, { at: number; info: ShopInfo }>();

/**
 * How long the live path (apply-stock, push-stock, product syncs single or in a burst) may reuse a store's
 * currency and locations: reading them costs 253 points requested, on every job of a sales rush
 * or an afternoon of edits. A location added or deactivated, or a currency changed, is seen this
 * much later; a write to a location that is gone is logged. Sync all always reads them.
 */
export const LIVE_SHOP_INFO_MAX_AGE_MS = 30_000;

/** A store's currency and locations, read fresh unless one read less than `maxAgeMs` ago will do. */
export async function readShopInfo(gateway: AdminGateway, { maxAgeMs = 0 } = {}): Promise<ShopInfo> {
  const last = lastShopInfo.get(gateway);
  if (last && Date.now() - last.at < maxAgeMs) return last.info;
  const data = await gateway.request<{ shop: { myshopifyDomain: string; currencyCode: string }; locations: { nodes: ShopInfo["locations"] } }>(SHOP_INFO);
  const info = { shop: data.shop.myshopifyDomain, currencyCode: data.shop.currencyCode, locations: data.locations.nodes };
  lastShopInfo.set(gateway, { at: Date.now(), info });
  return info;
}

/** Where a store's stock goes when nothing else says: its primary location, else its first active one. */
export function defaultLocationOf(info: ShopInfo): ShopInfo["locations"][number] | null {
  const active = info.locations.filter((l) => l.isActive);
  return active.find((l) => l.isPrimary) ?? active[0] ?? null;
}
