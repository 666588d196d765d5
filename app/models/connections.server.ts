import type { Connection } from "@prisma/client";
import prisma, { query, sql } from "../db.server";

/** A live (not disconnected) connection between a primary and a dependent. */
export async function liveConnection(primaryShop: string, dependentShop: string): Promise<Connection | null> {
  // Plain SQL: every job checks its pair with it (ADR 0017).
  const rows = await query<Connection>(sql`
    SELECT * FROM "Connection" WHERE "primaryShop" = ${primaryShop} AND "dependentShop" = ${dependentShop} AND "status" <> 'disconnected' LIMIT 1`);
  return rows[0] ?? null;
}

/** A dependent's live connection (it has at most one). */
export async function liveConnectionOf(dependentShop: string): Promise<Connection | null> {
  // Plain SQL: every order webhook of a dependent asks it (ADR 0017).
  const rows = await query<Connection>(sql`SELECT * FROM "Connection" WHERE "dependentShop" = ${dependentShop} AND "status" <> 'disconnected' LIMIT 1`);
  return rows[0] ?? null;
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
