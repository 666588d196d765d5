import { logger } from "../logger.server";
import { eraseShop } from "../network/network.server";

/**
 * Mandatory compliance topics. Tandem stores no customer records (orders are read to move stock,
 * never kept), so customers/data_request has nothing to report and customers/redact nothing to
 * erase. shop/redact erases everything held about the shop.
 */
export async function handleComplianceWebhook({ shop, topic }: { shop: string; topic: string; payload: unknown }) {
  if (topic === "SHOP_REDACT" || topic === "shop/redact") {
    await eraseShop(shop);
    logger.info({ shop, topic }, "shop data erased");
    return;
  }
  logger.info({ shop, topic }, "compliance request: no customer data is stored");
}
