import prisma, { execute, sql } from "../db.server";

/**
 * True the first time an event id is seen; Shopify may deliver the same event more than once.
 * Plain SQL, as the other lookups every webhook makes (ADR 0017): a repeat is a no-op, not an error.
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
