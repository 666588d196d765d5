import { getConfig } from "../config.server";
import { english } from "../i18n";
import { waitingDedupeKeys } from "../models/jobs.server";
import { linksByPrimaryInventoryItems, variantLinksOfPair } from "../models/links.server";
import { clearStockPushes, dueStockPushes, forgetStockPushes, lastStockPushStarts, markStockPushes, recordStockPushStarted } from "../models/stockPushes.server";
import { writeSyncLog } from "../models/syncLog.server";
import { knownDependentLevelsOf, writtenLevelKey } from "../models/writtenLevels.server";
import { chunks } from "../sync/chunks";
import { dependentQuantities, type HeldSale } from "../sync/locations";
import { quantityWrites } from "../sync/plan";
import { InventoryWriter } from "../services/apply-plan.server";
import { primaryItemsOf, primaryStockWithHeldSales } from "../services/primary-stock.server";
import type { JobContext } from "./runner.server";
import { type InventoryItemState, readInventoryItems } from "../shopify/store-reader.server";
import { loadPairContext, type PairContext, syncBlocker } from "../services/sync-context.server";
import { LIVE_SHOP_INFO_MAX_AGE_MS } from "../shopify/shop-reader.server";
import { activeDependentsOf } from "../models/connections.server";
import { enqueueJob, payloadOf, productSyncKey } from "./kinds.server";
import { stockModeOf } from "../models/stores.server";
import { queueRebalance } from "./rebalance-stock.server";


/** Items one push reads and writes at a time (one nodes query per store, one inventorySetQuantities). */
const ITEMS_PER_ROUND = 250;
/** Rounds one job makes before leaving the rest to its successor (new marks always queue one). */
const MAX_ROUNDS = 20;

/**
 * The shortest time between the starts of two pushes to one dependent (default 0: none). A push
 * costs 10 points whatever it carries; with an interval, changes that come in while one runs, or
 * just after, wait for the next and share its write, and a change after a quiet spell still goes at
 * once. Off by default: measured at 250 ms (commit 227aa0e), it cut the cost benchmark's
 * pushes by about 40% but made back-to-back sales and the 50 sales/s storm slower (ADR 0015).
 */
export function stockPushIntervalMs(): number {
  return getConfig().TANDEM_STOCK_PUSH_INTERVAL_MS;
}

/**
 * The primary's current level of these inventory items goes to every dependent linked to them that
 * receives syncs (or to `onlyTo`): each gets a mark per item and one "push-stock" job waiting,
 * however many changes come in. With `delayMs`, the marks wait that long first (a dependent's own
 * drop, whose sale may still be on its way); pushes due in the same second share one job. With
 * `unlessProductSyncWaits`, a dependent whose sync of the item's product is already waiting gets
 * nothing: that sync reads and writes the product's levels anyway (a product edited and restocked
 * at once is read once, not twice). Returns the dependents queued.
 */
