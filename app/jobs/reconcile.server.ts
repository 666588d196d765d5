import { getConfig } from "../config.server";
import { liveConnection, markOrdersReconciled } from "../models/connections.server";
import { variantLinksOfPair } from "../models/links.server";
import { heldSalesOf, knownMovementKeys } from "../models/stockMovements.server";
import { writeSyncLog } from "../models/syncLog.server";
import { logger } from "../logger.server";
import { inventoryItemReadCost, ORDER_LINE_ITEMS, ORDER_REFUNDS, ORDERS_SINCE, REFUND_LINE_ITEMS, REFUNDS_PER_ORDER, REFUNDS_WITH_ORDER, STOCK_BULK_QUERY } from "../shopify/documents";
import { type AdminGateway, parentsFirst, streamJsonl } from "../shopify/gateway.server";
import { levelChangeTimes, parseLevels } from "../sync/catalogue";
import { movementsFromOrder, type OrderRecord, PAID_STATUSES } from "../sync/stock";
import { InventoryWriter } from "../services/apply-plan.server";
import { enqueueOrderMirror } from "./mirror-order.server";
import { type JobContext, PermanentJobError } from "./runner.server";
import { queueStockMovements, turnPaidReservationsIntoSales } from "./stock.server";
import { writeLinkedLevels } from "./push-stock.server";
import { type InventoryItemState, readInventoryItems } from "../shopify/store-reader.server";
import { readPrimaryItems } from "../services/primary-stock.server";
import { recordPrimaryItemReads } from "../models/primaryLevels.server";
import { type PairContext, loadPairContext } from "../services/sync-context.server";
import { stockModeOf } from "../models/stores.server";
import { queueRebalance } from "./rebalance-stock.server";
import { payloadOf } from "./kinds.server";


/** Orders updated this long before the last pass are read again: clocks and Shopify's indexing lag. */
const ORDER_OVERLAP_MS = 10 * 60_000;

/**
 * Above this many points, a store's levels are read with one bulk query (about 10 points, whatever
 * the catalogue) rather than page by page (9 points a variant at 2 locations). The default, 1,000,
 * is 10 s of a standard store's restore rate: paging 1,500 variants would take over two minutes
 * of the primary's bucket for each dependent checked.
 */
export function reconcileBulkPoints(): number {
  return getConfig().TANDEM_RECONCILE_BULK_POINTS;
}

/**
 * Job "reconcile-stock" (lane: the dependent): repairs what lost webhooks left behind.
 * 1. The dependent's orders updated since the last pass are read back; sales and restocks the
 *    ledger does not hold yet go to the primary through an apply-stock job (still exactly once).
 * 2. Every linked variant's level is compared with what the primary's level gives and repaired
 *    (ADR 0035), each repair logged.
 */
export async function reconcileStockJob({ job, logger }: JobContext) {
  const { primaryShop } = payloadOf("reconcile-stock", job);
  const context = await loadPairContext(primaryShop, job.lane);
  // "Stock quantities" off: the store keeps its own stock, so its sales are not recovered either
  // (its paid orders are still mirrored when it asked for that).
  const recoveredMovements = await recoverLostOrders(context, { stock: context.preferences.syncQuantity });
  if (!context.preferences.syncQuantity) return { recoveredMovements, checked: 0, repaired: 0 };
  if ((await stockModeOf(primaryShop)) === "strict") {
    // Levels are shares there: the primary's rebalance looks at every linked item instead (ADR 0033).
    const items = (await variantLinksOfPair(primaryShop, context.dependentShop)).map((link) => link.primaryInventoryItemId);
    await queueRebalance(primaryShop, items);
    return { recoveredMovements, checked: items.length, repaired: 0 };
  }

  const links = await variantLinksOfPair(primaryShop, context.dependentShop);
  // Held sales before the levels, read once (a bulk read is too dear to repeat, as push-stock's
  // primaryStockWithHeldSales would): a sale applied meanwhile errs towards less stock.
  const held = await heldSalesOf(context.dependentShop);
  const primary = await readStock(context.primary, links.map((link) => link.primaryInventoryItemId), context.locationCounts.primary, { primary: true });
  const dependent = await readStock(context.dependent, links.map((link) => link.dependentInventoryItemId), context.locationCounts.dependent);
  const writer = new InventoryWriter(context.dependent, writeSyncLog, { primaryShop, dependentShop: context.dependentShop, jobId: job.id }, {
    mode: "reconcile", locationNames: context.dependentLocationNames,
  });
  const missing = await writeLinkedLevels(context, links, { primary: primary.items, dependent: dependent.items, held }, writer);
  await writer.flush();
  if (writer.written > 0) logger.info({ repaired: writer.written }, "reconciliation repaired stock levels");
  return { recoveredMovements, checked: links.length, repaired: writer.written, missing, reads: { primary: primary.read, dependent: dependent.read } };
}

