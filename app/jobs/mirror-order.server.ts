import { text } from "../i18n";
import { liveConnection } from "../models/connections.server";
import { variantLinksBySku } from "../models/links.server";
import { isMirrored, recordMirroredOrder } from "../models/mirroredOrders.server";
import { writeSyncLog } from "../models/syncLog.server";
import { syncPreferencesOf } from "../models/syncPreferences.server";
import { customId, customIdMetafield, DEPENDENT_ORDER_ID, ensureCustomIdDefinition } from "../shopify/custom-ids.server";
import { CUSTOMER_BY_EMAIL, CUSTOMER_CREATE, MIRRORED_ORDER_BY_CUSTOM_ID, ORDER_BUYER, ORDER_CREATE, ORDER_FOR_MIRROR } from "../shopify/documents";
import { ShopifyAccessDeniedError, ShopifyResourceLimitError, ShopifyUserErrors, type UserError } from "../shopify/errors";
import type { AdminGateway } from "../shopify/gateway.server";
import { gatewayFor } from "../shopify/gateways.server";
import { type Buyer, buyerOf, type DependentOrder, mirroredOrderInput, notMirroredBecause } from "../sync/mirror";
import { normalizeSku } from "../sync/sku";
import { type JobContext, PermanentJobError } from "./runner.server";
import { type JobArgs, enqueueJob, payloadOf } from "./kinds.server";

const BACKGROUND = { background: true };

/** Queues the recording of a dependent's paid order on the primary (once per order, whatever asks how often). */
export async function enqueueOrderMirror(order: JobArgs<"mirror-order">) {
  if (await isMirrored(order.dependentShop, order.orderId)) return;
  await enqueueJob("mirror-order", order);
}

/**
 * Job "mirror-order" (lane: the primary's orders, beside its stock), seed 002: a dependent's paid order is recorded on the
 * primary as paid and fulfilled, its stock untouched (the ledger already moved it), the customer
 * matched by e-mail and never renamed. A copy made by an attempt that crashed before recording it
 * (or whose answer was lost) is found by its custom ID, the dependent order's id, instead of being
 * created again: found at once, where a search by its tag waits for Shopify's search index.
 */
export async function mirrorOrderJob({ job }: JobContext) {
  const { primaryShop, dependentShop, orderId } = payloadOf("mirror-order", job);
  if (await isMirrored(dependentShop, orderId)) return { duplicate: true };
  if (!(await liveConnection(primaryShop, dependentShop))) throw new PermanentJobError(`${dependentShop} is no longer connected to ${primaryShop}`);
  if (!(await syncPreferencesOf(dependentShop)).mirrorOrders) return { skipped: "order mirroring is off for this store" };

  const [primary, dependent] = await Promise.all([gatewayFor(primaryShop), gatewayFor(dependentShop)]);
  // Recording orders can wait; the stock its sales move cannot: every call here is background work.
  const { order: read } = await dependent.request<{ order: Omit<DependentOrder, "email" | "customer"> | null }>(ORDER_FOR_MIRROR, { id: orderId }, BACKGROUND);
  if (!read) throw new PermanentJobError(`Order ${orderId} no longer exists in ${dependentShop}`);
  const buyerFields = await orderBuyer(dependent, orderId);
  const order: DependentOrder = { ...read, ...(buyerFields ?? { email: null, customer: null }) };
  const reason = notMirroredBecause(order);
  if (reason) return { skipped: `not recorded: ${reason}` };

  const base = { primaryShop, dependentShop, jobId: job.id };
  await ensureCustomIdDefinition(primary, DEPENDENT_ORDER_ID, BACKGROUND);
  const { orderByIdentifier: earlier } = await primary.request<{ orderByIdentifier: { id: string; name: string; customer: { id: string } | null } | null }>(
    MIRRORED_ORDER_BY_CUSTOM_ID, { identifier: { customId: customId(DEPENDENT_ORDER_ID, order.id) } }, BACKGROUND,
  );
  if (earlier) {
    await recordMirroredOrder({ dependentShop, dependentOrderId: order.id, primaryShop, primaryOrderId: earlier.id, primaryOrderName: earlier.name, customerId: earlier.customer?.id ?? null });
    return { recovered: earlier.name };
  }

  // Without Shopify's approval for protected customer data (in either store) the copy has no buyer.
  const customer = buyerFields ? await customerOnPrimary(primary, buyerOf(order)) : null;
  const buyer = customer === "protected" ? null : buyerOf(order);
  const customerState = !buyerFields || customer === "protected" ? "protected" : !buyer ? "none" : customer?.existing ? "existing" : "new";
  const links = await variantLinksBySku(primaryShop, dependentShop, order.lineItems.nodes.flatMap((line) => normalizeSku(line.sku) ?? []));
  const primaryVariantOfSku = new Map([...links].map(([sku, link]) => [sku, link.primaryVariantId]));
  let created: { id: string; name: string };
  try {
    ({ order: created } = await primary.mutate<{ order: { id: string; name: string }; userErrors: UserError[] }>(ORDER_CREATE, {
      order: { ...mirroredOrderInput({ order, dependentShop, primaryVariantOfSku, customerId: customerIdOf(customer), email: buyer?.email ?? null }), metafields: [customIdMetafield(DEPENDENT_ORDER_ID, order.id)] },
      options: { inventoryBehaviour: "BYPASS", sendReceipt: false, sendFulfillmentReceipt: false },
    }, "orderCreate", { ...BACKGROUND, notRepeatable: true }));
  } catch (error) {
    // A development or trial primary creates 5 orders a minute: this one is recorded when Shopify
    // allows it (the job retries after Retry-After), and the log says why it waits, once per order.
    if (error instanceof ShopifyResourceLimitError && !ShopifyResourceLimitError.described(job.lastError)) {
      await writeSyncLog([{
        ...base, action: "order", skus: order.lineItems.nodes.map((line) => line.sku ?? "").filter(Boolean),
        message: text("entry.orderMirrorLimited", { order: order.name, shop: dependentShop, seconds: Math.ceil(error.retryAfterMs / 1000) }),
        fix: text("entry.orderMirrorLimited.fix"),
      }]);
    }
    throw error;
  }
  await recordMirroredOrder({ dependentShop, dependentOrderId: order.id, primaryShop, primaryOrderId: created.id, primaryOrderName: created.name, customerId: customerIdOf(customer) });

  const customLines = order.lineItems.nodes.filter((line) => !primaryVariantOfSku.has(normalizeSku(line.sku) ?? "")).length;
  await writeSyncLog([{
    ...base, action: "order", skus: order.lineItems.nodes.map((line) => line.sku ?? "").filter(Boolean),
    message: text("entry.orderMirrored", {
      // No e-mail: the sync log keeps no customer data (README, "Personal data").
      order: order.name, shop: dependentShop, created: created.name, customLines, customer: customerState,
    }),
    ...(order.lineItems.nodes.length === 100 ? { fix: text("entry.orderMirrored.fix") } : {}),
  }]);
  return { mirrored: created.name, customer: customerState };
}

