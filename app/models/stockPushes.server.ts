import type { StockPush } from "@prisma/client";
import prisma, { execute, join, query, sql, transaction } from "../db.server";
import { chunks } from "../sync/chunks";

export type StockPushMark = { dependentShop: string; primaryInventoryItemId: string };

/**
 * Marks primary items whose level these dependents must receive, due now or after `delayMs`. A
 * mark already waiting is bumped (its generation), so a push running right now keeps it for the
 * next one instead of deleting it. A mark due now makes a waiting one due now; a delayed mark never
 * postpones one already waiting.
 */
export async function markStockPushes(primaryShop: string, marks: StockPushMark[], { delayMs = 0 } = {}) {
  if (marks.length === 0) return;
  const markedAt = new Date();
  const dueAt = new Date(markedAt.getTime() + delayMs);
  // Plain SQL, one statement per 100 marks (ADR 0017): every stock webhook and sale marks items. A
  // mark given twice is bumped once (PostgreSQL refuses a statement that updates a row twice).
  const distinct = [...new Map(marks.map((mark) => [`${mark.dependentShop}|${mark.primaryInventoryItemId}`, mark])).values()];
  const bumpDue = delayMs <= 0 ? sql`, "dueAt" = excluded."dueAt"` : sql``;
  const statements = chunks(distinct, MARKS_PER_STATEMENT).map((group) => sql`
    INSERT INTO "StockPush" ("dependentShop", "primaryInventoryItemId", "primaryShop", "generation", "markedAt", "dueAt")
    VALUES ${join(group.map((mark) => sql`(${mark.dependentShop}, ${mark.primaryInventoryItemId}, ${primaryShop}, 1, ${markedAt}, ${dueAt})`))}
    ON CONFLICT ("dependentShop", "primaryInventoryItemId") DO UPDATE SET "generation" = "StockPush"."generation" + 1, "markedAt" = excluded."markedAt"${bumpDue}`);
  await (statements.length === 1 ? execute(statements[0]) : transaction(statements));
}

const MARKS_PER_STATEMENT = 100;

/** The marks of a dependent due by now, oldest first, at most `limit`. */
export async function dueStockPushes(dependentShop: string, limit: number, now = new Date()) {
  // Plain SQL, as the marks (ADR 0017): every push reads them.
  return query<StockPush>(sql`SELECT * FROM "StockPush" WHERE "dependentShop" = ${dependentShop} AND "dueAt" <= ${now} ORDER BY "dueAt" ASC LIMIT ${limit}`);
}

/** Deletes the marks a push sent, except those bumped since it read them. */
export async function clearStockPushes(marks: { dependentShop: string; primaryInventoryItemId: string; generation: number }[]) {
  if (marks.length === 0) return;
  await transaction(chunks(marks, MARKS_PER_STATEMENT).map((group) => sql`
    DELETE FROM "StockPush" WHERE ${join(group.map(({ dependentShop, primaryInventoryItemId, generation }) => sql`("dependentShop" = ${dependentShop} AND "primaryInventoryItemId" = ${primaryInventoryItemId} AND "generation" = ${generation})`), " OR ")}`));
}

/** A dependent that no longer receives stock (disconnected, quantities off) keeps no marks. */
export async function forgetStockPushes(dependentShop: string) {
  await prisma.stockPush.deleteMany({ where: { dependentShop } });
}

/** Records that a push for this dependent starts now (pushes are paced: stockPushIntervalMs). */
export async function recordStockPushStarted(dependentShop: string, at = new Date()) {
  await prisma.stockPushPace.upsert({ where: { dependentShop }, update: { lastStartedAt: at }, create: { dependentShop, lastStartedAt: at } });
}

/** When each of these dependents' last push started (those that had one). */
export async function lastStockPushStarts(dependentShops: string[]): Promise<Map<string, Date>> {
  const rows = await prisma.stockPushPace.findMany({ where: { dependentShop: { in: dependentShops } } });
  return new Map(rows.map((row) => [row.dependentShop, row.lastStartedAt]));
}
