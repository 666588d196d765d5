import type { StockMovement } from "@prisma/client";
import { english, text, type Text } from "../i18n";
import crypto from "node:crypto";
import { variantLinksBySku } from "../models/links.server";
import { locationMappingOf } from "../models/locationMappings.server";
import {
  movementsOfAdjustment, openMovementsOf, outstandingQuantity, recordAdjustment, recordMovements, recordSaleLocations, releaseAdjustment, settleAdjustment, settleMovement,
  turnReservationsIntoSales, unsettledAdjustmentKeys, waitingRestocks,
} from "../models/stockMovements.server";
import { type SyncLogEntry, writeSyncLog } from "../models/syncLog.server";
import { ShopifyUnauthorizedError, ShopifyUserErrors } from "../shopify/errors";
import type { AdminGateway } from "../shopify/gateway.server";
import { gatewayFor } from "../shopify/gateways.server";
import { primaryLocationFor, type StockMovementInput, takesUnits } from "../sync/stock";
import { queueStockPushes } from "./push-stock.server";
import { failureOf, type JobContext, PermanentJobError } from "./runner.server";
import { forgetPrimaryItems } from "../models/primaryLevels.server";
import { primaryItemsOf, recordAdjustmentResult } from "../services/primary-stock.server";
import { type InventoryItemState, routedLineLocations } from "../shopify/store-reader.server";
import { defaultLocationOf, readShopInfo, type ShopInfo, LIVE_SHOP_INFO_MAX_AGE_MS } from "../shopify/shop-reader.server";
import { enqueueJob, payloadOf } from "./kinds.server";
import { chunks } from "../sync/chunks";
import { decideMove, poolKeyString, poolsOf, settleMove, type DecidedMove } from "../models/stockPools.server";
import { stockModeOf } from "../models/stores.server";
import { canDecide, type Move } from "../sync/allocation";
import { resendUnsettledMoves, transmitMove } from "./rebalance-stock.server";


const MAX_INPUT = 250;
/** Movements of one dependent that one apply-stock job plans; more waiting get a successor job. */
const MOVEMENTS_PER_DEPENDENT = 1000;
/** Escrow writes of one dependent in flight at once (the gateway paces them by Shopify's points). */
const ESCROW_SENDS_AT_ONCE = 10;
/** When movements a run left (their dependent could not be read) are tried again, unless a sale comes first. */
const DEFERRED_RETRY_MS = 30_000;

type StockMovementsInput = { primaryShop: string; dependentShop: string; movements: StockMovementInput[] };

/**
 * Records a dependent's sales and restocks in the ledger at once (so syncs to that dependent hold
 * its not-yet-applied sales back) and queues the primary's apply-stock job, one waiting per primary
 * however many orders come in. Lines the ledger already settled (a repeated webhook) queue nothing.
 */
export async function queueStockMovements({ primaryShop, dependentShop, movements }: StockMovementsInput): Promise<{ queued: boolean }> {
  await turnPaidReservationsIntoSales(primaryShop, dependentShop, movements.filter((m) => m.kind === "sale").map((m) => m.key));
  const rows = await recordMovements(primaryShop, dependentShop, movements);
  if (!rows.some((row) => row.status === "pending")) return { queued: false };
  await enqueueStockApplication(primaryShop);
  return { queued: true };
}

/**
 * An unpaid order's lines that are now paid: their reservations become sales, with nothing more
 * taken from the primary (the units are held already); the sync log says so once per line.
 */
export async function turnPaidReservationsIntoSales(primaryShop: string, dependentShop: string, saleKeys: string[]) {
  if (saleKeys.length === 0) return;
  const turned = await turnReservationsIntoSales(saleKeys);
  if (turned.length === 0) return;
  const links = await variantLinksBySku(primaryShop, dependentShop, turned.map((row) => row.sku).filter(Boolean));
  await writeSyncLog(turned.map((row) => ({
    primaryShop, dependentShop, action: "stock", primaryProductId: links.get(row.sku)?.primaryProductId ?? null, skus: [row.sku], fields: ["quantity"],
    message: text("entry.reservationPaid", { quantity: row.quantity, sku: row.sku, shop: dependentShop }),
  })));
}

