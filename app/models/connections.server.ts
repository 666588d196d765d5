import prisma from "../db.server";

/** A live (not disconnected) connection between a primary and a dependent. */
export async function liveConnection(primaryShop: string, dependentShop: string) {
  return prisma.connection.findFirst({ where: { primaryShop, dependentShop, status: { not: "disconnected" } } });
}

/** A dependent's live connection (it has at most one). */
export async function liveConnectionOf(dependentShop: string) {
  return prisma.connection.findFirst({ where: { dependentShop, status: { not: "disconnected" } } });
}

/** Connected pairs (not paused, not needing attention) whose dependent finished its setup: what periodic reconciliation visits. */
export async function connectedPairs(): Promise<{ primaryShop: string; dependentShop: string }[]> {
  const connections = await prisma.connection.findMany({ where: { status: "connected" }, select: { primaryShop: true, dependentShop: true }, orderBy: { dependentShop: "asc" } });
  const ready = new Set((await prisma.store.findMany({
    where: { shop: { in: connections.map((c) => c.dependentShop) }, setupCompletedAt: { not: null } },
    select: { shop: true },
  })).map((s) => s.shop));
  return connections.filter((c) => ready.has(c.dependentShop));
}

export async function markOrdersReconciled(connectionId: string, until: Date) {
  await prisma.connection.update({ where: { id: connectionId }, data: { ordersReconciledAt: until } });
}
