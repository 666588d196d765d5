import { getConfig } from "../config.server";
import { forgetPrimaryItems, knownPrimaryItems, type PrimaryLevelObservation, recordPrimaryItemReads, recordPrimaryLevels, type SeenLevelVersions } from "../models/primaryLevels.server";
import { type HeldSaleRow, heldSalesOf } from "../models/stockMovements.server";
import type { AdminGateway, InventoryAdjustedChange } from "../shopify/gateway.server";
import { wholeSecond } from "../sync/primaryLevels";
import { type InventoryItemState, readInventoryItems } from "../shopify/store-reader.server";

/**
 * How long a read of a primary item stands for its stock (ADR 0014): within it, the item's levels
 * come from what Tandem has seen since (its own adjustments, the store's webhooks) instead of
 * another read. Longer than the stock check's interval (10 minutes), which reads every linked item
 * again, so linked items stay known; it bounds what a missed change costs when checks are off: a
 * location that stopped stocking the item (no webhook tells it) or a webhook Shopify never sent.
 * 0 reads always.
 */
export function primaryLevelsMaxAgeMs(): number {
  return getConfig().TANDEM_PRIMARY_LEVELS_MAX_AGE_MS;
}

/**
 * Reads these primary items from the store and records what it read (the request's time, and the
 * levels `seen` before it was sent, order it against webhooks).
 */
export async function readPrimaryItems(primary: AdminGateway, inventoryItemIds: string[], { locationCount, seen }: { locationCount?: number; seen?: SeenLevelVersions } = {}): Promise<Map<string, InventoryItemState>> {
  const sentAt = Date.now();
  const items = await readInventoryItems(primary, inventoryItemIds, { locationCount });
  await recordPrimaryItemReads(primary.shop, items, sentAt, seen);
  return items;
}

/**
 * The primary's stock of these items: what Tandem knows of it (knownPrimaryItems), read from the
 * store for the rest. `read`: how many items were read (a job's result reports it).
 */
export async function primaryItemsOf(primary: AdminGateway, inventoryItemIds: string[], { locationCount }: { locationCount?: number } = {}): Promise<{ items: Map<string, InventoryItemState>; read: number }> {
  const { known, seen } = await knownPrimaryItems(primary.shop, inventoryItemIds, primaryLevelsMaxAgeMs());
  const items: Map<string, InventoryItemState> = known;
  const unknown = [...new Set(inventoryItemIds.filter((id) => !items.has(id)))];
  for (const [id, item] of await readPrimaryItems(primary, unknown, { locationCount, seen })) items.set(id, item);
  return { items, read: unknown.length };
}

/**
 * Records what Tandem's own adjustment of these primary items made their levels (their webhooks
 * then come as echoes). An item the answer does not account for is read by the next push.
 */
export async function recordAdjustmentResult(primaryShop: string, adjustedItemIds: string[], result: { createdAt: string; changes: InventoryAdjustedChange[] } | null) {
  const changedAt = result ? wholeSecond(result.createdAt) : null;
  const observations: PrimaryLevelObservation[] = [];
  for (const change of changedAt === null ? [] : result!.changes) {
    if (change.name !== "available" || change.quantityAfterChange === null || !change.item || !change.location) continue;
    observations.push({ inventoryItemId: change.item.id, locationId: change.location.id, observation: { source: "adjustment", available: change.quantityAfterChange, delta: change.delta, changedAt: changedAt! } });
  }
  const accounted = new Set(observations.map((o) => o.inventoryItemId));
  await forgetPrimaryItems(primaryShop, adjustedItemIds.filter((id) => !accounted.has(id)));
  await recordPrimaryLevels(primaryShop, observations);
}

/** Reads of the primary's stock one consistent read may take (the last one stands, erring towards less stock). */
const HELD_SALES_READS = 3;

/**
 * A dependent's held sales (sold there, not yet taken from the primary) and a read of the primary's
 * stock that agree. A sale applied to the primary while it is read may or may not be in what was
 * read; its level is recorded before the sale stops being held (sendRecordedAdjustment), so a
 * second read has it. If sales keep being applied through every read, the last one counts them
 * twice (the dependent shows less until the push their application queues), never not at all
 * (more than there is: an oversell). `readPrimary` must be safe to run again.
 */
export async function primaryStockWithHeldSales<T>(dependentShop: string, readPrimary: () => Promise<T>): Promise<{ held: Map<string, HeldSaleRow[]>; primary: T }> {
  let before = await heldSalesOf(dependentShop);
  for (let read = 1; ; read++) {
    const primary = await readPrimary();
    const after = await heldSalesOf(dependentShop);
    const stillHeld = new Set([...after.values()].flat().map((sale) => sale.movementId));
    const applied = [...before.values()].flat().filter((sale) => !stillHeld.has(sale.movementId));
    if (applied.length === 0) return { held: after, primary };
    if (read === HELD_SALES_READS) {
      for (const sale of applied) after.set(sale.sku, [...(after.get(sale.sku) ?? []), sale]);
      return { held: after, primary };
    }
    before = after;
  }
}
