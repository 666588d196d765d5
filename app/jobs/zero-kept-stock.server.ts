import { text } from "../i18n";
import { liveConnection } from "../models/connections.server";
import { primaryProductTitles, removePairLinks, variantLinksOfPair } from "../models/links.server";
import { locationMappingOf } from "../models/locationMappings.server";
import { stockModeOf } from "../models/stores.server";
import { type SyncLogEntry, writeSyncLog } from "../models/syncLog.server";
import { syncPreferencesOf } from "../models/syncPreferences.server";
import { rejectedIndexes } from "../services/apply-plan.server";
import { locationPlanOf } from "../services/sync-context.server";
import { ShopifyUserErrors } from "../shopify/errors";
import type { InventoryQuantityWrite } from "../shopify/gateway.server";
import { gatewayFor } from "../shopify/gateways.server";
import { LIVE_SHOP_INFO_MAX_AGE_MS, readShopInfo } from "../shopify/shop-reader.server";
import { readLevels } from "../shopify/store-reader.server";
import { chunks } from "../sync/chunks";
import { dependentQuantities } from "../sync/locations";
import { payloadOf } from "./kinds.server";
import type { JobContext } from "./runner.server";

/** Items read and written at a time (one nodes query, one inventorySetQuantities). */
const ITEMS_PER_ROUND = 250;

/**
 * Job "zero-kept-stock": a dependent that disconnected keeping its products (issue 36) no longer has
 * the primary's stock to sell, so every linked item's level at the locations the primary fed is set
 * to 0. Levels at locations no primary location feeds are the store's own and stay; so do levels
 * already at 0 or below (an oversold level has nothing left to sell). The links go at the end, so
 * a retried job finds the items again; a level it already set to 0 is then left alone.
 */
export async function zeroKeptStockJob({ job, progress }: JobContext) {
  const { primaryShop } = payloadOf("zero-kept-stock", job);
  const dependentShop = job.lane;
  if (await liveConnection(primaryShop, dependentShop)) {
    await writeSyncLog([{ primaryShop, dependentShop, jobId: job.id, action: "skipped", message: text("entry.zeroingCancelledByReconnect", { primary: primaryShop }) }]);
    return { checked: 0, zeroed: 0, reconnected: true };
  }
  const links = await variantLinksOfPair(primaryShop, dependentShop);
  const [preferences, stockMode] = await Promise.all([syncPreferencesOf(dependentShop), stockModeOf(primaryShop)]);
  // A store that took no quantities from the primary (and was not given a share of it) holds only its own stock.
  if (!preferences.syncQuantity && stockMode !== "strict") {
    await removePairLinks(primaryShop, dependentShop);
    return { checked: 0, zeroed: 0 };
  }
  const [primary, dependent, mapping] = await Promise.all([gatewayFor(primaryShop), gatewayFor(dependentShop), locationMappingOf(dependentShop)]);
  const [primaryInfo, dependentInfo] = await Promise.all([
    readShopInfo(primary, { maxAgeMs: LIVE_SHOP_INFO_MAX_AGE_MS }), readShopInfo(dependent, { maxAgeMs: LIVE_SHOP_INFO_MAX_AGE_MS }),
  ]);
  const everyPrimaryLocation = Object.fromEntries(primaryInfo.locations.map((location) => [location.id, 0]));
  const fed = new Set(Object.keys(dependentQuantities(everyPrimaryLocation, locationPlanOf(dependentInfo, mapping, preferences))));
  const locationNames = Object.fromEntries(dependentInfo.locations.map((location) => [location.id, location.name]));
  const { titles } = await primaryProductTitles(primaryShop, { primaryProductIds: [...new Set(links.map((link) => link.primaryProductId))] });

  let checked = 0;
  let zeroed = 0;
  let done = 0;
  await progress({ progressDone: 0, progressTotal: links.length });
  for (const round of chunks(links, ITEMS_PER_ROUND)) {
    const levels = await readLevels(dependent, round.map((link) => link.dependentInventoryItemId));
    const writes: (InventoryQuantityWrite & { before: number; link: (typeof links)[number] })[] = [];
    for (const link of round) {
      for (const [locationId, available] of Object.entries(levels.get(link.dependentInventoryItemId) ?? {})) {
        if (!fed.has(locationId)) continue;
        checked++;
        if (available > 0) writes.push({ inventoryItemId: link.dependentInventoryItemId, locationId, quantity: 0, changeFromQuantity: null, before: available, link });
      }
    }
    const written = await setToZero(dependent, writes);
    zeroed += written.length;
    await writeSyncLog(written.map(({ link, locationId, before }): SyncLogEntry => ({
      primaryShop, dependentShop, jobId: job.id, action: "stock", productTitle: titles.get(link.primaryProductId) ?? null,
      primaryProductId: link.primaryProductId, skus: [link.sku], fields: ["quantity"],
      message: text("entry.zeroedOnDisconnect", { sku: link.sku, location: locationNames[locationId] ?? locationId, before, primary: primaryShop }),
    })));
    done += round.length;
    await progress({ progressDone: done });
  }
  // Products this store keeps are its own from now on.
  await removePairLinks(primaryShop, dependentShop);
  return { checked, zeroed };
}

/**
 * Sets these levels to 0 without compare-and-set (a sale meanwhile leaves nothing to sell either).
 * A level no longer stocked there (unstocked, or its location or item deleted since the read) is
 * dropped: there is nothing left to sell at it. Returns the writes made.
 */
async function setToZero<Write extends InventoryQuantityWrite>(gateway: Awaited<ReturnType<typeof gatewayFor>>, writes: Write[]): Promise<Write[]> {
  let batch = writes;
  for (let attempt = 1; batch.length > 0; attempt++) {
    try {
      await gateway.setInventoryQuantities({
        name: "available", reason: "correction", referenceDocumentUri: "tandem://disconnect",
        quantities: batch.map(({ inventoryItemId, locationId, quantity, changeFromQuantity }) => ({ inventoryItemId, locationId, quantity, changeFromQuantity })),
      });
      return batch;
    } catch (error) {
      if (!(error instanceof ShopifyUserErrors) || attempt > 4) throw error;
      const rejected = rejectedIndexes(error.userErrors, "ITEM_NOT_STOCKED_AT_LOCATION", "INVALID_LOCATION", "INVALID_INVENTORY_ITEM");
      if (rejected.size === 0) throw error;
      batch = batch.filter((_, index) => !rejected.has(index));
    }
  }
  return batch;
}
