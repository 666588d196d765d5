import prisma, { execute, join, query, sql, transaction } from "../db.server";
import { IDS_PER_QUERY, chunks } from "../sync/chunks";
import { compareAndSetBase } from "../sync/dependentLevels";

export type WrittenLevelInput = { inventoryItemId: string; locationId: string; quantity: number };

const keyOf = (inventoryItemId: string, locationId: string) => `${inventoryItemId}|${locationId}`;

/**
 * Remembers the quantities Tandem is about to set in a dependent. Recorded before the write, so the
 * inventory webhook the write causes finds it even when it arrives before the write returns.
 */
export async function recordWrittenLevels(dependentShop: string, levels: WrittenLevelInput[], now = new Date()) {
  // One statement per 100 levels instead of an upsert each (a Sync all records every level it
  // writes: ADR 0018). The last of repeated levels wins, as it would one upsert after another;
  // PostgreSQL refuses a statement that updates one row twice.
  const latest = [...new Map(levels.map((level) => [keyOf(level.inventoryItemId, level.locationId), level])).values()];
  await transaction(chunks(latest, LEVELS_PER_STATEMENT).map((group) => sql`
    INSERT INTO "WrittenLevel" ("dependentShop", "inventoryItemId", "locationId", "quantity", "writtenAt", "current")
    VALUES ${join(group.map((level) => sql`(${dependentShop}, ${level.inventoryItemId}, ${level.locationId}, ${level.quantity}, ${now}, ${true})`))}
    ON CONFLICT ("dependentShop", "inventoryItemId", "locationId") DO UPDATE SET
      "quantity" = excluded."quantity", "writtenAt" = excluded."writtenAt", "current" = excluded."current", "observedQuantity" = NULL, "observedAt" = NULL`));
}

const LEVELS_PER_STATEMENT = 100;

/** The last quantities Tandem set for these items, keyed "item|location". */
export async function writtenLevelsOf(dependentShop: string, inventoryItemIds: string[]): Promise<Map<string, number>> {
  const rows = await levelsOfItems(dependentShop, inventoryItemIds);
  return new Map(rows.map((row) => [keyOf(row.inventoryItemId, row.locationId), row.quantity]));
}

/** Plain SQL: every inventory write and stock push reads its items' rows (ADR 0017). */
async function levelsOfItems(dependentShop: string, inventoryItemIds: string[]) {
  const rows: { inventoryItemId: string; locationId: string; quantity: number; current: boolean; observedQuantity: number | null }[] = [];
  for (const ids of chunks([...new Set(inventoryItemIds)], IDS_PER_QUERY)) {
    rows.push(...(await query<(typeof rows)[number]>(sql`
      SELECT "inventoryItemId", "locationId", "quantity", "current", "observedQuantity" FROM "WrittenLevel" WHERE "dependentShop" = ${dependentShop} AND "inventoryItemId" IN (${join(ids)})`)));
  }
  return rows;
}


/**
 * What Tandem knows these items hold in the dependent, keyed "item|location": the level it set, if
 * no webhook has contradicted it since, else the level the latest webhook reported. It is what the
 * dependent holds unless a change is still on its way (the write's answer then shows what it
 * replaced: ADR 0035). null: Tandem wrote there, so the item is stocked there, but a report it
 * cannot order against its write leaves the level unknown (ADR 0038). Locations Tandem never wrote are left out.
 */
export async function knownDependentLevelsOf(dependentShop: string, inventoryItemIds: string[]): Promise<Map<string, number | null>> {
  const known = new Map<string, number | null>();
  for (const row of await levelsOfItems(dependentShop, inventoryItemIds)) known.set(keyOf(row.inventoryItemId, row.locationId), compareAndSetBase(row));
  return known;
}

/**
 * The dependent reported a level Tandem did not write here (a sale, an edit). The written one stays
 * (for echoes, the sale grace and the log) but is no longer current. When the report is of a later
 * second than everything known here, its level is the next push's base; otherwise (the same second
 * as a write or another report: they cannot be ordered) the push reads it.
 */
export async function recordDependentLevel(dependentShop: string, inventoryItemId: string, locationId: string, quantity: number, changedAt: Date | null) {
  // Plain SQL: asked by every dependent webhook that is not an echo, a sale's among them (ADR 0017).
  if (changedAt !== null) {
    const count = await execute(sql`
      UPDATE "WrittenLevel" SET "current" = ${false}, "observedQuantity" = ${quantity}, "observedAt" = ${changedAt}
      WHERE "dependentShop" = ${dependentShop} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${locationId}
        AND "changedAt" < ${changedAt} AND ("observedAt" IS NULL OR "observedAt" < ${changedAt})`);
    if (count > 0) return;
  }
  await execute(sql`
    UPDATE "WrittenLevel" SET "current" = ${false}, "observedQuantity" = NULL
    WHERE "dependentShop" = ${dependentShop} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${locationId}`);
}

export function writtenLevelKey(inventoryItemId: string, locationId: string): string {
  return keyOf(inventoryItemId, locationId);
}

/**
 * The level Tandem last set at this dependent location, whether no webhook has contradicted it
 * since (`current`: until then, one reporting exactly it is Tandem's own echo), Shopify's time of
 * its last write that changed it, and of the latest level reported since (recordDependentLevel),
 * when known.
 */
export async function writtenLevelOf(dependentShop: string, inventoryItemId: string, locationId: string): Promise<{ quantity: number; current: boolean; changedAt: Date | null; observedAt: Date | null } | null> {
  // Plain SQL: asked by every inventory webhook, most of them echoes of Tandem's writes (ADR 0017).
  const rows = await query<{ quantity: number; current: boolean; changedAt: Date | null; observedAt: Date | null }>(sql`
    SELECT "quantity", "current", "changedAt", "observedAt" FROM "WrittenLevel"
    WHERE "dependentShop" = ${dependentShop} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${locationId}`);
  return rows[0] ?? null;
}

/**
 * Records Shopify's time of a write that set these levels (its adjustment group's `createdAt`),
 * for the levels still holding what it wrote. Times only move forward.
 */
export async function recordWriteTime(dependentShop: string, levels: WrittenLevelInput[], changedAt: Date) {
  for (const group of chunks(levels, LEVELS_PER_STATEMENT)) {
    // The shop is in every alternative: with it outside, SQLite looked each statement's levels up
    // among all the dependent's (with ten alternatives or more), and a 100k Sync all spent most
    // of its worker's CPU here (commit ca761c2).
    await execute(sql`
      UPDATE "WrittenLevel" SET "changedAt" = ${changedAt}
      WHERE ("changedAt" IS NULL OR "changedAt" < ${changedAt})
        AND (${join(group.map(({ inventoryItemId, locationId, quantity }) => sql`("dependentShop" = ${dependentShop} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${locationId} AND "quantity" = ${quantity})`), " OR ")})`);
  }
}

/** Forgets a dependent's written levels (it disconnected or uninstalled). */
export async function forgetWrittenLevels(dependentShop: string) {
  await prisma.writtenLevel.deleteMany({ where: { dependentShop } });
}