/** The primary's apply-stock job, now or (`retryInMs`) later: JOB_KINDS["apply-stock"]. */
async function enqueueStockApplication(primaryShop: string, { retryInMs }: { retryInMs?: number } = {}) {
  await enqueueJob("apply-stock", { primaryShop, retryInMs });
}

/**
 * Job "apply-stock" (lane: the primary): every sale and restock its dependents recorded since the
 * last run moves the primary's stock with inventoryAdjustQuantities (one per dependent, each
 * ledger row once); then every dependent gets the primary's new levels through a stock push. A
 * movement Tandem cannot place (SKU not linked, a restock of units never taken) is skipped and
 * logged, never guessed.
 */
export async function applyStockJob({ job, logger }: JobContext) {
  const payload = payloadOf("apply-stock", job);
  const { primaryShop } = payload;
  if (payload.dependentShop && payload.movements) await recordMovements(primaryShop, payload.dependentShop, payload.movements);
  const primary = await gatewayFor(primaryShop);
  const log: SyncLogEntry[] = [];
  // Adjustments sent before a crash go again under their key first (Shopify applies each once).
  await resendUnsettledMoves(primaryShop);
  const movedItems = new Set(await sendUnsettledAdjustments(primary, primaryShop, job.id, log));
  const strict = (await stockModeOf(primaryShop)) === "strict";
  let waitingForEscrow = 0;
  let restocked = false;
  const open = await openMovementsOf(primaryShop, MOVEMENTS_PER_DEPENDENT);
  let applied = 0;
  let skipped = 0;
  const deferred: ReturnType<typeof failureOf>[] = [];
  const deferredShops = new Set<string>();
  // Adjustments recorded in the ledger this run, sent together once every dependent's are planned.
  const recorded: string[] = [];
  if (open.length > 0) {
    const primaryInfo = await readShopInfo(primary, { maxAgeMs: LIVE_SHOP_INFO_MAX_AGE_MS });
    const primaryDefault = defaultLocationOf(primaryInfo);
    if (!primaryDefault) throw new PermanentJobError(`${primaryShop} has no active location`);
    const byDependent = new Map<string, StockMovement[]>();
    for (const row of open) byDependent.set(row.dependentShop, [...(byDependent.get(row.dependentShop) ?? []), row]);
    // A dependent Tandem cannot read for a while (down, throttled) keeps its movements pending, with
    // a later pass, and the other dependents' sales go on. One it can no longer read (uninstalled
    // since the sale) still has its sales taken from the primary: they happened.
    const planned: Awaited<ReturnType<typeof dependentMovements>>[] = [];
    for (const [index, result] of (await Promise.allSettled([...byDependent].map(([dependentShop, rows]) => dependentMovements(primaryShop, dependentShop, rows)))).entries()) {
      if (result.status === "fulfilled") planned.push(result.value);
      else {
        deferred.push(failureOf(result.reason));
        deferredShops.add([...byDependent.keys()][index]);
      }
    }
    const { items } = await primaryItemsOf(primary, planned.flatMap((p) => [...p.links.values()].map((link) => link.primaryInventoryItemId)), { locationCount: primaryInfo.locations.length });
    for (const movements of planned) {
      const placed = await placeMovements({ ...movements, primaryInfo, primaryDefaultLocationId: primaryDefault.id, items, jobId: job.id, log });
      skipped += movements.rows.length - placed.length;
      // Strict mode: a pool's sales and restocks move its reserve (ADR 0033); the rest as shared.
      const escrowed = strict ? await applyToEscrow(primary, primaryShop, movements.dependentShop, placed, job.id, log) : { applied: [], waiting: [] };
      for (const change of escrowed.applied) {
        movedItems.add(change.inventoryItemId);
        if (change.row.kind === "restock") restocked = true;
      }
      waitingForEscrow += escrowed.waiting.length;
      const byEscrow = new Set([...escrowed.applied, ...escrowed.waiting].map((change) => change.row.id));
      const changes = placed.filter((change) => !byEscrow.has(change.row.id));
      applied += changes.length + escrowed.applied.length;
      for (let i = 0; i < changes.length; i += MAX_INPUT) {
        const batch = changes.slice(i, i + MAX_INPUT);
        const adjustmentKey = crypto.randomUUID();
        await recordAdjustment(adjustmentKey, batch.map((c) => ({ id: c.row.id, quantity: c.row.quantity, primaryInventoryItemId: c.inventoryItemId, primaryLocationId: c.locationId })));
        recorded.push(adjustmentKey);
      }
    }
  }
  // Every dependent's adjustments at once: deltas commute, and a sale in one store need not wait
  // for the answer to another's. One that fails leaves the others applied and pushed.
  const sent = await Promise.allSettled(recorded.map((adjustmentKey) => sendRecordedAdjustment(primary, adjustmentKey, job.id, log)));
  for (const result of sent) if (result.status === "fulfilled") for (const itemId of result.value) movedItems.add(itemId);
  await writeSyncLog(log);
  await queueStockPushes(primaryShop, [...movedItems]);
  const failedSend = sent.find((result) => result.status === "rejected");
  if (failedSend) throw failedSend.reason;
  // A sale that waited for its store's restock goes once the restock is in the books.
  if (waitingForEscrow > 0 && restocked) await enqueueStockApplication(primaryShop);
  // A successor for the dependents that had more waiting than this run took; a deferred one's come with its later pass.
  if ([...countsBy(open)].some(([dependentShop, count]) => count === MOVEMENTS_PER_DEPENDENT && !deferredShops.has(dependentShop))) await enqueueStockApplication(primaryShop);
  if (deferred.length > 0) {
    logger.warn({ primaryShop, reasons: deferred.map((failure) => failure.message) }, "sales of a dependent wait: it cannot be read now");
    if (deferred.some((failure) => failure.retryable)) await enqueueStockApplication(primaryShop, { retryInMs: DEFERRED_RETRY_MS });
  }
  return { applied, skipped, stores: new Set(open.map((row) => row.dependentShop)).size, deferredStores: deferred.length };
}

