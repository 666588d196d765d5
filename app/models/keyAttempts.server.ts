import { randomUUID } from "node:crypto";
import { getConfig } from "../config.server";
import { databaseEngine } from "../db/engine";
import prisma, { execute, query, sql, transaction } from "../db.server";

/** The namespace of Tandem's advisory locks on a shop's key attempts (PostgreSQL; two-key form). */
const KEY_ATTEMPT_LOCK_NAMESPACE = 7_282_617;

/**
 * Takes one of a shop's key attempts, counted as failed until it succeeds, if the shop has made
 * fewer than `maxFailures` failed attempts since `since`; null when it must wait. The count and the
 * insert are one statement (SQLite runs it alone; PostgreSQL under a lock on the shop), so parallel
 * guesses cannot all pass the check before any is recorded.
 */
export async function claimKeyAttempt(shop: string, { now, since, maxFailures }: { now: Date; since: Date; maxFailures: number }): Promise<string | null> {
  const id = randomUUID();
  const insert = sql`
    INSERT INTO "KeyAttempt" ("id", "shop", "succeeded", "createdAt")
    SELECT ${id}, ${shop}, ${false}, ${now}
    WHERE (SELECT COUNT(*) FROM "KeyAttempt" WHERE "shop" = ${shop} AND "succeeded" = ${false} AND "createdAt" >= ${since}) < ${maxFailures}`;
  const lock = sql`SELECT pg_advisory_xact_lock(${KEY_ATTEMPT_LOCK_NAMESPACE}, hashtext(${shop}))`;
  await transaction(databaseEngine(getConfig().DATABASE_URL) === "postgres" ? [lock, insert] : [insert]);
  const rows = await query<{ id: string }>(sql`SELECT "id" FROM "KeyAttempt" WHERE "id" = ${id}`);
  return rows.length > 0 ? id : null;
}

export async function markKeyAttemptSucceeded(id: string): Promise<void> {
  await execute(sql`UPDATE "KeyAttempt" SET "succeeded" = ${true} WHERE "id" = ${id}`);
}

/** A shop's failed attempts since `since`, oldest first (when it may try again). */
export async function failedKeyAttemptTimes(shop: string, since: Date): Promise<Date[]> {
  const rows = await query<{ createdAt: Date }>(sql`
    SELECT "createdAt" FROM "KeyAttempt" WHERE "shop" = ${shop} AND "succeeded" = ${false} AND "createdAt" >= ${since} ORDER BY "createdAt" ASC`);
  return rows.map((row) => row.createdAt);
}

/** Attempts older than the retention: throttling looks back 15 minutes, the audit trail this long. */
export async function pruneKeyAttempts(before: Date): Promise<number> {
  const { count } = await prisma.keyAttempt.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}
