import prisma from "../db.server";

/** Whether this dependent order is already recorded on the primary. */
export async function isMirrored(dependentShop: string, dependentOrderId: string): Promise<boolean> {
  return (await prisma.mirroredOrder.count({ where: { dependentShop, dependentOrderId } })) > 0;
}

export async function recordMirroredOrder(row: { dependentShop: string; dependentOrderId: string; primaryShop: string; primaryOrderId: string; primaryOrderName: string; customerId: string | null }) {
  await prisma.mirroredOrder.upsert({ where: { dependentShop_dependentOrderId: { dependentShop: row.dependentShop, dependentOrderId: row.dependentOrderId } }, update: {}, create: row });
}