/** Sales and restocks of the dependent that never reached the ledger (their webhooks were lost). */
async function recoverLostOrders(context: PairContext, { stock }: { stock: boolean }): Promise<number> {
  const connection = await liveConnection(context.primaryShop, context.dependentShop);
  if (!connection) throw new PermanentJobError(`${context.dependentShop} is no longer connected to ${context.primaryShop}`);
  const passStartedAt = new Date();
  const since = new Date((connection.ordersReconciledAt ?? connection.connectedAt).getTime() - ORDER_OVERLAP_MS);
  let recovered = 0;
  let after: string | null = null;
  do {
    const data: { orders: { nodes: OrderPage[]; pageInfo: PageInfo } } = await context.dependent.request(ORDERS_SINCE, {
      query: `updated_at:>='${since.toISOString()}'`, after,
    });
    for (const page of data.orders.nodes) {
      // A paid order whose orders/paid webhook was lost (or came while paused) is recorded now.
      if (context.preferences.mirrorOrders && PAID_STATUSES.has(page.displayFinancialStatus ?? "")) {
        await enqueueOrderMirror({ primaryShop: context.primaryShop, dependentShop: context.dependentShop, orderId: page.id });
      }
      if (!stock) continue;
      const order = await completeOrder(context.dependent, page);
      const movements = movementsFromOrder(order, context.preferences.countUnpaidOrders);
      const known = await knownMovementKeys(movements.map((m) => m.key));
      // Paid since its reservation (its orders/paid lost): a sale now, nothing more taken.
      await turnPaidReservationsIntoSales(context.primaryShop, context.dependentShop, movements.filter((m) => m.kind === "sale" && known.has(m.key)).map((m) => m.key));
      const lost = movements.filter((m) => !known.has(m.key));
      if (lost.length === 0) continue;
      recovered += lost.length;
      await queueStockMovements({ primaryShop: context.primaryShop, dependentShop: context.dependentShop, movements: lost });
    }
    after = data.orders.pageInfo.hasNextPage ? (data.orders.pageInfo.endCursor ?? null) : null;
  } while (after);
  await markOrdersReconciled(connection.id, passStartedAt);
  return recovered;
}

type PageInfo = { hasNextPage: boolean; endCursor?: string | null };
type LinePage = { nodes: OrderRecord["lineItems"]["nodes"]; pageInfo: PageInfo };
type RefundPage = { id: string; refundLineItems: { nodes: OrderRecord["refunds"][number]["refundLineItems"]["nodes"]; pageInfo: PageInfo } };
type OrderPage = Omit<OrderRecord, "lineItems" | "refunds"> & { lineItems: LinePage; refunds: RefundPage[] };