export async function queueStockPushes(primaryShop: string, primaryInventoryItemIds: string[], { onlyTo, delayMs = 0, unlessProductSyncWaits = false }: {
  onlyTo?: string;
  delayMs?: number;
  unlessProductSyncWaits?: boolean;
} = {}): Promise<string[]> {
  if (primaryInventoryItemIds.length === 0) return [];
  // Strict mode: a store's level is its share, moved by the primary's rebalance (ADR 0033).
  if ((await stockModeOf(primaryShop)) === "strict") {
    await queueRebalance(primaryShop, primaryInventoryItemIds);
    return [];
  }
  const active = new Set((await activeDependentsOf(primaryShop)).filter((shop) => onlyTo === undefined || shop === onlyTo));
  const marks = new Map<string, { dependentShop: string; primaryInventoryItemId: string }>();
  for (const ids of chunks([...new Set(primaryInventoryItemIds)], 500)) {
    const links = (await linksByPrimaryInventoryItems(primaryShop, ids)).filter((link) => active.has(link.dependentShop));
    const syncing = unlessProductSyncWaits ? await waitingDedupeKeys(links.map((link) => productSyncKey(link.dependentShop, link.primaryProductId))) : new Set<string>();
    for (const { dependentShop, primaryInventoryItemId, primaryProductId } of links) {
      if (!syncing.has(productSyncKey(dependentShop, primaryProductId))) marks.set(`${dependentShop} ${primaryInventoryItemId}`, { dependentShop, primaryInventoryItemId });
    }
  }
  await markStockPushes(primaryShop, [...marks.values()], { delayMs });
  const dependents = [...new Set([...marks.values()].map((mark) => mark.dependentShop))].sort();
  // A delayed push runs at the end of its due second, one job per second. That second always ends
  // after now, so its job cannot be running already (it would not see this mark).
  const dueSecond = Math.floor((Date.now() + delayMs) / 1000) + 1;
  // An immediate push waits out the push interval since the dependent's last one (every request
  // for it then asks for the same time, so folding them moves nothing).
  const lastStarts = delayMs <= 0 && stockPushIntervalMs() > 0 ? await lastStockPushStarts(dependents) : new Map<string, Date>();
  for (const dependentShop of dependents) {
    const paced = Math.max(0, (lastStarts.get(dependentShop)?.getTime() ?? 0) + stockPushIntervalMs() - Date.now());
    await enqueueJob("push-stock", { primaryShop, dependentShop, when: delayMs <= 0 ? { afterMs: paced } : { dueSecond } });
  }
  return dependents;
}

type LinkedVariant = Awaited<ReturnType<typeof variantLinksOfPair>>[number];

/**
 * Adds to `writer` what brings each linked variant's dependent levels to what the primary's give
 * (planned against the levels known or read). Returns how many links one side no longer has: the
 * product's next sync or Sync all deals with those.
 */
export async function writeLinkedLevels(context: PairContext, links: LinkedVariant[], stock: {
  primary: Map<string, InventoryItemState>;
  /** Per location; null: stocked there, its level not known (written all the same: dependentItemsOf). */
  dependent: Map<string, { available: Record<string, number | null> }>;
  held: Map<string, HeldSale[]>;
}, writer: InventoryWriter): Promise<number> {
  let missing = 0;
  for (const link of links) {
    const primary = stock.primary.get(link.primaryInventoryItemId);
    const dependent = stock.dependent.get(link.dependentInventoryItemId);
    if (!primary || !dependent) {
      missing++;
      continue;
    }
    const { writes, unstocked } = quantityWrites({ sku: link.sku, tracked: primary.tracked, available: primary.available }, dependent.available, context.settings.locations, stock.held.get(link.sku));
    const where = { productTitle: null, primaryProductId: link.primaryProductId };
    await writer.add(writes.map((write) => ({ ...write, ...where, inventoryItemId: link.dependentInventoryItemId })));
    await writer.notStocked(unstocked.map((level) => ({ ...level, ...where })));
  }
  return missing;
}

/**
 * The dependent's levels a push plans against: the ones Tandem last wrote where no webhook of the
 * dependent has reported another level since (most of them: the dependent's stock moves when
 * Tandem writes it), else the level its latest webhook reported (a sale there), else null where
 * Tandem wrote but cannot order a report against its write (written without a base); read from the
 * store only where Tandem never wrote (it may not be stocked there). A level that did change
 * without its webhook having arrived yet is overwritten all the same, and the write's answer tells
 * the writer what it was (ADR 0035).
 */
async function dependentItemsOf(context: PairContext, links: LinkedVariant[], primary: Map<string, InventoryItemState>, held: Map<string, HeldSale[]>) {
  const known = await knownDependentLevelsOf(context.dependentShop, links.map((link) => link.dependentInventoryItemId));
  const items = new Map<string, { available: Record<string, number | null> }>();
  const unknown: string[] = [];
  for (const link of links) {
    const state = primary.get(link.primaryInventoryItemId);
    if (!state) continue;
    // The locations this item's writes go to (none when the primary does not track it).
    const targets = state.tracked ? Object.keys(dependentQuantities(state.available, context.settings.locations, held.get(link.sku))) : [];
    const levels: Record<string, number | null> = {};
    for (const locationId of targets) {
      const key = writtenLevelKey(link.dependentInventoryItemId, locationId);
      if (known.has(key)) levels[locationId] = known.get(key)!;
    }
    if (Object.keys(levels).length === targets.length) items.set(link.dependentInventoryItemId, { available: levels });
    else unknown.push(link.dependentInventoryItemId);
  }
  for (const [id, item] of await readInventoryItems(context.dependent, unknown, { locationCount: context.locationCounts.dependent })) items.set(id, item);
  return { items, read: unknown.length };
}

