import prisma, { query, sql } from "../db.server";

/** Whether this dependent order is already recorded on the primary. */
export async function isMirrored(dependentShop: string, dependentOrderId: string): Promise<boolean> {
  // Plain SQL: every order webhook of a dependent asks it (ADR 0017).
  const rows = await query<unknown>(sql`SELECT 1 FROM "MirroredOrder" WHERE "dependentShop" = ${dependentShop} AND "dependentOrderId" = ${dependentOrderId} LIMIT 1`);
  return rows.length > 0;
}

export async function recordMirroredOrder(row: { dependentShop: string; dependentOrderId: string; primaryShop: string; primaryOrderId: string; primaryOrderName: string; customerId: string | null }) {
  await prisma.mirroredOrder.upsert({ where: { dependentShop_dependentOrderId: { dependentShop: row.dependentShop, dependentOrderId: row.dependentOrderId } }, update: {}, create: row });
}

export type CustomerReference = { customerId: string | null; dependentOrderIds: string[] };

function ofCustomer(shop: string, { customerId, dependentOrderIds }: CustomerReference) {
  return {
    OR: [
      ...(customerId ? [{ primaryShop: shop, customerId }] : []),
      ...(dependentOrderIds.length > 0 ? [{ dependentShop: shop, dependentOrderId: { in: dependentOrderIds } }] : []),
    ],
  };
}

/**
 * The mirrored orders that concern a customer of this shop: those of the primary's customer, or
 * the dependent's orders Shopify names (customers/data_request, customers/redact).
 */
export async function mirroredOrdersOfCustomer(shop: string, reference: CustomerReference) {
  const where = ofCustomer(shop, reference);
  if (where.OR.length === 0) return [];
  return prisma.mirroredOrder.findMany({ where, select: { dependentShop: true, dependentOrderId: true, primaryShop: true, primaryOrderName: true, customerId: true, createdAt: true } });
}

/** customers/redact: the mirrored orders keep their ids (exactly-once needs them), not the customer. */
export async function forgetCustomerOfMirroredOrders(shop: string, reference: CustomerReference): Promise<number> {
  const where = ofCustomer(shop, reference);
  if (where.OR.length === 0) return 0;
  const { count } = await prisma.mirroredOrder.updateMany({ where: { ...where, customerId: { not: null } }, data: { customerId: null } });
  return count;
}

/** Mirrored orders older than the retention (a late retry of one still finds its copy by tag). */
export async function pruneMirroredOrders(before: Date): Promise<number> {
  const { count } = await prisma.mirroredOrder.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}