/** An order with all its lines: the first page came with the order list, the rest is read here. */
async function completeOrder(gateway: AdminGateway, page: OrderPage): Promise<OrderRecord> {
  const lines = [...page.lineItems.nodes];
  for (let cursor = page.lineItems.pageInfo; cursor.hasNextPage; ) {
    const data: { order: { lineItems: LinePage } | null } = await gateway.request(ORDER_LINE_ITEMS, { id: page.id, after: cursor.endCursor });
    if (!data.order) break;
    lines.push(...data.order.lineItems.nodes);
    cursor = data.order.lineItems.pageInfo;
  }
  let refunds = page.refunds;
  if (refunds.length >= REFUNDS_WITH_ORDER) {
    const data: { order: { refunds: RefundPage[] } | null } = await gateway.request(ORDER_REFUNDS, { id: page.id });
    if (data.order) refunds = data.order.refunds;
    if (refunds.length >= REFUNDS_PER_ORDER) {
      // Shopify's refunds list has no cursor: more than that is read in part, and their webhooks remain the main path.
      logger.warn({ shop: gateway.shop, order: page.id }, "an order has more refunds than reconciliation reads; the rest relies on their webhooks");
    }
  }
  const completeRefunds = [];
  for (const refund of refunds) {
    const refundLines = [...refund.refundLineItems.nodes];
    for (let cursor = refund.refundLineItems.pageInfo; cursor.hasNextPage; ) {
      const data: { refund: RefundPage | null } = await gateway.request(REFUND_LINE_ITEMS, { id: refund.id, after: cursor.endCursor });
      if (!data.refund) break;
      refundLines.push(...data.refund.refundLineItems.nodes);
      cursor = data.refund.refundLineItems.pageInfo;
    }
    completeRefunds.push({ id: refund.id, refundLineItems: { nodes: refundLines } });
  }
  return { ...page, lineItems: { nodes: lines }, refunds: completeRefunds };
}

/**
 * Stock of these inventory items: page by page for a few, one streamed bulk export for many. What
 * a primary's read gives is recorded as what Tandem knows of its levels (ADR 0014): a check every
 * ten minutes keeps them known, so pushes need not read them.
 */
async function readStock(gateway: AdminGateway, inventoryItemIds: string[], locationCount: number, { primary = false } = {}): Promise<{ items: Map<string, InventoryItemState>; read: "pages" | "bulk" }> {
  if (new Set(inventoryItemIds).size * inventoryItemReadCost(Math.max(1, locationCount)) <= reconcileBulkPoints()) {
    const items = primary ? await readPrimaryItems(gateway, inventoryItemIds, { locationCount }) : await readInventoryItems(gateway, inventoryItemIds, { locationCount });
    return { items, read: "pages" };
  }
  const sentAt = Date.now();
  const items = await readStockInBulk(gateway, inventoryItemIds);
  if (primary) await recordPrimaryItemReads(gateway.shop, items, sentAt);
  return { items, read: "bulk" };
}

async function readStockInBulk(gateway: AdminGateway, inventoryItemIds: string[]): Promise<Map<string, InventoryItemState>> {
  const wanted = new Set(inventoryItemIds);
  const items = new Map<string, InventoryItemState>();
  const itemOfVariant = new Map<string, InventoryItemState>();
  const url = await gateway.runBulkQuery(STOCK_BULK_QUERY);
  if (!url) return items;
  for await (const line of parentsFirst(streamJsonl(url))) {
    const parent = typeof line.__parentId === "string" ? line.__parentId : null;
    if (!parent) {
      const item = line.inventoryItem as { id?: string; tracked?: boolean } | undefined;
      if (!item?.id || !wanted.has(item.id)) continue;
      const state: InventoryItemState = { tracked: item.tracked !== false, available: {}, changedAt: {} };
      items.set(item.id, state);
      itemOfVariant.set(String(line.id), state);
      continue;
    }
    const state = itemOfVariant.get(parent);
    if (state) {
      Object.assign(state.available, parseLevels([line]));
      Object.assign(state.changedAt!, levelChangeTimes([line]));
    }
  }
  return items;
}
