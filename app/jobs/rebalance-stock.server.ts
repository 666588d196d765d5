import crypto from "node:crypto";
import { activeDependentsOf } from "../models/connections.server";
import { variantLinksOfPair } from "../models/links.server";
import {
  beginPool, clearRebalances, decideMove, dueRebalances, endAllocationsOfDisconnected, endPool, markRebalances, poolKeyString, poolRowsOf, poolsOf, settleMove, unsettledMoves,
  type DecidedMove, type PoolKey,
} from "../models/stockPools.server";
import { stockModeOf } from "../models/stores.server";
import { loadPairContext, type PairContext } from "../services/sync-context.server";
import { ShopifyUserErrors } from "../shopify/errors";
import type { AdminGateway } from "../shopify/gateway.server";
import { gatewayFor } from "../shopify/gateways.server";
import { LIVE_SHOP_INFO_MAX_AGE_MS } from "../shopify/shop-reader.server";
import { type InventoryItemState, readInventoryItems } from "../shopify/store-reader.server";
import { dependentQuantities } from "../sync/locations";
import { recentSalesOf } from "../models/stockMovements.server";
import { planRebalance, type Move } from "../sync/allocation";
import { enqueueJob, payloadOf } from "./kinds.server";
import { queueStockPushes } from "./push-stock.server";
import type { JobContext } from "./runner.server";

/** Items one rebalance round reads and moves. */
const ITEMS_PER_ROUND = 100;
/** Rounds one job makes; new marks always queue a successor. */
const MAX_ROUNDS = 20;
/** Plans per round: takes settle, then what they freed is given (ADR 0033: take before give). */
const PASSES = 4;
/** How far back a store's sales count towards its share. */
const RECENT_SALES_MS = 24 * 60 * 60_000;

/** The primary's reserve entries are Tandem's under this ledger document (required for `reserved`). */
export const escrowDocument = (primaryShop: string) => `gid://tandem/Escrow/${encodeURIComponent(primaryShop)}`;

/**
 * Strict mode (ADR 0033): these primary items' pools are looked at by the primary's
 * "rebalance-stock" job (marks, one job waiting however many changes come).
 */
export async function queueRebalance(primaryShop: string, primaryInventoryItemIds: string[]) {
  if (primaryInventoryItemIds.length === 0) return;
  await markRebalances(primaryShop, primaryInventoryItemIds);
  await enqueueJob("rebalance-stock", { primaryShop });
}

/** Strict mode: after a sync linked products, their pools give the dependent its share (created at 0). */
export async function rebalanceAfterSync(primaryShop: string, primaryInventoryItemIds: string[]) {
  if (primaryInventoryItemIds.length > 0 && (await stockModeOf(primaryShop)) === "strict") await queueRebalance(primaryShop, primaryInventoryItemIds);
}

type Dependent = { context: PairContext; links: Awaited<ReturnType<typeof variantLinksOfPair>> };

/**
 * Job "rebalance-stock" (lane: the primary): writes decided before a crash go again under their
 * keys; then each marked item's pools (one per primary location) are brought to their shares by
 * the moves `planRebalance` gives, each decided in the books before it is sent and settled with
 * Shopify's answer. A pool met for the first time has its dependents' levels cleared first: in
 * shared mode they showed the primary's stock, which no escrow holds.
 */
export async function rebalanceStockJob({ job }: JobContext) {
  const { primaryShop } = payloadOf("rebalance-stock", job);
  const primary = await gatewayFor(primaryShop);
  const resent = await resendUnsettledMoves(primaryShop);
  if ((await stockModeOf(primaryShop)) !== "strict") return { resent, released: await releasePools(primaryShop, primary) };
  let endedAllocations = 0;
  let moved = 0;
  let cleared = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const marks = await dueRebalances(primaryShop, ITEMS_PER_ROUND);
    if (marks.length === 0) break;
    const itemIds = marks.map((mark) => mark.primaryInventoryItemId);
    // Before any plan: what a store that left the network held is unallocated again.
    endedAllocations += await endAllocationsOfDisconnected(primaryShop, itemIds);
    const result = await rebalanceItems(primaryShop, primary, itemIds);
    moved += result.moved;
    cleared += result.cleared;
    await clearRebalances(marks);
  }
  return { resent, endedAllocations, moved, cleared };
}

/** Writes decided before a crash or a lost answer, sent again under their keys (Shopify applies each once). */
export async function resendUnsettledMoves(primaryShop: string): Promise<number> {
  const writes = await unsettledMoves(primaryShop);
  for (const write of writes) await sendMove(write, await gatewayFor(writtenTo(primaryShop, write.move)));
  return writes.length;
}

