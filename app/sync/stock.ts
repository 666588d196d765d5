import { normalizeSku } from "./sku";
/**
 * Stock movements read from a dependent's order webhooks (seed 002): pure parsing and the choice
 * of the primary location a movement applies to. No I/O.
 */
import { z } from "zod";

/**
 * sale: units an order took, taken from the primary. reservation: the same for an unpaid order in a
 * store that counts only paid orders (the primary holds the units, which the dependent's own stock
 * no longer offers); it becomes a sale when paid and its cancellation's restock returns it.
 * restock: units a refund put back.
 */
export type MovementKind = "sale" | "reservation" | "restock";

/** Whether a movement takes units from the primary (what a restock of its line may give back). */
export const takesUnits = (kind: string): boolean => kind === "sale" || kind === "reservation";

/**
 * One order line's effect on stock. key is unique per Shopify line and event, so it applies once.
 * locationId: where the dependent's stock moved, null while unknown (an online order's sale names no
 * location: its orderId lets the stock job read where Shopify routed the line).
 */
export type StockMovementInput = { key: string; kind: MovementKind; sku: string | null; lineItemId: string; quantity: number; locationId: string | null; orderId: string | null };

const lineItem = z.object({ admin_graphql_api_id: z.string(), sku: z.string().nullable().optional(), quantity: z.number().int() });
const order = z.object({
  admin_graphql_api_id: z.string(),
  financial_status: z.string().nullable().optional(),
  location_id: z.number().nullable().optional(),
  cancelled_at: z.string().nullable().optional(),
  test: z.boolean().optional(),
  line_items: z.array(lineItem),
});
const refund = z.object({
  admin_graphql_api_id: z.string(),
  refund_line_items: z.array(z.object({
    quantity: z.number().int(),
    restock_type: z.string().nullable().optional(),
    location_id: z.number().nullable().optional(),
    line_item: lineItem,
  })),
});

const locationGid = (id: number | null | undefined) => (id === null || id === undefined ? null : `gid://shopify/Location/${id}`);

/** A webhook body's movements, or what made it unreadable (the first fields that were not as Shopify documents them). */
export type ReadMovements = { movements: StockMovementInput[]; problem?: undefined } | { movements?: undefined; problem: string };

function problemOf(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}

/**
 * An order takes each line's quantity, as a sale or a reservation; keyed by line item (the same key
 * for both) so orders/create and orders/paid count it once.
 */
export function salesFromOrder(payload: unknown, kind: "sale" | "reservation" = "sale"): ReadMovements {
  const parsed = order.safeParse(payload);
  if (!parsed.success) return { problem: problemOf(parsed.error) };
  return { movements: parsed.data.line_items.filter((line) => line.quantity > 0).map((line) => ({
    key: `sale:${line.admin_graphql_api_id}`, kind, sku: normalizeSku(line.sku), lineItemId: line.admin_graphql_api_id,
    quantity: line.quantity, locationId: locationGid(parsed.data.location_id), orderId: parsed.data.admin_graphql_api_id,
  })) };
}

/** Refund lines that put stock back (returns and cancellations); keyed by refund and line. */
export function restocksFromRefund(payload: unknown): ReadMovements {
  const parsed = refund.safeParse(payload);
  if (!parsed.success) return { problem: problemOf(parsed.error) };
  return { movements: parsed.data.refund_line_items
    .filter((line) => line.quantity > 0 && line.restock_type && line.restock_type !== "no_restock")
    .map((line) => ({
      key: `restock:${parsed.data.admin_graphql_api_id}:${line.line_item.admin_graphql_api_id}`, kind: "restock", sku: normalizeSku(line.line_item.sku),
      lineItemId: line.line_item.admin_graphql_api_id, quantity: line.quantity, locationId: locationGid(line.location_id), orderId: null,
    })) };
}

/**
 * What an order's lines take from the primary now. Every order took its units from the dependent's
 * own stock when it was placed, so every order holds them on the primary too, or the primary could
 * sell them meanwhile (issue 34's −2): a sale once paid, or at once when the dependent counts unpaid
 * orders; until then a reservation, which orders/create records. An orders/paid whose body is not
 * of a paid order is an orders/create body sent again under that topic (the signature does not
 * cover the topic header): null, nothing. One without a status is Shopify's word that it is paid.
 */
