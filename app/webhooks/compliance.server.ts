import { z } from "zod";
import { logger } from "../logger.server";
import { forgetCustomerOfMirroredOrders, mirroredOrdersOfCustomer, type CustomerReference } from "../models/mirroredOrders.server";
import { eraseShopData } from "../models/shopData.server";
import { redactSyncLogEntries, syncLogEntriesMentioning } from "../models/syncLog.server";

const numericId = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const customerRequest = z.object({
  customer: z.object({ id: numericId.optional(), email: z.string().nullable().optional() }).optional(),
  orders_to_redact: z.array(numericId).optional(),
  orders_requested: z.array(numericId).optional(),
});

/** What Tandem holds about one customer of a shop (customers/data_request): no e-mail, names or addresses. */
export type CustomerDataReport = {
  shop: string;
  customerId: string | null;
  mirroredOrders: { dependentShop: string; dependentOrderId: string; primaryShop: string; primaryOrderName: string; customerId: string | null; createdAt: Date }[];
  syncLogEntriesNamingTheEmail: string[];
};

/**
 * Mandatory compliance topics. Tandem keeps about a customer only what order mirroring needs: the
 * primary's customer id on a mirrored order. (Sync log entries written before 2026-12-06 also
 * named the buyer's e-mail; entries are pruned after 30 days.) customers/data_request reports
 * those, customers/redact removes them, shop/redact erases every row of an uninstalled shop.
 */
export async function handleComplianceWebhook({ shop, topic, payload }: { shop: string; topic: string; payload: unknown }) {
  // The library names topics CUSTOMERS_DATA_REQUEST; Shopify's header says customers/data_request.
  const name = topic.toLowerCase().replace(/^([a-z]+)[_/]/, "$1/");
  if (name === "shop/redact") {
    const erased = await eraseShopData(shop);
    if (erased) logger.info({ shop, topic }, "shop data erased");
    else logger.warn({ shop, topic }, "shop/redact for a store that installed Tandem again: its data stays");
    return;
  }
  const parsed = customerRequest.safeParse(payload);
  if (!parsed.success) {
    logger.warn({ shop, topic }, "compliance request without the expected fields: nothing to do");
    return;
  }
  const { customer, orders_to_redact: toRedact = [], orders_requested: requested = [] } = parsed.data;
  const email = customer?.email ?? null;
  const reference: CustomerReference = {
    customerId: customer?.id ? `gid://shopify/Customer/${customer.id}` : null,
    dependentOrderIds: [...toRedact, ...requested].map((id) => `gid://shopify/Order/${id}`),
  };
  const entries = email ? await syncLogEntriesMentioning(shop, [email]) : [];
  if (name === "customers/redact") {
    const orders = await forgetCustomerOfMirroredOrders(shop, reference);
    const scrubbed = email ? await redactSyncLogEntries(entries, [email]) : 0;
    logger.info({ shop, topic, customerId: reference.customerId, orders, syncLogEntries: scrubbed }, "customer data redacted");
    return;
  }
  if (name === "customers/data_request") {
    const report: CustomerDataReport = {
      shop, customerId: reference.customerId,
      mirroredOrders: await mirroredOrdersOfCustomer(shop, reference),
      syncLogEntriesNamingTheEmail: entries.map((entry) => entry.id),
    };
    // For the operator to send the store owner, as Shopify asks of apps holding customer data.
    logger.info({ topic, report }, "customer data request: what Tandem holds");
    return report;
  }
  logger.warn({ shop, topic }, "compliance topic not known: nothing to do");
}