function countsBy(rows: StockMovement[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.dependentShop, (counts.get(row.dependentShop) ?? 0) + 1);
  return counts;
}

/** One dependent's open movements, with restocks that waited for their sale, and what placing them needs. */
async function dependentMovements(primaryShop: string, dependentShop: string, open: StockMovement[]) {
  // Restocks that arrived before their sale (webhooks out of order) go back once the sale counts.
  const saleLines = open.filter((row) => takesUnits(row.kind)).map((row) => row.lineItemId);
  const rows = [...open, ...(await waitingRestocks(dependentShop, saleLines))];
  const [links, dependent, mapping] = await Promise.all([
    variantLinksBySku(primaryShop, dependentShop, rows.map((row) => row.sku).filter(Boolean)),
    dependentLocations(dependentShop),
    locationMappingOf(dependentShop),
  ]);
  // A store that can no longer be read (uninstalled) cannot say where it routed its orders either.
  const located = dependent === null ? rows : await locateOnlineSales(dependentShop, rows, dependent.activeLocationIds);
  return { primaryShop, dependentShop, rows: located, links, mapping, dependentDefaultLocationId: dependent?.defaultLocationId ?? null };
}

/**
 * An online order names no location (location_id is null): Shopify routed each line to a location,
 * its fulfillment order's, and took the dependent's stock there; the primary's stock goes from the
 * location that feeds it. Read once per sale and kept on its row; a store with one active location
 * could route it nowhere else, so nothing is read there. A line Shopify has not routed keeps none:
 * the dependent's default location.
 */
