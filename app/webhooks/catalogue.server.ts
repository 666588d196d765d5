import { roleOf } from "../models/stores.server";
import { enqueueCollectionSync, enqueueProductSync } from "../services/sync.server";
import { productDebounceMs, saleGraceMs } from "../jobs/kinds.server";
import { logger } from "../logger.server";
import { activeDependentsOf } from "../models/connections.server";
import { linkByDependentInventoryItem } from "../models/links.server";
import { queueStockPushes } from "../jobs/push-stock.server";
import { recordDependentLevel, writtenLevelOf } from "../models/writtenLevels.server";
import { syncPreferencesOf } from "../models/syncPreferences.server";
import { onceForEvent, type WebhookOutcome } from "./once.server";
import { forgetPrimaryItems, recordPrimaryLevels } from "../models/primaryLevels.server";
import { type ObservationOutcome, wholeSecond } from "../sync/primaryLevels";
import { dependentLevelReport } from "../sync/dependentLevels";

async function isPrimary(shop: string): Promise<boolean> {
  return (await roleOf(shop)) === "primary";
}

/**
 * products/create|update|delete. Only a primary's products drive syncs: a dependent's own product
 * webhooks (including those Tandem's writes cause there) are ignored, so syncs cannot loop.
 */
export async function handleProductWebhook({ shop, topic, eventId, productId }: { shop: string; topic: string; eventId: string; productId: string }): Promise<WebhookOutcome> {
  // Ignored before anything is written: a Sync all creating 10,000 products in a dependent brings
  // as many webhooks from it, which must not queue behind the worker's own writes.
  if (!(await isPrimary(shop))) return "ignored";
  return onceForEvent({ eventId, shop, topic }, async () => {
    const jobs = await enqueueProductSync(shop, productId);
    logger.info({ shop, topic, productId, jobs: jobs.length }, "product change queued for dependents");
    return "queued";
  });
}

/**
 * collections/create|update. A primary's collection changes are copied to its dependents without
 * waiting for a Sync all; a dependent's are its own (seed 001: one way) and start nothing.
 */
export async function handleCollectionWebhook({ shop, topic, eventId }: { shop: string; topic: string; eventId: string }): Promise<WebhookOutcome> {
  if (!(await isPrimary(shop))) return "ignored";
  return onceForEvent({ eventId, shop, topic }, async () => {
    const jobs = await enqueueCollectionSync(shop);
    logger.info({ shop, topic, jobs: jobs.length }, "collection change queued for dependents");
    return "queued";
  });
}

/**
 * inventory_levels/update. On a primary: push the item's new level to each dependent that links it.
 * On a dependent (seed 002: the primary is the system of record for stock): a level Tandem did not
 * set there (a manual edit) brings the primary's level back through a stock push to that
 * dependent; the echo of Tandem's own write is ignored, so writes cannot loop.
 */
export async function handleInventoryWebhook({ shop, eventId, inventoryItemId, locationId, available, updatedAt }: {
  shop: string;
  eventId: string;
  inventoryItemId: string;
  locationId: string | null;
  available: number | null;
  /** The payload's updated_at: Shopify's time of the change, in whole seconds. */
  updatedAt: string | null;
}): Promise<WebhookOutcome> {
  // Most of these webhooks are a dependent's echoes of Tandem's own writes (one per level it
  // writes, thousands in a rush or a Sync all): one lookup recognises them before anything else.
  // Tandem writes levels only to dependents, so a primary's webhook never matches.
  const written = locationId === null ? null : await writtenLevelOf(shop, inventoryItemId, locationId);
  const changedAt = updatedAt === null ? null : wholeSecond(updatedAt);
  const report = dependentLevelReport(written && { ...written, changedAt: written.changedAt?.getTime() ?? null, observedAt: written.observedAt?.getTime() ?? null }, { available, changedAt });
  if (report === "echo") return "ignored";
  const event = { eventId, shop, topic: "inventory_levels/update" };
  if (await isPrimary(shop)) {
    return onceForEvent(event, async () => {
      // Recorded before any push is marked, so the push sends this level or a later one (ADR 0014).
      // The echo of Tandem's own adjustment, or a level older than one known, changes nothing: the
      // adjustment queued its pushes already.
      const outcome = await recordPrimaryWebhookLevel(shop, inventoryItemId, locationId, available, updatedAt);
      if (outcome === "echo" || outcome === "older") return "ignored";
      // Stock goes out at once as a stock-only push (a burst folds into the one waiting per dependent),
      // unless a sync of the item's product waits for that dependent: it carries the level too.
      const dependents = await queueStockPushes(shop, [inventoryItemId], { unlessProductSyncWaits: true });
      return dependents.length > 0 ? "queued" : "ignored";
    });
  }
  if (report === "stale") return "ignored";
  const link = await linkByDependentInventoryItem(shop, inventoryItemId);
  if (!link || locationId === null || available === null) return "ignored";
  // The dependent holds something else than Tandem wrote (even while paused): the next push's
  // compare-and-set base is this level, or a read when it cannot be ordered.
  if (written !== null) await recordDependentLevel(shop, inventoryItemId, locationId, available, changedAt === null ? null : new Date(changedAt));
  if (!(await activeDependentsOf(link.primaryShop)).includes(shop) || !(await syncPreferencesOf(shop)).syncQuantity) return "ignored";
  // Recorded only now: the echoes of Tandem's own writes (nearly all of a dependent's) write nothing.
  return onceForEvent(event, async () => {
    // A drop is most likely a sale whose order webhook is still on its way: it waits longer, so
    // the sale is counted rather than overwritten (docs/stock.md).
    const delayMs = report === "drop" ? saleGraceMs() : productDebounceMs();
    await queueStockPushes(link.primaryShop, [link.primaryInventoryItemId], { onlyTo: shop, delayMs });
    logger.info({ shop, inventoryItemId, locationId, available }, "stock changed on a dependent: the primary's level is restored");
    return "queued";
  });
}

/** A primary's level as its webhook tells it; without a level or a time, the item is read by its next push instead. */
async function recordPrimaryWebhookLevel(shop: string, inventoryItemId: string, locationId: string | null, available: number | null, updatedAt: string | null): Promise<ObservationOutcome | null> {
  const changedAt = updatedAt === null ? null : wholeSecond(updatedAt);
  if (locationId === null || available === null || changedAt === null) {
    await forgetPrimaryItems(shop, [inventoryItemId]);
    return null;
  }
  const [outcome] = await recordPrimaryLevels(shop, [{ inventoryItemId, locationId, observation: { source: "webhook", available, changedAt } }]);
  return outcome;
}
