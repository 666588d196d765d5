import { text, type Text } from "../i18n";
import { locationMappingOf, saveLocationMapping } from "../models/locationMappings.server";
import { NetworkError } from "./network.server";
import { ShopifyApiError } from "../shopify/errors";
import { gatewayFor } from "../shopify/gateways.server";
import { defaultLocationOf, LIVE_SHOP_INFO_MAX_AGE_MS, readShopInfo, type ShopInfo } from "../shopify/shop-reader.server";
import { syncPreferencesOf } from "../models/syncPreferences.server";
import { liveConnectionOf } from "../models/connections.server";

export type LocationMappingView = {
  primaryShop: string;
  primaryLocations: ShopInfo["locations"];
  dependentLocations: ShopInfo["locations"];
  defaultLocation: { id: string; name: string } | null;
  mapping: Record<string, string>;
} | { error: Text };

async function connectedPrimaryOf(dependentShop: string) {
  const connection = await liveConnectionOf(dependentShop);
  return connection?.primaryShop ?? null;
}

/** Both stores' active locations and the saved mapping, for the dependent's Settings › Locations. */
export async function locationMappingView(dependentShop: string, { maxAgeMs = 0 } = {}): Promise<LocationMappingView | null> {
  const primaryShop = await connectedPrimaryOf(dependentShop);
  if (!primaryShop) return null;
  try {
    const [primaryInfo, dependentInfo] = await Promise.all([readShopInfo(await gatewayFor(primaryShop), { maxAgeMs }), readShopInfo(await gatewayFor(dependentShop), { maxAgeMs })]);
    const dependentLocations = dependentInfo.locations.filter((l) => l.isActive);
    const defaultLocation = defaultLocationOf(dependentInfo);
    return {
      primaryShop,
      primaryLocations: primaryInfo.locations.filter((l) => l.isActive),
      dependentLocations,
      defaultLocation: defaultLocation ? { id: defaultLocation.id, name: defaultLocation.name } : null,
      mapping: await locationMappingOf(dependentShop),
    };
  } catch (error) {
    if (error instanceof ShopifyApiError) return { error: text("settings.locationsUnavailable", { reason: error.message }) };
    throw error;
  }
}

/** Saves the mapping after checking every id against the stores' real locations. */
export async function updateLocationMapping(dependentShop: string, mapping: Record<string, string>) {
  const view = await locationMappingView(dependentShop);
  if (!view) throw new NetworkError("NOT_CONNECTED", text("network.NOT_CONNECTED"));
  if ("error" in view) throw new NetworkError("NOT_CONNECTED", view.error);
  const primaryIds = new Set(view.primaryLocations.map((l) => l.id));
  const dependentIds = new Set(view.dependentLocations.map((l) => l.id));
  for (const [from, to] of Object.entries(mapping)) {
    if (!primaryIds.has(from) || !dependentIds.has(to)) throw new NetworkError("INVALID_LOCATION", text("network.INVALID_LOCATION"));
  }
  await saveLocationMapping(dependentShop, mapping);
}

/**
 * What a dependent chose, for its primary's Settings (seed 004, read only): its preferences and its
 * location mapping. The stores' locations may be 30 s old, so a primary's page reads its own once
 * for all its dependents.
 */
export async function dependentSetupOf(dependentShop: string) {
  return { preferences: await syncPreferencesOf(dependentShop), locations: await locationMappingView(dependentShop, { maxAgeMs: LIVE_SHOP_INFO_MAX_AGE_MS }) };
}