async function locateOnlineSales(dependentShop: string, rows: StockMovement[], activeLocationIds: string[]): Promise<StockMovement[]> {
  const unlocated = rows.filter((row) => takesUnits(row.kind) && row.dependentLocationId === null && row.orderId !== null);
  if (unlocated.length === 0) return rows;
  const routed = activeLocationIds.length === 1
    ? new Map(unlocated.map((row) => [row.lineItemId, activeLocationIds[0]]))
    : await routedLineLocations(await gatewayFor(dependentShop), unlocated.map((row) => row.orderId!));
  const located = new Map(unlocated.flatMap((row) => (routed.has(row.lineItemId) ? [[row.id, routed.get(row.lineItemId)!] as const] : [])));
  await recordSaleLocations([...located].map(([id, dependentLocationId]) => ({ id, dependentLocationId })));
  return rows.map((row) => (located.has(row.id) ? { ...row, dependentLocationId: located.get(row.id)! } : row));
}

/**
 * A dependent's active locations, and its default one: where its sales with no known location were
 * made. Null when the store can no longer be read at all (its token refused: uninstalled): its
 * sales then go by the location mapping alone. A passing trouble throws, so the sales wait for a
 * later pass.
 */
async function dependentLocations(dependentShop: string): Promise<{ defaultLocationId: string; activeLocationIds: string[] } | null> {
  let info: ShopInfo;
  try {
    info = await readShopInfo(await gatewayFor(dependentShop), { maxAgeMs: LIVE_SHOP_INFO_MAX_AGE_MS });
  } catch (error) {
    if (error instanceof ShopifyUnauthorizedError) return null;
    throw error;
  }
  const dependentDefault = defaultLocationOf(info);
  if (!dependentDefault) throw new PermanentJobError(`${dependentShop} has no active location`);
  return { defaultLocationId: dependentDefault.id, activeLocationIds: info.locations.filter((location) => location.isActive).map((location) => location.id) };
}

type PlacedChange = { row: StockMovement; inventoryItemId: string; locationId: string };

/** Where on the primary each movement goes; those that cannot go anywhere are settled as skipped here. */
async function placeMovements({ primaryShop, dependentShop, rows, links, mapping, dependentDefaultLocationId, primaryInfo, primaryDefaultLocationId, items, jobId, log }:
  Awaited<ReturnType<typeof dependentMovements>> & { primaryInfo: ShopInfo; primaryDefaultLocationId: string; items: Map<string, InventoryItemState>; jobId: string; log: SyncLogEntry[] },
): Promise<PlacedChange[]> {
  const base = { primaryShop, dependentShop, jobId };
  const skip = async (row: StockMovement, message: Text, fix: Text) => {
    await settleMovement(row.id, { status: "skipped", message: english.text(message) });
    log.push({ ...base, action: "error", skus: row.sku ? [row.sku] : [], fields: ["quantity"], message, fix });
  };
  const changes: PlacedChange[] = [];
  // Units of each line this job takes (sales) or returns (restocks), so a restock can follow its sale.
  const takenNow = new Map<string, number>();
  const salesFirst = [...rows].sort((a, b) => Number(takesUnits(b.kind)) - Number(takesUnits(a.kind)));
  for (const row of salesFirst) {
    const link = row.sku ? links.get(row.sku) : undefined;
    if (!link) {
      await skip(row, text("entry.unlinkedSale", { kind: row.kind, quantity: row.quantity, sku: row.sku ?? "" }), text("entry.unlinkedSale.fix"));
      continue;
    }
    const item = items.get(link.primaryInventoryItemId);
    if (item && !item.tracked) {
      // Seed 003: stock syncs only for items whose stock the primary tracks.
      await settleMovement(row.id, { status: "skipped", message: `${row.sku} is not tracked in the primary store` });
      continue;
    }
    let quantity = row.quantity;
    if (row.kind === "restock") {
      // Only units Tandem took from the primary go back; a restock seen before its sale waits for it.
      quantity = Math.min(quantity, (await outstandingQuantity(dependentShop, row.lineItemId)) + (takenNow.get(row.lineItemId) ?? 0));
      if (quantity <= 0) {
        if (row.status !== "waiting") await settleMovement(row.id, { status: "waiting", quantity: row.quantity, message: "Waits for this line's sale to be taken from the primary (a restock of an order that was never counted changes nothing)" });
        continue;
      }
    }
    const locationId = primaryLocationFor({
      saleLocationId: row.dependentLocationId, mapping, dependentDefaultLocationId,
      primaryLocationIds: primaryInfo.locations.filter((l) => l.isActive).map((l) => l.id), primaryDefaultLocationId,
      available: item?.available ?? {},
    });
    if (!(locationId in (item?.available ?? {}))) {
      await skip(row, text("entry.notStockedOnPrimary", { sku: row.sku ?? "" }), text("entry.notStockedOnPrimary.fix"));
      continue;
    }
    takenNow.set(row.lineItemId, (takenNow.get(row.lineItemId) ?? 0) + (takesUnits(row.kind) ? quantity : -quantity));
    changes.push({ row: { ...row, quantity }, inventoryItemId: link.primaryInventoryItemId, locationId });
  }
  return changes;
}