const customerIdOf = (customer: Awaited<ReturnType<typeof customerOnPrimary>>) => (customer && customer !== "protected" ? customer.id : null);

/** The order's e-mail and customer names, or null when Shopify does not let Tandem read them (protected customer data). */
async function orderBuyer(dependent: AdminGateway, orderId: string): Promise<Pick<DependentOrder, "email" | "customer"> | null> {
  try {
    const { order } = await dependent.request<{ order: Pick<DependentOrder, "email" | "customer"> | null }>(ORDER_BUYER, { id: orderId }, BACKGROUND);
    return order ?? { email: null, customer: null };
  } catch (error) {
    if (error instanceof ShopifyAccessDeniedError) return null;
    throw error;
  }
}

/**
 * The primary's customer with this e-mail (names untouched), created from the order's names when
 * there is none; "protected" when the primary does not let Tandem read customers' e-mails.
 */
async function customerOnPrimary(primary: AdminGateway, buyer: Buyer | null): Promise<{ id: string; existing: boolean } | "protected" | null> {
  if (!buyer) return null;
  try {
    return await customerByEmailOnPrimary(primary, buyer);
  } catch (error) {
    if (error instanceof ShopifyAccessDeniedError) return "protected";
    throw error;
  }
}

async function customerByEmailOnPrimary(primary: AdminGateway, buyer: Buyer): Promise<{ id: string; existing: boolean }> {
  const find = async () => {
    const { customers } = await primary.request<{ customers: { nodes: { id: string; defaultEmailAddress: { emailAddress: string | null } | null }[] } }>(
      CUSTOMER_BY_EMAIL, { query: `email:"${buyer.email.replace(/"/g, "")}"` }, BACKGROUND,
    );
    return customers.nodes.find((c) => c.defaultEmailAddress?.emailAddress?.toLowerCase() === buyer.email.toLowerCase()) ?? null;
  };
  const existing = await find();
  if (existing) return { id: existing.id, existing: true };
  try {
    const { customer } = await primary.mutate<{ customer: { id: string }; userErrors: UserError[] }>(CUSTOMER_CREATE, {
      input: { email: buyer.email, firstName: buyer.firstName, lastName: buyer.lastName },
    }, "customerCreate", BACKGROUND);
    return { id: customer.id, existing: false };
  } catch (error) {
    // Created meanwhile (another order of the same buyer): use that one.
    const raced = error instanceof ShopifyUserErrors ? await find() : null;
    if (raced) return { id: raced.id, existing: true };
    throw error;
  }
}
