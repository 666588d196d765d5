import { normalizeSku } from "./sku";
import { PAID_STATUSES } from "./stock";

/** A dependent's order as read for mirroring (documents.ts ORDER_FOR_MIRROR). */
export type DependentOrder = {
  id: string;
  name: string;
  email: string | null;
  currencyCode: string;
  displayFinancialStatus: string | null;
  cancelledAt: string | null;
  test: boolean;
  customer: { defaultEmailAddress: { emailAddress: string | null } | null; firstName: string | null; lastName: string | null } | null;
  lineItems: { nodes: { sku: string | null; title: string; quantity: number; originalUnitPriceSet: { shopMoney: { amount: string; currencyCode: string } } }[] };
};

export type Buyer = { email: string; firstName: string | null; lastName: string | null };

/** Why an order is not recorded on the primary, or null when it is (seed 002: paid orders only). */
export function notMirroredBecause(order: DependentOrder): string | null {
  if (order.cancelledAt) return "it was cancelled";
  if (!PAID_STATUSES.has(order.displayFinancialStatus ?? "")) return "it is not paid";
  return null;
}

/**
 * The customer a mirrored order is recorded for (seed 002): matched on the primary by e-mail; a new
 * one takes the order's names, or the e-mail as its name when the order has none.
 */
export function buyerOf(order: DependentOrder): Buyer | null {
  const email = (order.customer?.defaultEmailAddress?.emailAddress ?? order.email)?.trim();
  if (!email) return null;
  const firstName = order.customer?.firstName?.trim() || null;
  const lastName = order.customer?.lastName?.trim() || null;
  return firstName || lastName ? { email, firstName, lastName } : { email, firstName: email, lastName: null };
}

/** The tag that marks the primary's copy of a dependent order, so a retried job finds it instead of creating another. */
export function mirrorTag(dependentOrderId: string): string {
  // Order IDs are unique across Shopify; the tag keeps only the number (tags are plain words).
  return `tandem-order-${dependentOrderId.slice(dependentOrderId.lastIndexOf("/") + 1)}`;
}

/**
 * orderCreate input for the primary: paid and fulfilled (the dependent fulfils it and the stock
 * already moved through the ledger, so inventory is bypassed), lines on the linked primary
 * variants at the price sold, custom lines for SKUs Tandem does not link.
 */
export function mirroredOrderInput({ order, dependentShop, primaryVariantOfSku, customerId, email }: {
  order: DependentOrder;
  dependentShop: string;
  primaryVariantOfSku: Map<string, string>;
  customerId: string | null;
  email: string | null;
}) {
  const lineItems = order.lineItems.nodes.map((line) => {
    const priceSet = { shopMoney: { amount: line.originalUnitPriceSet.shopMoney.amount, currencyCode: order.currencyCode } };
    const sku = normalizeSku(line.sku);
    const variantId = sku ? primaryVariantOfSku.get(sku) : undefined;
    return variantId ? { variantId, quantity: line.quantity, priceSet } : { title: line.title, sku: line.sku, quantity: line.quantity, priceSet };
  });
  return {
    currency: order.currencyCode,
    email,
    ...(customerId ? { customer: { toAssociate: { id: customerId } } } : {}),
    financialStatus: "PAID",
    fulfillmentStatus: "FULFILLED",
    lineItems,
    tags: ["tandem", mirrorTag(order.id)],
    sourceName: "tandem",
    sourceIdentifier: order.id,
    note: `Sold in ${dependentShop} as order ${order.name}; fulfilled there.`,
  };
}