export function orderTakes(topic: "orders/create" | "orders/paid", countUnpaidOrders: boolean, financialStatus?: string | null): "sale" | "reservation" | null {
  const paid = financialStatus === undefined || financialStatus === null ? topic === "orders/paid" : PAID_STATUSES.has(financialStatus.toUpperCase());
  if (topic === "orders/paid" && !paid) return null;
  return paid || countUnpaidOrders ? "sale" : "reservation";
}

/**
 * The primary location a dependent's movement applies to: the primary locations whose stock flows
 * to the dependent location of the sale (mapped there, or unmapped with it as the default); with
 * several, the one holding most of the item; with none, the primary's own default location.
 */
export function primaryLocationFor({ saleLocationId, mapping, dependentDefaultLocationId, primaryLocationIds, primaryDefaultLocationId, available }: {
  saleLocationId: string | null;
  mapping: Record<string, string>;
  /** Null when the dependent can no longer be read (uninstalled): only its mapping tells. */
  dependentDefaultLocationId: string | null;
  primaryLocationIds: string[];
  primaryDefaultLocationId: string;
  available: Record<string, number>;
}): string {
  const target = saleLocationId ?? dependentDefaultLocationId;
  if (target === null) return primaryDefaultLocationId;
  const sources = primaryLocationIds.filter((id) => (mapping[id] ?? dependentDefaultLocationId) === target);
  if (sources.length === 0) return primaryDefaultLocationId;
  return sources.reduce((best, id) => ((available[id] ?? 0) > (available[best] ?? 0) ? id : best));
}

/** An order as ORDERS_SINCE reads it (reconciliation's source when webhooks were lost). */
export type OrderRecord = {
  id: string;
  displayFinancialStatus: string | null;
  retailLocation: { id: string } | null;
  lineItems: { nodes: { id: string; sku: string | null; quantity: number }[] };
  refunds: { id: string; refundLineItems: { nodes: { quantity: number; restockType: string; location: { id: string } | null; lineItem: { id: string; sku: string | null } }[] } }[];
};

/** Where Shopify routed some of an order's lines (a fulfillment order and its assigned location). */
export type FulfillmentOrderRecord = { assignedLocation: { location: { id: string } | null }; lineItems: { nodes: { lineItem: { id: string } }[] } };

/** The location each line of an order takes its stock from, by line item id (online orders name none on the order). */
export function assignedLocations(fulfillmentOrders: FulfillmentOrderRecord[]): Map<string, string> {
  const byLine = new Map<string, string>();
  for (const fulfillmentOrder of fulfillmentOrders) {
    const locationId = fulfillmentOrder.assignedLocation.location?.id;
    if (!locationId) continue;
    for (const { lineItem } of fulfillmentOrder.lineItems.nodes) if (!byLine.has(lineItem.id)) byLine.set(lineItem.id, locationId);
  }
  return byLine;
}

/** Fully paid at some point: the statuses an order reaches only after its payment (seed 002). */
export const PAID_STATUSES = new Set(["PAID", "PARTIALLY_REFUNDED", "REFUNDED"]);

/**
 * The movements an order stands for, keyed exactly as its webhooks would be (so the ledger takes
 * whichever arrives first, once): its lines (sales, or reservations while unpaid in a store that
 * counts only paid orders), and its restocking refund lines.
 */
export function movementsFromOrder(order: OrderRecord, countUnpaidOrders: boolean): StockMovementInput[] {
  const kind = countUnpaidOrders || PAID_STATUSES.has(order.displayFinancialStatus ?? "") ? "sale" : "reservation";
  const sales: StockMovementInput[] = order.lineItems.nodes.filter((line) => line.quantity > 0).map((line) => ({
    key: `sale:${line.id}`, kind, sku: normalizeSku(line.sku), lineItemId: line.id, quantity: line.quantity,
    locationId: order.retailLocation?.id ?? null, orderId: order.id,
  }));
  const restocks: StockMovementInput[] = order.refunds.flatMap((refund) => refund.refundLineItems.nodes
    .filter((line) => line.quantity > 0 && line.restockType !== "NO_RESTOCK")
    .map((line) => ({
      key: `restock:${refund.id}:${line.lineItem.id}`, kind: "restock" as const, sku: normalizeSku(line.lineItem.sku), lineItemId: line.lineItem.id,
      quantity: line.quantity, locationId: line.location?.id ?? null, orderId: null,
    })));
  return [...sales, ...restocks];
}
