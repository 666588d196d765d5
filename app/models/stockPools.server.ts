import type { EscrowMove, StockRebalance } from "@prisma/client";
import prisma, { execute, join, sql, transaction } from "../db.server";
import { chunks } from "../sync/chunks";
import { decided, NO_BOOKS, settled, type Books, type Move } from "../sync/allocation";

/**
 * Strict stock mode's books (ADR 0033), one pool per item and primary location, and the writes
 * they count that Shopify has not confirmed. Only the primary's lane writes them (apply-stock and
 * rebalance-stock), one job at a time, so a read and its update need no lock beyond the transaction.
 */

export type PoolKey = { primaryShop: string; primaryInventoryItemId: string; primaryLocationId: string };
/** Where a write goes: the store's item and location, and the compare-and-set base it was decided with. */
export type MoveTarget = { inventoryItemId: string; locationId: string; base: number | null };
export type DecidedMove = PoolKey & MoveTarget & { key: string; move: Move };

const poolId = ({ primaryShop, primaryInventoryItemId, primaryLocationId }: PoolKey) => ({ primaryShop_primaryInventoryItemId_primaryLocationId: { primaryShop, primaryInventoryItemId, primaryLocationId } });

function booksOf(row: { escrow: number; allocated: string } | null): Books {
  return row ? { escrow: row.escrow, allocated: JSON.parse(row.allocated) as Record<string, number> } : NO_BOOKS;
}

/** The books of these items' pools at every primary location, by `poolKeyString`. */
export async function poolsOf(primaryShop: string, primaryInventoryItemIds: string[]): Promise<Map<string, Books>> {
  const rows = await prisma.stockPool.findMany({ where: { primaryShop, primaryInventoryItemId: { in: primaryInventoryItemIds } } });
  return new Map(rows.map((row) => [poolKeyString(row), booksOf(row)]));
}

export const poolKeyString = (pool: { primaryInventoryItemId: string; primaryLocationId: string }) => `${pool.primaryInventoryItemId} ${pool.primaryLocationId}`;

/** Every pool of these items with its books (shared mode releases them). */
export async function poolRowsOf(primaryShop: string, primaryInventoryItemIds: string[]): Promise<(PoolKey & { books: Books })[]> {
  const rows = await prisma.stockPool.findMany({ where: { primaryShop, primaryInventoryItemId: { in: primaryInventoryItemIds } } });
  return rows.map((row) => ({ primaryShop, primaryInventoryItemId: row.primaryInventoryItemId, primaryLocationId: row.primaryLocationId, books: booksOf(row) }));
}

/** A pool's books end (shared mode again, its reserve released). */
export async function endPool(pool: PoolKey) {
  await prisma.stockPool.deleteMany({ where: pool });
}

/** Starts a pool's books (empty), once its dependents' levels were cleared. */
export async function beginPool(pool: PoolKey) {
  await prisma.stockPool.upsert({ where: poolId(pool), create: { ...pool }, update: {} });
}

/**
 * Decides a write: the books count it (`decided`) and the write is recorded with its key, in one
 * transaction, before it is sent. Returns the books after.
 */
export async function decideMove(write: DecidedMove, { movements = [] }: { movements?: { id: string; quantity: number }[] } = {}): Promise<Books> {
  return prisma.$transaction(async (db) => {
    // A dependent's sale or restock: its ledger rows are this write's, settled with it.
    for (const { id, quantity } of movements) {
      await db.stockMovement.update({
        where: { id },
        data: { quantity, adjustmentKey: write.key, primaryInventoryItemId: write.primaryInventoryItemId, primaryLocationId: write.primaryLocationId },
      });
    }
    const pool = { primaryShop: write.primaryShop, primaryInventoryItemId: write.primaryInventoryItemId, primaryLocationId: write.primaryLocationId };
    const books = decided(booksOf(await db.stockPool.findUnique({ where: poolId(pool) })), write.move);
    await db.stockPool.upsert({
      where: poolId(pool),
      create: { ...pool, escrow: books.escrow, allocated: JSON.stringify(books.allocated) },
      update: { escrow: books.escrow, allocated: JSON.stringify(books.allocated), updatedAt: new Date() },
    });
    await db.escrowMove.create({ data: { ...pool, key: write.key, move: JSON.stringify(write.move), inventoryItemId: write.inventoryItemId, locationId: write.locationId, base: write.base } });
    return books;
  });
}

