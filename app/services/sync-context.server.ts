import { english, text, type Text } from "../i18n";
import { pairProductLimit } from "../billing/plans";
import { locationMappingOf } from "../models/locationMappings.server";
import { planOfStore, storeOf } from "../models/stores.server";
import { type SyncPreferences, syncPreferencesOf } from "../models/syncPreferences.server";
import type { AdminGateway } from "../shopify/gateway.server";
import { defaultLocationOf, readShopInfo, type ShopInfo } from "../shopify/shop-reader.server";
import type { LocationPlan } from "../sync/locations";
import { gatewayFor } from "../shopify/gateways.server";
import { decidePrices } from "../sync/pricing";
import type { SyncSettings } from "../sync/plan";
import { PermanentJobError } from "../jobs/runner.server";
import { liveConnection } from "../models/connections.server";
import { type ProductExclusion, exclusionsOfPair } from "../models/productExclusions.server";
import { type MetafieldChoice, metafieldChoicesOf } from "../models/metafieldChoices.server";

export type PairContext = {
  primaryShop: string;
  dependentShop: string;
  primary: AdminGateway;
  dependent: AdminGateway;
  preferences: SyncPreferences;
  settings: SyncSettings;
  selection: { tag: string | null; collectionId: string | null };
  /** Products this pair does not sync, by primary product id: the primary's exclusions and this dependent's own. */
  exclusions: Map<string, ProductExclusion>;
  /** The primary's product metafield definitions that travel (issue 36, item 2). */
  metafields: MetafieldChoice[];
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
  const [primary, dependent, preferences, mapping, primaryStore, primaryPlan, dependentPlan, exclusions, metafields] = await Promise.all([
    gatewayFor(primaryShop),
    gatewayFor(dependentShop),
    syncPreferencesOf(dependentShop),
    locationMappingOf(dependentShop),
    storeOf(primaryShop),
    planOfStore(primaryShop),
    planOfStore(dependentShop),
    exclusionsOfPair(primaryShop, dependentShop),
    metafieldChoicesOf(primaryShop),
  ]);
  const limit = pairProductLimit(primaryPlan.plan, dependentPlan.plan);
  const limiting = dependentPlan.plan.productLimit === limit ? { shop: dependentShop, planName: dependentPlan.plan.name } : { shop: primaryShop, planName: primaryPlan.plan.name };
  const [primaryInfo, dependentInfo] = await Promise.all([readShopInfo(primary, { maxAgeMs: shopInfoMaxAgeMs }), readShopInfo(dependent, { maxAgeMs: shopInfoMaxAgeMs })]);
  return {
    primaryShop,
    dependentShop,
    primary,
    dependent,
    preferences,
    dependentLocationNames: Object.fromEntries(dependentInfo.locations.map((l) => [l.id, l.name])),
    locationCounts: { primary: primaryInfo.locations.length, dependent: dependentInfo.locations.length },
    selection: { tag: primaryStore?.selectionTag ?? null, collectionId: primaryStore?.selectionCollectionId ?? null },
    exclusions,
    metafields,
    productLimit: limit === null ? null : { limit, ...limiting },
    settings: {
      scope: preferences.scope,
      syncDetails: preferences.syncDetails,
      syncPrice: preferences.syncPrice,
      // Strict stock mode: a store's level is its share, given by the primary's rebalance, never
      // the primary's level a product sync would write (ADR 0033).
      syncQuantity: preferences.syncQuantity && primaryStore?.stockMode !== "strict",
      publishNewProducts: preferences.publishNewProducts,
      prices: decidePrices({
        primaryCurrency: primaryInfo.currencyCode,
        dependentCurrency: dependentInfo.currencyCode,
        rule: { exchangeRate: preferences.priceExchangeRate, markupPercent: preferences.priceMarkupPercent, rounding: preferences.priceRounding },
      }),
      locations: locationPlanOf(dependentInfo, mapping, preferences),
      fields: preferences.fieldRules,
    },
  };
}

/**
 * Where the primary's stock lands in this dependent: its saved mapping, except targets since deleted
 * or deactivated, which fall back to its default location.
 */
export function locationPlanOf(dependentInfo: ShopInfo, mapping: Record<string, string>, preferences: Pick<SyncPreferences, "stockBuffer" | "stockAllocationPercent">): LocationPlan {
  const defaultLocation = defaultLocationOf(dependentInfo);
  if (!defaultLocation) throw new PermanentJobError(`${dependentInfo.shop} has no location to receive stock`);
  const activeDependentLocations = new Set(dependentInfo.locations.filter((l) => l.isActive).map((l) => l.id));
  const liveMapping = Object.fromEntries(Object.entries(mapping).filter(([, target]) => activeDependentLocations.has(target)));
  return { mapping: liveMapping, defaultLocationId: defaultLocation.id, buffer: preferences.stockBuffer, allocationPercent: preferences.stockAllocationPercent };
}