async function rebalanceItems(primaryShop: string, primary: AdminGateway, itemIds: string[]) {
  const dependents: Dependent[] = [];
  for (const dependentShop of await activeDependentsOf(primaryShop)) {
    const context = await loadPairContext(primaryShop, dependentShop, { shopInfoMaxAgeMs: LIVE_SHOP_INFO_MAX_AGE_MS });
    // A dependent that keeps its own stock ("Stock quantities" off) takes no part.
    if (!context.preferences.syncQuantity) continue;
    dependents.push({ context, links: await variantLinksOfPair(primaryShop, dependentShop, { primaryInventoryItemIds: itemIds }) });
  }
  let moved = 0;
  let cleared = 0;
  const skuOf = new Map(dependents.flatMap(({ links }) => links.map((link) => [link.primaryInventoryItemId, link.sku] as const)));
  // The primary's own sales are not in the ledger: it counts as a store that sold nothing lately.
  const recentSales = await recentSalesOf(primaryShop, [...new Set(skuOf.values())], new Date(Date.now() - RECENT_SALES_MS));
  for (let pass = 0; pass < PASSES; pass++) {
    const primaryItems = await readInventoryItems(primary, itemIds, { locationCount: dependents[0]?.context.locationCounts.primary ?? 1 });
    const dependentItems = new Map<string, Map<string, InventoryItemState>>();
    for (const { context, links } of dependents) {
      dependentItems.set(context.dependentShop, await readInventoryItems(context.dependent, links.map((link) => link.dependentInventoryItemId), { locationCount: context.locationCounts.dependent }));
    }
    const books = await poolsOf(primaryShop, itemIds);
    // An item whose pools have books was begun (its dependents' shared copies cleared).
    const begun = new Set([...books.keys()].map((key) => key.split(" ")[0]));
    let writes = 0;
    /** Items not begun whose dependents could not all be cleared in this pass. */
    const unclear = new Set<string>();
    for (const itemId of itemIds) {
      const item = primaryItems.get(itemId);
      if (!item?.tracked) continue;
      for (const [locationId, primaryAvailable] of Object.entries(item.available)) {
        const pool: PoolKey = { primaryShop, primaryInventoryItemId: itemId, primaryLocationId: locationId };
        const levels = poolLevels(itemId, locationId, dependents, dependentItems);
        if (!begun.has(itemId)) {
          // Shared mode's copies of the primary's stock: no escrow holds them.
          for (const level of levels.values()) {
            if (level.available <= 0) continue;
            writes++;
            try {
              await (await gatewayFor(level.shop)).adjustInventoryQuantities({
                name: "available", reason: "correction", referenceDocumentUri: `gid://tandem/StrictModeBegins/${crypto.randomUUID()}`,
                changes: [{ inventoryItemId: level.inventoryItemId, locationId: level.locationId, delta: -level.available, changeFromQuantity: level.available }],
              }, crypto.randomUUID());
              cleared += level.available;
            } catch (error) {
              // A sale there came first: the level is read again next pass, the pool begun after.
              if (!(error instanceof ShopifyUserErrors)) throw error;
              unclear.add(itemId);
            }
          }
          continue;
        }
        const plan = planRebalance({
          books: books.get(poolKeyString(pool)) ?? { escrow: 0, allocated: {} },
          primaryAvailable,
          available: Object.fromEntries([...levels].map(([shop, level]) => [shop, level.available])),
          recentSales: recentSales.get(skuOf.get(itemId) ?? "") ?? {},
        });
        for (const move of plan) {
          const target = move.kind === "reserve" || move.kind === "release"
            ? { inventoryItemId: itemId, locationId, base: move.kind === "reserve" ? primaryAvailable : null }
            : { inventoryItemId: levels.get(shopOf(move))!.inventoryItemId, locationId: levels.get(shopOf(move))!.locationId, base: levels.get(shopOf(move))!.available };
          const write: DecidedMove = { ...pool, ...target, key: crypto.randomUUID(), move };
          await decideMove(write);
          if (await sendMove(write, await gatewayFor(writtenTo(primaryShop, move)))) moved++;
          writes++;
        }
      }
    }
    // Pools met for the first time begin once their dependents were cleared (read again next pass).
    for (const itemId of itemIds) {
      const item = primaryItems.get(itemId);
      if (!item?.tracked || begun.has(itemId) || unclear.has(itemId)) continue;
      for (const locationId of Object.keys(item.available)) await beginPool({ primaryShop, primaryInventoryItemId: itemId, primaryLocationId: locationId });
      writes++;
    }
    if (writes === 0) break;
  }
  return { moved, cleared };
}

/**
 * Shared mode again: each marked item's reserve goes back to the primary's own sale and its books
 * end; then every dependent gets the primary's level again, as shared mode gives it.
 */
