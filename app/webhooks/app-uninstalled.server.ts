import { logger } from "../logger.server";
import { deleteSessionsOfShop } from "../models/session.server";

// Shopify may deliver this more than once, and after the sessions are gone: deleting is idempotent.
export async function handleAppUninstalled({ shop }: { shop: string }) {
  const deleted = await deleteSessionsOfShop({ shop });
  logger.info({ shop, deleted }, "app uninstalled: sessions deleted");
}