/** Shopify's answer to a decided write: the books settle it (`settled`) and the record goes, together. */
export async function settleMove(key: string, applied: boolean): Promise<Books | null> {
  return prisma.$transaction(async (db) => {
    const row = await db.escrowMove.findUnique({ where: { key } });
    if (!row) return null;
    const books = settled(booksOf(await db.stockPool.findUnique({ where: poolId(row) })), JSON.parse(row.move) as Move, applied);
    await db.stockPool.update({ where: poolId(row), data: { escrow: books.escrow, allocated: JSON.stringify(books.allocated), updatedAt: new Date() } });
    await db.escrowMove.delete({ where: { key } });
    // Its ledger rows: applied, or planned afresh (Shopify applied none of it).
    await db.stockMovement.updateMany({ where: { adjustmentKey: key, status: "pending" }, data: applied ? { status: "applied", appliedAt: new Date() } : { adjustmentKey: null } });
    return books;
  });
}

/**
 * Ends, in these items' pools, the allocations of stores no longer connected to the primary (not
 * even paused): their units go back unallocated, to be given or released. Books only: the store
 * left the network (its links are gone with the connection), and what its shelf shows is its own
 * from then on. Its disconnection marks the items it held.
 */
export async function endAllocationsOfDisconnected(primaryShop: string, primaryInventoryItemIds: string[]): Promise<number> {
  const live = new Set((await prisma.connection.findMany({ where: { primaryShop, status: { not: "disconnected" } }, select: { dependentShop: true } })).map((c) => c.dependentShop));
  let ended = 0;
  for (const row of await prisma.stockPool.findMany({ where: { primaryShop, primaryInventoryItemId: { in: primaryInventoryItemIds } } })) {
    const allocated = JSON.parse(row.allocated) as Record<string, number>;
    const gone = Object.keys(allocated).filter((shop) => !live.has(shop));
    if (gone.length === 0) continue;
    for (const shop of gone) delete allocated[shop];
    await prisma.stockPool.update({ where: poolId(row), data: { allocated: JSON.stringify(allocated), updatedAt: new Date() } });
    ended += gone.length;
  }
  return ended;
}

/** Writes decided and not settled (a crash or a lost answer): sent again under their keys first. */
export async function unsettledMoves(primaryShop: string): Promise<DecidedMove[]> {
  const rows = await prisma.escrowMove.findMany({ where: { primaryShop }, orderBy: { createdAt: "asc" } });
  return rows.map((row: EscrowMove) => ({ ...row, move: JSON.parse(row.move) as Move }));
}

const MARKS_PER_STATEMENT = 100;

/**
 * Marks items whose pools a rebalance must look at; a mark already waiting is bumped, so a running
 * job keeps it. Plain SQL, one statement per 100 marks, as stock pushes' marks (ADR 0017): switching
 * a network to strict marks every linked item at once.
 */
export async function markRebalances(primaryShop: string, primaryInventoryItemIds: string[]) {
  const statements = chunks([...new Set(primaryInventoryItemIds)], MARKS_PER_STATEMENT).map((group) => sql`
    INSERT INTO "StockRebalance" ("primaryShop", "primaryInventoryItemId", "generation")
    VALUES ${join(group.map((id) => sql`(${primaryShop}, ${id}, 1)`))}
    ON CONFLICT ("primaryShop", "primaryInventoryItemId") DO UPDATE SET "generation" = "StockRebalance"."generation" + 1`);
  if (statements.length > 0) await (statements.length === 1 ? execute(statements[0]) : transaction(statements));
}

export async function dueRebalances(primaryShop: string, limit: number): Promise<StockRebalance[]> {
  return prisma.stockRebalance.findMany({ where: { primaryShop }, take: limit, orderBy: { primaryInventoryItemId: "asc" } });
}

/** Clears the marks a rebalance handled, except those bumped since it read them. */
export async function clearRebalances(marks: StockRebalance[]) {
  if (marks.length === 0) return;
  await transaction(chunks(marks, MARKS_PER_STATEMENT).map((group) => sql`
    DELETE FROM "StockRebalance" WHERE ${join(group.map(({ primaryShop, primaryInventoryItemId, generation }) => sql`("primaryShop" = ${primaryShop} AND "primaryInventoryItemId" = ${primaryInventoryItemId} AND "generation" = ${generation})`), " OR ")}`));
}