async function releasePools(primaryShop: string, primary: AdminGateway): Promise<number> {
  let released = 0;
  for (;;) {
    const marks = await dueRebalances(primaryShop, ITEMS_PER_ROUND);
    if (marks.length === 0) return released;
    const itemIds = marks.map((mark) => mark.primaryInventoryItemId);
    for (const { books, ...pool } of await poolRowsOf(primaryShop, itemIds)) {
      if (books.escrow > 0) {
        const write: DecidedMove = { ...pool, inventoryItemId: pool.primaryInventoryItemId, locationId: pool.primaryLocationId, base: null, key: crypto.randomUUID(), move: { kind: "release", quantity: books.escrow } };
        await decideMove(write);
        if (await sendMove(write, primary)) released += books.escrow;
      }
      await endPool(pool);
    }
    await queueStockPushes(primaryShop, itemIds);
    await clearRebalances(marks);
  }
}

const shopOf = (move: Move) => ("shop" in move ? move.shop : "");
/** The store a move writes to: the primary for its reserve (moves, a dependent's sale or restock), else the dependent. */
const writtenTo = (primaryShop: string, move: Move) => (move.kind === "give" || move.kind === "take" ? move.shop : primaryShop);

/**
 * Each dependent's level fed by this primary location: its linked item at the location the
 * mapping sends that primary location's stock to (the first, when several are fed).
 */
function poolLevels(itemId: string, primaryLocationId: string, dependents: Dependent[], items: Map<string, Map<string, InventoryItemState>>) {
  const levels = new Map<string, { shop: string; inventoryItemId: string; locationId: string; available: number }>();
  for (const { context, links } of dependents) {
    const link = links.find((candidate) => candidate.primaryInventoryItemId === itemId);
    if (!link) continue;
    const [locationId] = Object.keys(dependentQuantities({ [primaryLocationId]: 0 }, context.settings.locations));
    const state = items.get(context.dependentShop)?.get(link.dependentInventoryItemId);
    if (!locationId || !state || !(locationId in state.available)) continue;
    levels.set(context.dependentShop, { shop: context.dependentShop, inventoryItemId: link.dependentInventoryItemId, locationId, available: state.available[locationId] });
  }
  return levels;
}

/**
 * Sends a decided write under its key and settles it with Shopify's answer: applied, or refused
 * (a compare-and-set that found another level: a sale came first). A lost answer throws and the
 * write stays decided, to be sent again. Returns whether Shopify applied it.
 */
export async function sendMove(write: DecidedMove, gateway: AdminGateway): Promise<boolean> {
  const applied = await transmitMove(write, gateway);
  await settleMove(write.key, applied);
  return applied;
}

/**
 * Sends a decided write under its key, without settling it: whether Shopify applied it (userErrors:
 * it applied none of it). A lost answer throws. Writes may be sent together; their settlements go
 * one at a time, as each reads and rewrites its pool's books (two at once would lose one).
 */
export async function transmitMove(write: DecidedMove, gateway: AdminGateway): Promise<boolean> {
  const { move } = write;
  const reference = `gid://tandem/Rebalance/${write.key}`;
  const escrow = escrowDocument(write.primaryShop);
  try {
    if (move.kind === "reserve" || move.kind === "release") {
      const available = { locationId: write.locationId, name: "available" as const, changeFromQuantity: move.kind === "reserve" ? write.base : null, ledgerDocumentUri: null };
      const reserved = { locationId: write.locationId, name: "reserved" as const, changeFromQuantity: null, ledgerDocumentUri: escrow };
      await gateway.moveInventoryQuantities({
        reason: move.kind === "reserve" ? "reservation_created" : "reservation_deleted", referenceDocumentUri: reference,
        changes: [{ inventoryItemId: write.inventoryItemId, quantity: move.quantity, ...(move.kind === "reserve" ? { from: available, to: reserved } : { from: reserved, to: available }) }],
      }, write.key);
    } else if (move.kind === "sale" || move.kind === "restock") {
      await gateway.adjustInventoryQuantities({
        name: "reserved", reason: "correction", referenceDocumentUri: reference,
        changes: [{ inventoryItemId: write.inventoryItemId, locationId: write.locationId, delta: move.kind === "sale" ? -move.quantity : move.quantity, changeFromQuantity: null, ledgerDocumentUri: escrow }],
      }, write.key);
    } else {
      await gateway.adjustInventoryQuantities({
        name: "available", reason: "correction", referenceDocumentUri: reference,
        changes: [{ inventoryItemId: write.inventoryItemId, locationId: write.locationId, delta: move.kind === "give" ? move.quantity : -move.quantity, changeFromQuantity: write.base }],
      }, write.key);
    }
  } catch (error) {
    // userErrors: Shopify applied none of it (a stale base, or a key whose first attempt failed).
    if (error instanceof ShopifyUserErrors) return false;
    throw error;
  }
  return true;
}
