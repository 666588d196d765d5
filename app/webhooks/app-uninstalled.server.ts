import { logger } from "../logger.server";
import { deleteSessionsOfShop } from "../models/session.server";
import { markUninstalled } from "../models/stores.server";

/**
 * Sessions go at once; the store's data stays until shop/redact (48 h later), and its live
 * connections show "needs attention" on the other side. Shopify may deliver this more than once:
 * both steps are idempotent.
 */
export async function handleAppUninstalled({ shop }: { shop: string }) {
  const deleted = await deleteSessionsOfShop({ shop });
  await markUninstalled(shop);
  logger.info({ shop, deleted }, "app uninstalled: sessions deleted, connections need attention");
}
