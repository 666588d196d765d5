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

/** Dependents that currently receive syncs from this primary: connected, their setup done. */
export async function activeDependentsOf(primaryShop: string): Promise<string[]> {
  // Plain SQL, one query: asked by every primary webhook and stock push (ADR 0017).
  const rows = await query<{ shop: string }>(sql`
    SELECT DISTINCT s."shop" AS "shop" FROM "Connection" c JOIN "Store" s ON s."shop" = c."dependentShop"
    WHERE c."primaryShop" = ${primaryShop} AND c."status" = 'connected' AND s."setupCompletedAt" IS NOT NULL`);
  return rows.map((row) => row.shop).sort();
}

/** The connections of either side that are not disconnected, oldest first. */
export async function liveConnectionsOfShop(shop: string): Promise<Connection[]> {
  return prisma.connection.findMany({
    where: { OR: [{ primaryShop: shop }, { dependentShop: shop }], status: { not: "disconnected" } },
    orderBy: { connectedAt: "asc" },
  });
}

/**
 * A live connection by id, only if `shop` is its primary (`side: "primary"`) or either of its
 * stores (`side: "either"`): a store never reaches another pair's connection by its id.
 */
export async function liveConnectionById(id: string, shop: string, side: "primary" | "either"): Promise<Connection | null> {
  const owner = side === "primary" ? { primaryShop: shop } : { OR: [{ primaryShop: shop }, { dependentShop: shop }] };
  return prisma.connection.findFirst({ where: { id, ...owner, status: { not: "disconnected" } } });
}

export async function setConnectionStatus(id: string, status: "connected" | "paused"): Promise<Connection> {
  return prisma.connection.update({ where: { id }, data: { status } });
}

export async function markDisconnected(id: string, at = new Date()): Promise<Connection> {
  return prisma.connection.update({ where: { id }, data: { status: "disconnected", disconnectedAt: at } });
}

/**
 * After a reinstall: the connections that needed attention because this store had uninstalled
 * Tandem, and whose other side is installed, are connected again.
 */
export async function restoreConnectionsAfterReinstall(shop: string): Promise<Connection[]> {
  const waiting = await prisma.connection.findMany({ where: { OR: [{ primaryShop: shop }, { dependentShop: shop }], status: "needs_attention" } });
  const restored: Connection[] = [];
  for (const connection of waiting) {
    const other = connection.primaryShop === shop ? connection.dependentShop : connection.primaryShop;
    const otherStore = await prisma.store.findUnique({ where: { shop: other }, select: { uninstalledAt: true } });
    if (!otherStore || otherStore.uninstalledAt) continue;
    restored.push(await prisma.connection.update({ where: { id: connection.id }, data: { status: "connected" } }));
  }
  return restored;
}

export type NewConnection =
  | { kind: "created"; connection: Connection }
  | { kind: "dependent-is-primary" }
  | { kind: "already-connected"; primaryShop: string }
  | { kind: "plan-limit" };

/**
 * Connects a dependent to a primary in one transaction, unless the dependent is a primary, is
 * already connected, or the primary has `dependentLimit` live dependents: the dependent's row and
 * role, the accepted invite (`inviteId`) and the connection are written together or not at all.
 */
export async function createConnection({ primaryShop, dependentShop, via, inviteId, dependentLimit, at = new Date() }: {
  primaryShop: string; dependentShop: string; via: "key" | "invite"; inviteId?: string; dependentLimit: number | null; at?: Date;
}): Promise<NewConnection> {
  return prisma.$transaction(async (db) => {
    const dependent = await db.store.upsert({ where: { shop: dependentShop }, update: {}, create: { shop: dependentShop } });
    if (dependent.role === "primary") return { kind: "dependent-is-primary" } as const;
    const live = await db.connection.findFirst({ where: { dependentShop, status: { not: "disconnected" } } });
    if (live) return { kind: "already-connected", primaryShop: live.primaryShop } as const;
    const dependents = await db.connection.count({ where: { primaryShop, status: { not: "disconnected" } } });
    if (dependentLimit !== null && dependents >= dependentLimit) return { kind: "plan-limit" } as const;
    if (dependent.role !== "dependent") await db.store.update({ where: { shop: dependentShop }, data: { role: "dependent" } });
    if (inviteId) await db.invite.update({ where: { id: inviteId }, data: { status: "accepted", respondedAt: at } });
    return { kind: "created", connection: await db.connection.create({ data: { primaryShop, dependentShop, status: "connected", via } }) } as const;
  });
}
