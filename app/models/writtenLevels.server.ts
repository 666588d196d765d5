import prisma from "../db.server";
import { chunks } from "../sync/chunks";

export type WrittenLevelInput = { inventoryItemId: string; locationId: string; quantity: number };

const keyOf = (inventoryItemId: string, locationId: string) => `${inventoryItemId}|${locationId}`;

/**
 * Remembers the quantities Tandem is about to set in a dependent. Recorded before the write, so the
 * inventory webhook the write causes finds it even when it arrives before the write returns.
 */
export async function recordWrittenLevels(dependentShop: string, levels: WrittenLevelInput[], now = new Date()) {
  await prisma.$transaction(levels.map((level) => prisma.writtenLevel.upsert({
    where: { dependentShop_inventoryItemId_locationId: { dependentShop, inventoryItemId: level.inventoryItemId, locationId: level.locationId } },
    create: { dependentShop, inventoryItemId: level.inventoryItemId, locationId: level.locationId, quantity: level.quantity, writtenAt: now, current: true },
    update: { quantity: level.quantity, writtenAt: now, current: true },
  })));
}

/** The last quantities Tandem set for these items, keyed "item|location". */
export async function writtenLevelsOf(dependentShop: string, inventoryItemIds: string[]): Promise<Map<string, number>> {
  const rows = await prisma.writtenLevel.findMany({ where: { dependentShop, inventoryItemId: { in: [...new Set(inventoryItemIds)] } } });
  return new Map(rows.map((row) => [keyOf(row.inventoryItemId, row.locationId), row.quantity]));
}

/**
 * The levels Tandem set for these items that no webhook has contradicted since, keyed "item|location":
 * what the dependent holds unless a change is still on its way (a compare-and-set write based on
 * them then fails, and the writer reads).
 */
export async function currentWrittenLevelsOf(dependentShop: string, inventoryItemIds: string[]): Promise<Map<string, number>> {
  if (inventoryItemIds.length === 0) return new Map();
  const rows = await prisma.writtenLevel.findMany({ where: { dependentShop, inventoryItemId: { in: [...new Set(inventoryItemIds)] }, current: true } });
  return new Map(rows.map((row) => [keyOf(row.inventoryItemId, row.locationId), row.quantity]));
}

/** The dependent reported a level Tandem did not write here: the written one stays (for echoes and the sale grace) but is no longer current. */
export async function markWrittenLevelChanged(dependentShop: string, inventoryItemId: string, locationId: string) {
  await prisma.writtenLevel.updateMany({ where: { dependentShop, inventoryItemId, locationId, current: true }, data: { current: false } });
}

export function writtenLevelKey(inventoryItemId: string, locationId: string): string {
  return keyOf(inventoryItemId, locationId);
}

/**
 * The level Tandem last set at this dependent location (a webhook reporting exactly it is Tandem's
 * own echo) and Shopify's time of its last write that changed it, when known.
 */
export async function writtenLevelOf(dependentShop: string, inventoryItemId: string, locationId: string): Promise<{ quantity: number; changedAt: Date | null } | null> {
  const row = await prisma.writtenLevel.findUnique({ where: { dependentShop_inventoryItemId_locationId: { dependentShop, inventoryItemId, locationId } }, select: { quantity: true, changedAt: true } });
  return row ?? null;
}

/**
 * Records Shopify's time of a write that set these levels (its adjustment group's `createdAt`),
 * for the levels still holding what it wrote. Times only move forward.
 */
export async function recordWriteTime(dependentShop: string, levels: WrittenLevelInput[], changedAt: Date) {
  for (const group of chunks(levels, 100)) {
    await prisma.writtenLevel.updateMany({
      where: { dependentShop, OR: group.map(({ inventoryItemId, locationId, quantity }) => ({ inventoryItemId, locationId, quantity })), AND: [{ OR: [{ changedAt: null }, { changedAt: { lt: changedAt } }] }] },
      data: { changedAt },
    });
  }
}

/** Forgets a dependent's written levels (it disconnected or uninstalled). */
export async function forgetWrittenLevels(dependentShop: string) {
  await prisma.writtenLevel.deleteMany({ where: { dependentShop } });
}
