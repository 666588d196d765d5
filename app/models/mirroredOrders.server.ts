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
