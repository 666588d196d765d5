import { isUniqueViolation } from "../db/engine";
import prisma from "../db.server";

/** True the first time an event id is seen; Shopify may deliver the same event more than once. */
export async function recordWebhookEvent({ eventId, shop, topic, now = new Date() }: { eventId: string; shop: string; topic: string; now?: Date }): Promise<boolean> {
  try {
    await prisma.webhookEvent.create({ data: { eventId, shop, topic, receivedAt: now } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Shopify retries a delivery for at most 48 hours; older ids cannot come back. */
export async function pruneWebhookEvents(now = new Date()): Promise<number> {
  const { count } = await prisma.webhookEvent.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - 3 * 86_400_000) } } });
  return count;
}
