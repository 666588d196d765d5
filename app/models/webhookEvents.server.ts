import prisma, { execute, query, sql } from "../db.server";

/** Whether this event's work was done already; Shopify may deliver the same event more than once. */
export async function webhookEventDone(eventId: string): Promise<boolean> {
  const rows = await query<{ found: number }>(sql`SELECT 1 AS "found" FROM "WebhookEvent" WHERE "eventId" = ${eventId}`);
  return rows.length > 0;
}

/**
 * Marks an event's work as done. Plain SQL, as the other lookups every webhook makes (ADR 0017):
 * a repeat is a no-op, not an error. True the first time.
 */
export async function recordWebhookEvent({ eventId, shop, topic, now = new Date() }: { eventId: string; shop: string; topic: string; now?: Date }): Promise<boolean> {
  const inserted = await execute(sql`INSERT INTO "WebhookEvent" ("eventId", "shop", "topic", "receivedAt") VALUES (${eventId}, ${shop}, ${topic}, ${now}) ON CONFLICT ("eventId") DO NOTHING`);
  return inserted === 1;
}

/** Shopify retries a delivery for at most 48 hours; older ids cannot come back. */
export async function pruneWebhookEvents(now = new Date()): Promise<number> {
  const { count } = await prisma.webhookEvent.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - 3 * 86_400_000) } } });
  return count;
}
