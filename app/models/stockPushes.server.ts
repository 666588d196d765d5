import prisma from "../db.server";

export type StockPushMark = { dependentShop: string; primaryInventoryItemId: string };

/**
 * Marks primary items whose level these dependents must receive. A mark already waiting is bumped
 * (its generation), so a push running right now keeps it for the next one instead of deleting it.
 */
export async function markStockPushes(primaryShop: string, marks: StockPushMark[]) {
  if (marks.length === 0) return;
  const markedAt = new Date();
  await prisma.$transaction(marks.map((mark) => prisma.stockPush.upsert({
    where: { dependentShop_primaryInventoryItemId: mark },
    update: { generation: { increment: 1 }, markedAt },
    create: { ...mark, primaryShop, markedAt },
  })));
}

/** The oldest marks of a dependent, at most `limit`. */
export async function pendingStockPushes(dependentShop: string, limit: number) {
  return prisma.stockPush.findMany({ where: { dependentShop }, orderBy: { markedAt: "asc" }, take: limit });
}

/** Deletes the marks a push sent, except those bumped since it read them. */
export async function clearStockPushes(marks: { dependentShop: string; primaryInventoryItemId: string; generation: number }[]) {
  if (marks.length === 0) return;
  await prisma.stockPush.deleteMany({ where: { OR: marks.map(({ dependentShop, primaryInventoryItemId, generation }) => ({ dependentShop, primaryInventoryItemId, generation })) } });
}

/** A dependent that no longer receives stock (disconnected, quantities off) keeps no marks. */
export async function forgetStockPushes(dependentShop: string) {
  await prisma.stockPush.deleteMany({ where: { dependentShop } });
}
