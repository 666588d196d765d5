import { text } from "../i18n";
import { liveConnectionOf } from "../models/connections.server";
import { enqueueOrderMirror } from "../jobs/mirror-order.server";
import { queueStockMovements } from "../jobs/stock.server";
import { logger } from "../logger.server";
import { writeSyncLog } from "../models/syncLog.server";
import { syncPreferencesOf } from "../models/syncPreferences.server";
import { orderTakes, restocksFromRefund, salesFromOrder } from "../sync/stock";
import { onceForEvent, type WebhookOutcome } from "./once.server";

/**
 * orders/create, orders/paid and refunds/create on a dependent: its sales, reservations (unpaid
 * orders in a store that counts only paid ones) and restocks go into the ledger and wake the
 * "apply-stock" job on the primary's lane. The ledger applies each line once,
 * so duplicated or reordered webhooks cannot count a sale twice. A paid order is also recorded on the
 * primary when the dependent mirrors its orders (seed 002). A primary's own orders need nothing:
 * its inventory webhooks already carry the new levels out.
 *
 * A body Tandem cannot read is acknowledged all the same ("unreadable"): Shopify would send the
 * same body again and again, and may remove a subscription that keeps failing. The sync log says
 * so, and the stock check reads the store's orders back.
 */
export async function handleOrderWebhook({ shop, topic, eventId, payload }: { shop: string; topic: string; eventId: string; payload: unknown }): Promise<WebhookOutcome | "unreadable"> {
  // A primary's orders (among them every order Tandem mirrors there) are ignored before anything is written.
  const connection = await liveConnectionOf(shop);
  if (!connection || connection.status === "needs_attention") return "ignored";
  return onceForEvent({ eventId, shop, topic }, async () => {
    const { countUnpaidOrders, mirrorOrders, syncQuantity } = await syncPreferencesOf(shop);
    let read;
    if (topic === "refunds/create") {
      if (!syncQuantity) return "ignored";
      read = restocksFromRefund(payload);
    } else {
      const orderId = (payload as { admin_graphql_api_id?: unknown } | null)?.admin_graphql_api_id;
      if (topic === "orders/paid" && mirrorOrders && connection.status === "connected" && typeof orderId === "string") {
        await enqueueOrderMirror({ primaryShop: connection.primaryShop, dependentShop: shop, orderId });
      }
      // "Stock quantities" off: this store keeps its own stock, and its sales leave the primary's alone.
      if (!syncQuantity) return "ignored";
      const financialStatus = (payload as { financial_status?: unknown } | null)?.financial_status;
      const takes = orderTakes(topic as "orders/create" | "orders/paid", countUnpaidOrders, typeof financialStatus === "string" ? financialStatus : null);
      if (takes === null) return "ignored";
      read = salesFromOrder(payload, takes);
    }
    if (read.problem !== undefined) {
      logger.warn({ shop, topic, eventId, problem: read.problem }, "order webhook unreadable: acknowledged, logged, left to the stock check");
      await writeSyncLog([{
        primaryShop: connection.primaryShop, dependentShop: shop, action: "error", fields: ["quantity"],
        message: text("entry.unreadableOrder", { topic, problem: read.problem }), fix: text("entry.unreadableOrder.fix"),
      }]);
      return "unreadable";
    }
    if (read.movements.length === 0) return "ignored";
    // Lines the ledger already settled (the same sale under another event id) queue nothing.
    const { queued } = await queueStockMovements({ primaryShop: connection.primaryShop, dependentShop: shop, movements: read.movements });
    if (!queued) return "duplicate";
    logger.info({ shop, topic, lines: read.movements.length }, "stock movements queued for the primary");
    return "queued";
  });
}
