import type { StockMovement } from "@prisma/client";
import { randomUUID } from "node:crypto";
import prisma, { execute, join, query, sql, transaction } from "../db.server";
import { IDS_PER_QUERY, chunks } from "../sync/chunks";
import type { HeldSale } from "../sync/locations";
import type { StockMovementInput } from "../sync/stock";

/**
 * The stock ledger: one row per Shopify order line and event. The unique key makes a movement
 * apply once however often its webhook arrives; a row stays "pending" until its write is done.
 * Its reads and inserts are plain SQL: every order webhook, sale and push goes through them.
 */
export async function recordMovements(primaryShop: string, dependentShop: string, movements: StockMovementInput[]): Promise<StockMovement[]> {
  if (movements.length === 0) return [];
  // Plain SQL (ADR 0017): every order webhook records its lines. A key already recorded keeps its
  // row as it is; the rows are then read back, new and old alike, in the order given.
  const createdAt = new Date();
  for (const group of chunks(movements, MOVEMENTS_PER_STATEMENT)) {
    await execute(sql`
      INSERT INTO "StockMovement" ("id", "key", "primaryShop", "dependentShop", "kind", "sku", "lineItemId", "quantity", "dependentLocationId", "orderId", "status", "createdAt")
      VALUES ${join(group.map((m) => sql`(${randomUUID()}, ${m.key}, ${primaryShop}, ${dependentShop}, ${m.kind}, ${m.sku ?? ""}, ${m.lineItemId}, ${m.quantity}, ${m.locationId}, ${m.orderId}, 'pending', ${createdAt})`))}
      ON CONFLICT ("key") DO NOTHING`);
  }
  const byKey = new Map<string, StockMovement>();
  for (const keys of chunks(movements.map((m) => m.key), IDS_PER_QUERY)) {
    for (const row of await query<StockMovement>(sql`SELECT * FROM "StockMovement" WHERE "key" IN (${join(keys)})`)) byKey.set(row.key, row);
  }
  return movements.map((m) => byKey.get(m.key)!);
}

const MOVEMENTS_PER_STATEMENT = 50;

/**
 * Movements of this primary's dependents not yet planned into an adjustment, oldest first: at most
 * `perDependent` of each dependent, so one store's backlog (a dependent that cannot be read for a
 * while) never keeps another's sales from the primary.
 */
export async function openMovementsOf(primaryShop: string, perDependent: number): Promise<StockMovement[]> {
  const rows = await query<StockMovement & { rank: unknown }>(sql`
    SELECT * FROM (
      SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m."dependentShop" ORDER BY m."createdAt" ASC, m."id" ASC) AS "rank"
      FROM "StockMovement" m WHERE m."primaryShop" = ${primaryShop} AND m."status" = 'pending' AND m."adjustmentKey" IS NULL
    ) ranked WHERE "rank" <= ${perDependent} ORDER BY "createdAt" ASC, "id" ASC`);
  return rows.map(({ rank: _rank, ...row }) => row);
}

/** Units of an order line taken from the primary and not yet put back (what a restock may return). */
export async function outstandingQuantity(dependentShop: string, lineItemId: string): Promise<number> {
  const rows = await prisma.stockMovement.groupBy({ by: ["kind"], where: { dependentShop, lineItemId, status: "applied" }, _sum: { quantity: true } });
  const total = (kind: string) => rows.find((row) => row.kind === kind)?._sum.quantity ?? 0;
  return total("sale") + total("reservation") - total("restock");
}

/**
 * An unpaid order's reservations whose order is now paid become its sales (same keys): the units
 * stay taken. Returns the rows that changed and had already been applied to the primary (those
 * whose units the primary holds): each turns once, whichever webhook or check comes first.
 */
export async function turnReservationsIntoSales(keys: string[]): Promise<StockMovement[]> {
  const turned: StockMovement[] = [];
  for (const group of chunks(keys, IDS_PER_QUERY)) {
    turned.push(...(await query<StockMovement>(sql`
      UPDATE "StockMovement" SET "kind" = 'sale' WHERE "key" IN (${join(group)}) AND "kind" = 'reservation' RETURNING *`)));
  }
  return turned.filter((row) => row.status === "applied");
}

