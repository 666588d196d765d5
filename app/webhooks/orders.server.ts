import { liveConnectionOf } from "../models/connections.server";
import { enqueueOrderMirror } from "../jobs/mirror-order.server";
import { queueStockMovements } from "../jobs/stock.server";
import { logger } from "../logger.server";
import { recordWebhookEvent } from "../models/webhookEvents.server";
import { syncPreferencesOf } from "../network/network.server";
import { restocksFromRefund, saleCounts, salesFromOrder } from "../sync/stock";
import type { WebhookOutcome } from "./catalogue.server";

/**
 * orders/create, orders/paid and refunds/create on a dependent: its sales and restocks go into the
 * ledger and wake the "apply-stock" job on the primary's lane. The ledger applies each line once,
 * so duplicated or reordered webhooks cannot count a sale twice. A paid order is also recorded on the
 * primary when the dependent mirrors its orders (seed 002). A primary's own orders need nothing:
 * its inventory webhooks already carry the new levels out.
 */
export async function handleOrderWebhook({ shop, topic, eventId, payload }: { shop: string; topic: string; eventId: string; payload: unknown }): Promise<WebhookOutcome | "invalid"> {
  // A primary's orders (among them every order Tandem mirrors there) are ignored before anything is written.
  const connection = await liveConnectionOf(shop);
  if (!connection || connection.status === "needs_attention") return "ignored";
  if (!(await recordWebhookEvent({ eventId, shop, topic }))) return "duplicate";
  let movements;
  if (topic === "refunds/create") {
    movements = restocksFromRefund(payload);
  } else {
    const { countUnpaidOrders, mirrorOrders } = await syncPreferencesOf(shop);
    const orderId = (payload as { admin_graphql_api_id?: unknown }).admin_graphql_api_id;
    if (topic === "orders/paid" && mirrorOrders && connection.status === "connected" && typeof orderId === "string") {
      await enqueueOrderMirror({ primaryShop: connection.primaryShop, dependentShop: shop, orderId });
    }
    if (!saleCounts(topic as "orders/create" | "orders/paid", countUnpaidOrders)) return "ignored";
    movements = salesFromOrder(payload);
  }
  if (!movements) {
    logger.warn({ shop, topic }, "order webhook without the expected fields: ignored");
    return "invalid";
  }
  if (movements.length === 0) return "ignored";
  // Lines the ledger already settled (the same sale under another event id) queue nothing.
  const { queued } = await queueStockMovements({ primaryShop: connection.primaryShop, dependentShop: shop, movements });
  if (!queued) return "duplicate";
  logger.info({ shop, topic, lines: movements.length }, "stock movements queued for the primary");
  return "queued";
}