/**
 * Strict mode (ADR 0033): each placed sale or restock of a pool Tandem keeps books for takes its
 * units out of the primary's reserve, or puts them back, decided in the books with its ledger rows
 * before it is sent. A sale waits while the escrow holds fewer units than it sold (`canDecide`: its
 * store's restock is not applied yet). Items with no books yet (strict mode began, their pool not
 * yet rebalanced) are left to the shared path: the dependent sold from shared mode's copy.
 */
async function applyToEscrow(primary: AdminGateway, primaryShop: string, dependentShop: string, placed: PlacedChange[], jobId: string, log: SyncLogEntry[]) {
  const pools = await poolsOf(primaryShop, [...new Set(placed.map((change) => change.inventoryItemId))]);
  const decidedWrites: { change: PlacedChange; write: DecidedMove }[] = [];
  const waiting: PlacedChange[] = [];
  const links = await variantLinksBySku(primaryShop, dependentShop, placed.map((change) => change.row.sku).filter(Boolean));
  // Decided one after another: each decision reads the books the previous ones left.
  for (const change of placed) {
    const poolKey = poolKeyString({ primaryInventoryItemId: change.inventoryItemId, primaryLocationId: change.locationId });
    const books = pools.get(poolKey);
    if (!books) continue;
    const move: Move = { kind: takesUnits(change.row.kind) ? "sale" : "restock", shop: dependentShop, quantity: change.row.quantity };
    if (!canDecide(books, move)) {
      waiting.push(change);
      continue;
    }
    const write: DecidedMove = {
      primaryShop, primaryInventoryItemId: change.inventoryItemId, primaryLocationId: change.locationId,
      inventoryItemId: change.inventoryItemId, locationId: change.locationId, base: null, key: crypto.randomUUID(), move,
    };
    pools.set(poolKey, await decideMove(write, { movements: [{ id: change.row.id, quantity: change.row.quantity }] }));
    decidedWrites.push({ change, write });
  }
  // Sent several at a time: each is a delta on the reserve under its own key (they commute), decided
  // and settled on its own, so a crash or a lost answer leaves each to be sent again alone. One at a
  // time, a storm's 150 sales of one store held the primary's lane for 40 s (bench, strict storm).
  // Settled one after another: each settlement rewrites its pool's books.
  const applied: PlacedChange[] = [];
  let failure: unknown = null;
  for (const group of chunks(decidedWrites, ESCROW_SENDS_AT_ONCE)) {
    const sent = await Promise.allSettled(group.map(({ write }) => transmitMove(write, primary)));
    for (const [index, result] of sent.entries()) {
      if (result.status === "rejected") {
        failure ??= result.reason;
        continue;
      }
      const { change, write } = group[index];
      await settleMove(write.key, result.value);
      if (!result.value) continue;
      applied.push(change);
      log.push({
        primaryShop, dependentShop, jobId, action: "stock", primaryProductId: links.get(change.row.sku)?.primaryProductId ?? null, skus: [change.row.sku], fields: ["quantity"],
        message: text("entry.stockMoved", { kind: change.row.kind, quantity: change.row.quantity, sku: change.row.sku, shop: dependentShop, returned: takesUnits(change.row.kind) ? 0 : 1 }),
      });
    }
    if (failure !== null) break;
  }
  // A lost answer: the job fails and is retried, and its next run sends the unsettled writes first.
  if (failure !== null) throw failure;
  return { applied, waiting };
}

