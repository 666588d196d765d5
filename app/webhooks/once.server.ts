import { recordWebhookEvent, webhookEventDone } from "../models/webhookEvents.server";

export type WebhookOutcome = "queued" | "duplicate" | "ignored";

/**
 * The work of one webhook event, done once. The event id is recorded only after its work is
 * queued: a delivery that fails part way (answered 500: a lock timeout, a crash, one dependent of a
 * fan-out queued and not the next) leaves nothing recorded, so Shopify's redelivery of the same
 * event does the whole work again. Work queued twice folds into one (dedupe keys, the ledger's line
 * keys), so two copies arriving together cost a little and lose nothing (ADR 0020).
 */
export async function onceForEvent<T extends string>(event: { eventId: string; shop: string; topic: string }, work: () => Promise<T>): Promise<T | "duplicate"> {
  if (await webhookEventDone(event.eventId)) return "duplicate";
  const outcome = await work();
  await recordWebhookEvent(event);
  return outcome;
}
