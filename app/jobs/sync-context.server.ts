import { english, text, type Text } from "../i18n";
import { pairProductLimit } from "../billing/plans";
import { locationMappingOf } from "../models/locationMappings.server";
import { planOfStore, storeOf } from "../models/stores.server";
import { type SyncPreferences, syncPreferencesOf } from "../models/syncPreferences.server";
import { SHOP_INFO } from "../shopify/documents";
import type { AdminGateway } from "../shopify/gateway.server";
import { gatewayFor } from "../shopify/gateways.server";
import { decidePrices } from "../sync/pricing";
import type { SyncSettings } from "../sync/plan";
import { PermanentJobError } from "./runner.server";
import { liveConnection } from "../models/connections.server";

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

export type PairContext = {
  primaryShop: string;
  dependentShop: string;
  primary: AdminGateway;
  dependent: AdminGateway;
  preferences: SyncPreferences;
  settings: SyncSettings;
  selection: { tag: string | null; collectionId: string | null };
  /** The dependent's location names by id, for the sync log. */
  dependentLocationNames: Record<string, string>;
  /** How many locations each store has (at most that many inventory levels per item). */
  locationCounts: { primary: number; dependent: number };
  /** Products this pair may link (the smaller plan of the two stores), and whose plan that is. */
  productLimit: { limit: number; shop: string; planName: string } | null;
};

/**
 * Whether a dependent receives syncs now: connected (not paused, not needing attention) to this
 * primary, with its setup done. Returns why not otherwise.
 */
export async function syncBlocker(primaryShop: string, dependentShop: string): Promise<Text | null> {
  const connection = await liveConnection(primaryShop, dependentShop);
  if (!connection) return text("blocker.disconnected", { dependent: dependentShop, primary: primaryShop });
  if (connection.status === "paused") return text("blocker.paused", { dependent: dependentShop });
  if (connection.status === "needs_attention") return text("blocker.needsAttention", { dependent: dependentShop });
  const store = await storeOf(dependentShop);
  if (!store?.setupCompletedAt) return text("blocker.setupIncomplete", { dependent: dependentShop });
  return null;
}

/** Everything a sync job needs for one primary → dependent pair, read fresh at the start of the job. */
export async function loadPairContext(primaryShop: string, dependentShop: string, { shopInfoMaxAgeMs = 0 } = {}): Promise<PairContext> {
  const blocker = await syncBlocker(primaryShop, dependentShop);
  if (blocker) throw new PermanentJobError(english.text(blocker));
  const [primary, dependent, preferences, mapping, primaryStore, primaryPlan, dependentPlan] = await Promise.all([
    gatewayFor(primaryShop),
    gatewayFor(dependentShop),
    syncPreferencesOf(dependentShop),
    locationMappingOf(dependentShop),
    storeOf(primaryShop),
    planOfStore(primaryShop),
    planOfStore(dependentShop),
  ]);
  const limit = pairProductLimit(primaryPlan.plan, dependentPlan.plan);
  const limiting = dependentPlan.plan.productLimit === limit ? { shop: dependentShop, planName: dependentPlan.plan.name } : { shop: primaryShop, planName: primaryPlan.plan.name };
  const [primaryInfo, dependentInfo] = await Promise.all([readShopInfo(primary, { maxAgeMs: shopInfoMaxAgeMs }), readShopInfo(dependent, { maxAgeMs: shopInfoMaxAgeMs })]);
  const defaultLocation = defaultLocationOf(dependentInfo);
  if (!defaultLocation) throw new PermanentJobError(`${dependentShop} has no location to receive stock`);
  const activeDependentLocations = new Set(dependentInfo.locations.filter((l) => l.isActive).map((l) => l.id));
  // A mapping to a location that was since deleted or deactivated falls back to the default location.
  const liveMapping = Object.fromEntries(Object.entries(mapping).filter(([, target]) => activeDependentLocations.has(target)));
  return {
    primaryShop,
    dependentShop,
    primary,
    dependent,
    preferences,
    dependentLocationNames: Object.fromEntries(dependentInfo.locations.map((l) => [l.id, l.name])),
    locationCounts: { primary: primaryInfo.locations.length, dependent: dependentInfo.locations.length },
    selection: { tag: primaryStore?.selectionTag ?? null, collectionId: primaryStore?.selectionCollectionId ?? null },
    productLimit: limit === null ? null : { limit, ...limiting },
    settings: {
      scope: preferences.scope,
      syncDetails: preferences.syncDetails,
      syncPrice: preferences.syncPrice,
      syncQuantity: preferences.syncQuantity,
      publishNewProducts: preferences.publishNewProducts,
      prices: decidePrices({
        primaryCurrency: primaryInfo.currencyCode,
        dependentCurrency: dependentInfo.currencyCode,
        rule: { exchangeRate: preferences.priceExchangeRate, markupPercent: preferences.priceMarkupPercent, rounding: preferences.priceRounding },
      }),
      locations: {
        mapping: liveMapping, defaultLocationId: defaultLocation.id, buffer: preferences.stockBuffer, allocationPercent: preferences.stockAllocationPercent,
      },
    },
  };
}