async function sendUnsettledAdjustments(primary: AdminGateway, primaryShop: string, jobId: string, log: SyncLogEntry[]): Promise<string[]> {
  const items: string[] = [];
  for (const key of await unsettledAdjustmentKeys(primaryShop)) items.push(...(await sendRecordedAdjustment(primary, key, jobId, log)));
  return items;
}

/**
 * Sends one recorded adjustment (built from the ledger alone, so a resend after a crash is the very
 * same request under the same idempotency key), then marks its movements applied. Returns the
 * primary inventory items whose stock moved.
 */
async function sendRecordedAdjustment(primary: AdminGateway, adjustmentKey: string, jobId: string, log: SyncLogEntry[]): Promise<string[]> {
  const rows = await movementsOfAdjustment(adjustmentKey);
  if (rows.length === 0) return [];
  const { primaryShop, dependentShop } = rows[0];
  const deltaOf = (row: (typeof rows)[number]) => (takesUnits(row.kind) ? -row.quantity : row.quantity);
  let result: Awaited<ReturnType<AdminGateway["adjustInventoryQuantities"]>>;
  try {
    result = await primary.adjustInventoryQuantities({
      name: "available",
      reason: rows.every((row) => deltaOf(row) > 0) ? "restock" : "correction",
      referenceDocumentUri: `tandem://stock/${encodeURIComponent(dependentShop)}/${adjustmentKey}`,
      // Deltas commute: concurrent sales elsewhere must not make this one fail, so no expected quantity.
      changes: rows.map((row) => ({ inventoryItemId: row.primaryInventoryItemId!, locationId: row.primaryLocationId!, delta: deltaOf(row), changeFromQuantity: null })),
    }, adjustmentKey);
  } catch (error) {
    // userErrors mean Shopify applied none of it: these movements are planned afresh on the next try,
    // from a fresh read (what Tandem knew of the items, such as a location stocking one, may be why).
    if (error instanceof ShopifyUserErrors) {
      await releaseAdjustment(adjustmentKey);
      await forgetPrimaryItems(primaryShop, rows.map((row) => row.primaryInventoryItemId!));
    }
    throw error;
  }
  // Before the pushes are marked: they then send these levels without reading them (ADR 0014).
  await recordAdjustmentResult(primaryShop, rows.map((row) => row.primaryInventoryItemId!), result.inventoryAdjustmentGroup);
  await settleAdjustment(adjustmentKey);
  const links = await variantLinksBySku(primaryShop, dependentShop, rows.map((row) => row.sku).filter(Boolean));
  for (const row of rows) {
    log.push({
      primaryShop, dependentShop, jobId, action: "stock", primaryProductId: links.get(row.sku)?.primaryProductId ?? null, skus: [row.sku], fields: ["quantity"],
      message: row.kind === "reservation"
        ? text("entry.stockReserved", { quantity: row.quantity, sku: row.sku, shop: dependentShop })
        : text("entry.stockMoved", { kind: row.kind, quantity: row.quantity, sku: row.sku, shop: dependentShop, returned: deltaOf(row) < 0 ? 0 : 1 }),
    });
  }
  return rows.map((row) => row.primaryInventoryItemId!);
}