/** Restocks of these order lines that arrived before their sale was counted. */
export async function waitingRestocks(dependentShop: string, lineItemIds: string[]): Promise<StockMovement[]> {
  if (lineItemIds.length === 0) return [];
  const rows: StockMovement[] = [];
  for (const ids of chunks(lineItemIds, IDS_PER_QUERY)) {
    rows.push(...(await query<StockMovement>(sql`
      SELECT * FROM "StockMovement" WHERE "dependentShop" = ${dependentShop} AND "kind" = 'restock' AND "status" = 'waiting' AND "lineItemId" IN (${join(ids)})`)));
  }
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Where sales recorded without a location took their stock in the dependent (read from Shopify's routing). */
export async function recordSaleLocations(located: { id: string; dependentLocationId: string }[]) {
  if (located.length === 0) return;
  await transaction(located.map(({ id, dependentLocationId }) => sql`
    UPDATE "StockMovement" SET "dependentLocationId" = ${dependentLocationId} WHERE "id" = ${id} AND "dependentLocationId" IS NULL`));
}

export async function settleMovement(id: string, data: { status: "applied" | "skipped" | "waiting"; quantity?: number; primaryInventoryItemId?: string | null; primaryLocationId?: string | null; message?: string | null }) {
  await prisma.stockMovement.update({ where: { id }, data: { ...data, appliedAt: data.status === "waiting" ? null : new Date() } });
}

/** Which of these ledger keys are already recorded. */
export async function knownMovementKeys(keys: string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (const group of chunks(keys, IDS_PER_QUERY)) {
    for (const row of await query<{ key: string }>(sql`SELECT "key" FROM "StockMovement" WHERE "key" IN (${join(group)})`)) known.add(row.key);
  }
  return known;
}

/**
 * A held sale, with its ledger row: a read that must agree with the primary's stock compares rows
 * (primaryStockWithHeldSales). `inFlight`: its adjustment of the primary is being sent (or was,
 * before a crash), so what Tandem knows of the primary may already include it.
 */
export type HeldSaleRow = HeldSale & { movementId: string; sku: string; inFlight: boolean };

/** A dependent's sales and reservations recorded but not yet taken from the primary, by SKU (held back from its level). */
export async function heldSalesOf(dependentShop: string): Promise<Map<string, HeldSaleRow[]>> {
  const rows = await query<{ id: string; sku: string; dependentLocationId: string | null; quantity: number; adjustmentKey: string | null }>(sql`
    SELECT "id", "sku", "dependentLocationId", "quantity", "adjustmentKey" FROM "StockMovement" WHERE "dependentShop" = ${dependentShop} AND "kind" IN ('sale', 'reservation') AND "status" = 'pending'`);
  const bySku = new Map<string, HeldSaleRow[]>();
  for (const row of rows) {
    const sale = { movementId: row.id, sku: row.sku, locationId: row.dependentLocationId, quantity: row.quantity, inFlight: row.adjustmentKey !== null };
    bySku.set(row.sku, [...(bySku.get(row.sku) ?? []), sale]);
  }
  return bySku;
}

/** Units each dependent of this primary sold of these SKUs since `since` (strict mode's shares follow them), by SKU then store. */
export async function recentSalesOf(primaryShop: string, skus: string[], since: Date): Promise<Map<string, Record<string, number>>> {
  const rows = await prisma.stockMovement.groupBy({
    by: ["sku", "dependentShop"], where: { primaryShop, sku: { in: skus }, kind: { in: ["sale", "reservation"] }, createdAt: { gte: since } }, _sum: { quantity: true },
  });
  const bySku = new Map<string, Record<string, number>>();
  for (const row of rows) bySku.set(row.sku, { ...bySku.get(row.sku), [row.dependentShop]: row._sum.quantity ?? 0 });
  return bySku;
}

export type PlacedMovement = { id: string; quantity: number; primaryInventoryItemId: string; primaryLocationId: string };

/**
 * Records which movements go into one adjustment of the primary, under its idempotency key, before
 * it is sent (a restock that was waiting for its sale is pending again from here).
 */
export async function recordAdjustment(adjustmentKey: string, movements: PlacedMovement[]) {
  await transaction(movements.map(({ id, quantity, primaryInventoryItemId, primaryLocationId }) => sql`
    UPDATE "StockMovement" SET "quantity" = ${quantity}, "primaryInventoryItemId" = ${primaryInventoryItemId}, "primaryLocationId" = ${primaryLocationId}, "adjustmentKey" = ${adjustmentKey}, "status" = 'pending'
    WHERE "id" = ${id}`));
}

/** The movements of one adjustment, in a fixed order (the same request every time it is sent). */
export async function movementsOfAdjustment(adjustmentKey: string): Promise<StockMovement[]> {
  return query<StockMovement>(sql`SELECT * FROM "StockMovement" WHERE "adjustmentKey" = ${adjustmentKey} AND "status" = 'pending' ORDER BY "id" ASC`);
}

/**
 * Adjustments of this primary sent but not known to be applied (the process stopped in between).
 * Strict mode's (recorded as escrow moves) are sent again with those (rebalance-stock.server.ts).
 */
export async function unsettledAdjustmentKeys(primaryShop: string): Promise<string[]> {
  const rows = await query<{ adjustmentKey: string }>(sql`
    SELECT DISTINCT "adjustmentKey" FROM "StockMovement" WHERE "primaryShop" = ${primaryShop} AND "status" = 'pending' AND "adjustmentKey" IS NOT NULL
      AND "adjustmentKey" NOT IN (SELECT "key" FROM "EscrowMove")
    ORDER BY "adjustmentKey" ASC`);
  return rows.map((row) => row.adjustmentKey);
}

export async function settleAdjustment(adjustmentKey: string) {
  await execute(sql`UPDATE "StockMovement" SET "status" = 'applied', "appliedAt" = ${new Date()} WHERE "adjustmentKey" = ${adjustmentKey} AND "status" = 'pending'`);
}

/** Shopify refused the adjustment (nothing applied): its movements are planned afresh next time. */
export async function releaseAdjustment(adjustmentKey: string) {
  await execute(sql`UPDATE "StockMovement" SET "adjustmentKey" = NULL WHERE "adjustmentKey" = ${adjustmentKey} AND "status" = 'pending'`);
}

/**
 * Settled movements older than the retention: applied or skipped ones by when they settled, and
 * restocks still waiting for a sale that never came. Pending ones (not yet on the primary) stay,
 * whatever their age: dropping one would lose a sale.
 */
export async function pruneSettledMovements(before: Date): Promise<number> {
  const { count } = await prisma.stockMovement.deleteMany({
    where: { OR: [{ status: { in: ["applied", "skipped"] }, appliedAt: { lt: before } }, { status: "waiting", createdAt: { lt: before } }] },
  });
  return count;
}