/**
 * Job "push-stock" (lane: the dependent): every due item's primary level (as Tandem knows it since
 * its last change, or read: primaryItemsOf) goes to the dependent with one write per 250 items
 * (planned against the level Tandem last wrote there, or read: dependentItemsOf). It reads
 * and writes stock only, so a sale reaches every store in a few requests, however many arrive at once.
 */
export async function pushStockJob({ job }: JobContext) {
  const { primaryShop } = payloadOf("push-stock", job);
  const dependentShop = job.lane;
  const blocker = await syncBlocker(primaryShop, dependentShop);
  if (blocker) {
    // Disconnected or paused: a resume or reconnection catches up with a Sync all and a stock check.
    await forgetStockPushes(dependentShop);
    return { outcome: english.text(blocker), pushed: 0 };
  }
  if ((await stockModeOf(primaryShop)) === "strict") {
    // Marks of before strict mode began: its rebalance gives this store its share.
    await forgetStockPushes(dependentShop);
    return { outcome: "strict allocation: stock moves by rebalancing", pushed: 0 };
  }
  const context = await loadPairContext(primaryShop, dependentShop, { shopInfoMaxAgeMs: LIVE_SHOP_INFO_MAX_AGE_MS });
  if (!context.settings.syncQuantity) {
    await forgetStockPushes(dependentShop);
    return { outcome: "quantities are not synced", pushed: 0 };
  }
  // Kept only when pushes are paced: otherwise nothing reads it.
  if (stockPushIntervalMs() > 0) await recordStockPushStarted(dependentShop);
  const writer = new InventoryWriter(context.dependent, writeSyncLog, { primaryShop, dependentShop, jobId: job.id }, { locationNames: context.dependentLocationNames });
  let checked = 0;
  let missing = 0;
  let leftForTheirSale = 0;
  // Items whose levels had to be read (not known from Tandem's own records), in each store.
  const reads = { primary: 0, dependent: 0 };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const marks = await dueStockPushes(dependentShop, ITEMS_PER_ROUND);
    if (marks.length === 0) break;
    // Marks of another primary (the dependent was connected elsewhere before) find no links and go.
    const links = await variantLinksOfPair(primaryShop, dependentShop, { primaryInventoryItemIds: marks.map((mark) => mark.primaryInventoryItemId) });
    // What Tandem knows of the primary's levels already includes the change behind each mark: it is
    // recorded before the mark is made (ADR 0014). The rest is read.
    const { held, primary: { items: primary, read: primaryRead } } = await primaryStockWithHeldSales(dependentShop, () =>
      primaryItemsOf(context.primary, links.map((link) => link.primaryInventoryItemId), { locationCount: context.locationCounts.primary }));
    // An item with a sale of this dependent being applied to the primary right now is left: the
    // level read may or may not include it yet, and apply-stock pushes the item once it is settled.
    const applying = new Set([...held.values()].flat().filter((sale) => sale.inFlight).map((sale) => sale.sku));
    const pushed = links.filter((link) => !applying.has(link.sku));
    const { items: dependent, read: dependentRead } = await dependentItemsOf(context, pushed, primary, held);
    reads.primary += primaryRead;
    reads.dependent += dependentRead;
    missing += await writeLinkedLevels(context, pushed, { primary, dependent, held }, writer);
    await writer.flush();
    await clearStockPushes(marks);
    checked += pushed.length;
    leftForTheirSale += links.length - pushed.length;
  }
  return { checked, pushed: writer.written, missing, leftForTheirSale, reads, foundChanged: writer.foundChanged };
}
