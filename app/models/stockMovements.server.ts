import type { StockMovement } from "@prisma/client";
import prisma from "../db.server";
import type { HeldSale } from "../sync/locations";
import type { StockMovementInput } from "../sync/stock";

/**
 * The stock ledger: one row per Shopify order line and event. The unique key makes a movement
 * apply once however often its webhook arrives; a row stays "pending" until its write is done.
 */
export async function recordMovements(primaryShop: string, dependentShop: string, movements: StockMovementInput[]): Promise<StockMovement[]> {
  const rows: StockMovement[] = [];
  for (const movement of movements) {
    rows.push(await prisma.stockMovement.upsert({
      where: { key: movement.key },
      update: {},
      create: {
        key: movement.key, primaryShop, dependentShop, kind: movement.kind, sku: movement.sku ?? "", lineItemId: movement.lineItemId, quantity: movement.quantity,
        dependentLocationId: movement.locationId,
      },
    }));
  }
  return rows;
}

/** Movements of this primary's dependents not yet planned into an adjustment, oldest first. */
export async function openMovementsOf(primaryShop: string, limit: number): Promise<StockMovement[]> {
  return prisma.stockMovement.findMany({ where: { primaryShop, status: "pending", adjustmentKey: null }, orderBy: { createdAt: "asc" }, take: limit });
}

/** Units of an order line taken from the primary and not yet put back (what a restock may return). */
export async function outstandingQuantity(dependentShop: string, lineItemId: string): Promise<number> {
  const rows = await prisma.stockMovement.groupBy({ by: ["kind"], where: { dependentShop, lineItemId, status: "applied" }, _sum: { quantity: true } });
  const total = (kind: string) => rows.find((row) => row.kind === kind)?._sum.quantity ?? 0;
  return total("sale") - total("restock");
}

/** Restocks of these order lines that arrived before their sale was counted. */
export async function waitingRestocks(dependentShop: string, lineItemIds: string[]): Promise<StockMovement[]> {
  if (lineItemIds.length === 0) return [];
  return prisma.stockMovement.findMany({ where: { dependentShop, kind: "restock", status: "waiting", lineItemId: { in: lineItemIds } }, orderBy: { createdAt: "asc" } });
}

export async function settleMovement(id: string, data: { status: "applied" | "skipped" | "waiting"; quantity?: number; primaryInventoryItemId?: string | null; primaryLocationId?: string | null; message?: string | null }) {
  await prisma.stockMovement.update({ where: { id }, data: { ...data, appliedAt: data.status === "waiting" ? null : new Date() } });
}

/** Which of these ledger keys are already recorded. */
export async function knownMovementKeys(keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await prisma.stockMovement.findMany({ where: { key: { in: keys } }, select: { key: true } });
  return new Set(rows.map((row) => row.key));
}

/** A dependent's sales recorded but not yet taken from the primary, by SKU (held back from its level). */
export async function heldSalesOf(dependentShop: string): Promise<Map<string, HeldSale[]>> {
  const rows = await prisma.stockMovement.findMany({
    where: { dependentShop, kind: "sale", status: "pending" },
    select: { sku: true, dependentLocationId: true, quantity: true },
  });
  const bySku = new Map<string, HeldSale[]>();
  for (const row of rows) bySku.set(row.sku, [...(bySku.get(row.sku) ?? []), { locationId: row.dependentLocationId, quantity: row.quantity }]);
  return bySku;
}

export type PlacedMovement = { id: string; quantity: number; primaryInventoryItemId: string; primaryLocationId: string };

/**
 * Records which movements go into one adjustment of the primary, under its idempotency key, before
 * it is sent (a restock that was waiting for its sale is pending again from here).
 */
export async function recordAdjustment(adjustmentKey: string, movements: PlacedMovement[]) {
  await prisma.$transaction(movements.map(({ id, ...placed }) => prisma.stockMovement.update({ where: { id }, data: { ...placed, adjustmentKey, status: "pending" } })));
}

/** The movements of one adjustment, in a fixed order (the same request every time it is sent). */
export async function movementsOfAdjustment(adjustmentKey: string): Promise<StockMovement[]> {
  return prisma.stockMovement.findMany({ where: { adjustmentKey, status: "pending" }, orderBy: { id: "asc" } });
}

/** Adjustments of this primary sent but not known to be applied (the process stopped in between). */
export async function unsettledAdjustmentKeys(primaryShop: string): Promise<string[]> {
  const rows = await prisma.stockMovement.findMany({
    where: { primaryShop, status: "pending", adjustmentKey: { not: null } }, distinct: ["adjustmentKey"], select: { adjustmentKey: true }, orderBy: { adjustmentKey: "asc" },
  });
  return rows.map((row) => row.adjustmentKey!);
}

export async function settleAdjustment(adjustmentKey: string) {
  await prisma.stockMovement.updateMany({ where: { adjustmentKey, status: "pending" }, data: { status: "applied", appliedAt: new Date() } });
}

/** Shopify refused the adjustment (nothing applied): its movements are planned afresh next time. */
export async function releaseAdjustment(adjustmentKey: string) {
  await prisma.stockMovement.updateMany({ where: { adjustmentKey, status: "pending" }, data: { adjustmentKey: null } });
}
