import { english, text, type Text } from "../i18n";
import crypto from "node:crypto";
import { z } from "zod";
import { variantLinksBySku } from "../models/links.server";
import { locationMappingOf } from "../models/locationMappings.server";
import {
  movementsOfAdjustment, outstandingQuantity, recordAdjustment, recordMovements, releaseAdjustment, settleAdjustment, settleMovement,
  unsettledAdjustmentKeys, waitingRestocks,
} from "../models/stockMovements.server";
import { type SyncLogEntry, writeSyncLog } from "../models/syncLog.server";
import { ShopifyUserErrors } from "../shopify/errors";
import type { AdminGateway } from "../shopify/gateway.server";
import { gatewayFor } from "../shopify/gateways.server";
import { primaryLocationFor } from "../sync/stock";
import { enqueueProductSync, jobQueue } from "./enqueue.server";
import { type JobContext, PermanentJobError } from "./runner.server";
import { readInventoryItems } from "./store-reader.server";
import { activeDependentsOf, defaultLocationOf, readShopInfo } from "./sync-context.server";

const movementSchema = z.object({
  key: z.string(), kind: z.enum(["sale", "restock"]), sku: z.string().nullable(), lineItemId: z.string(), quantity: z.number().int().positive(),
  locationId: z.string().nullable(),
});
export const applyStockPayload = z.object({ primaryShop: z.string(), dependentShop: z.string(), reference: z.string(), movements: z.array(movementSchema) });

const MAX_INPUT = 250;

/**
 * Records a dependent's sales and restocks in the ledger at once (so syncs to that dependent hold
 * its not-yet-applied sales back) and queues the job that applies them to the primary.
 */
export async function queueStockMovements({ primaryShop, dependentShop, reference, movements }: z.infer<typeof applyStockPayload>) {
  await recordMovements(primaryShop, dependentShop, movements);
  await jobQueue().enqueue({
    kind: "apply-stock", lane: primaryShop, primaryShop,
    payload: { primaryShop, dependentShop, reference, movements },
  });
}

/**
 * Job "apply-stock" (lane: the primary): sales and restocks made on a dependent move the primary's
 * stock with inventoryAdjustQuantities, each ledger row once; then every dependent gets the
 * primary's new level through a product sync. A movement Tandem cannot place (SKU not linked, a
 * restock of units never taken) is skipped and logged, never guessed.
 */
export async function applyStockJob({ job }: JobContext) {
  // The payload's reference (the order) stays in the job record for diagnosis; the ledger rows carry the rest.
  const { primaryShop, dependentShop, movements } = applyStockPayload.parse(job.payload);
  const rows = await recordMovements(primaryShop, dependentShop, movements);
  const primary = await gatewayFor(primaryShop);
  const log: SyncLogEntry[] = [];
  const base = { primaryShop, dependentShop, jobId: job.id };
  // Adjustments sent before a crash go again under their key first (Shopify applies each once).
  const resentProducts = await sendUnsettledAdjustments(primary, primaryShop, job.id, log);
  const fresh = rows.filter((row) => row.status === "pending" && row.adjustmentKey === null);
  if (fresh.length === 0) {
    await writeSyncLog(log);
    await fanOut(primaryShop, resentProducts);
    return { applied: 0, duplicates: rows.length };
  }
  // Restocks that arrived before their sale (webhooks out of order) go back once the sale counts.
  const saleLines = fresh.filter((row) => row.kind === "sale").map((row) => row.lineItemId);
  const pending = [...fresh, ...(await waitingRestocks(dependentShop, saleLines))];
  type Row = (typeof pending)[number];

  const skip = async (row: Row, message: Text, fix: Text) => {
    await settleMovement(row.id, { status: "skipped", message: english.text(message) });
    log.push({ ...base, action: "error", skus: row.sku ? [row.sku] : [], fields: ["quantity"], message, fix });
  };

  const links = await variantLinksBySku(primaryShop, dependentShop, pending.map((row) => row.sku).filter(Boolean));
  const dependent = await gatewayFor(dependentShop);
  const [primaryInfo, dependentInfo, mapping] = await Promise.all([readShopInfo(primary), readShopInfo(dependent), locationMappingOf(dependentShop)]);
  const items = await readInventoryItems(primary, [...links.values()].map((link) => link.primaryInventoryItemId));
  const primaryDefault = defaultLocationOf(primaryInfo);
  const dependentDefault = defaultLocationOf(dependentInfo);
  if (!primaryDefault || !dependentDefault) throw new PermanentJobError(`${primaryDefault ? dependentShop : primaryShop} has no active location`);

  const changes: { row: Row; inventoryItemId: string; locationId: string }[] = [];
  // Units of each line this job takes (sales) or returns (restocks), so a restock can follow its sale.
  const takenNow = new Map<string, number>();
  const salesFirst = [...pending].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "sale" ? -1 : 1));
  for (const row of salesFirst) {
    const link = row.sku ? links.get(row.sku) : undefined;
    if (!link) {
      await skip(row, text("entry.unlinkedSale", { kind: row.kind, quantity: row.quantity, sku: row.sku ?? "" }), text("entry.unlinkedSale.fix"));
      continue;
    }
    const item = items.get(link.primaryInventoryItemId);
    if (item && !item.tracked) {
      // Seed 003: stock syncs only for items whose stock the primary tracks.
      await settleMovement(row.id, { status: "skipped", message: `${row.sku} is not tracked in the primary store` });
      continue;
    }
    let quantity = row.quantity;
    if (row.kind === "restock") {
      // Only units Tandem took from the primary go back; a restock seen before its sale waits for it.
      quantity = Math.min(quantity, (await outstandingQuantity(dependentShop, row.lineItemId)) + (takenNow.get(row.lineItemId) ?? 0));
      if (quantity <= 0) {
        if (row.status !== "waiting") await settleMovement(row.id, { status: "waiting", quantity: row.quantity, message: "Waits for this line's sale to be taken from the primary (a restock of an order that was never counted changes nothing)" });
        continue;
      }
    }
    const locationId = primaryLocationFor({
      saleLocationId: row.dependentLocationId, mapping, dependentDefaultLocationId: dependentDefault.id,
      primaryLocationIds: primaryInfo.locations.filter((l) => l.isActive).map((l) => l.id), primaryDefaultLocationId: primaryDefault.id,
      available: item?.available ?? {},
    });
    if (!(locationId in (item?.available ?? {}))) {
      await skip(row, text("entry.notStockedOnPrimary", { sku: row.sku ?? "" }), text("entry.notStockedOnPrimary.fix"));
      continue;
    }
    takenNow.set(row.lineItemId, (takenNow.get(row.lineItemId) ?? 0) + (row.kind === "sale" ? quantity : -quantity));
    changes.push({ row: { ...row, quantity }, inventoryItemId: link.primaryInventoryItemId, locationId });
  }

  const appliedProducts = new Set(resentProducts);
  for (let i = 0; i < changes.length; i += MAX_INPUT) {
    const batch = changes.slice(i, i + MAX_INPUT);
    const adjustmentKey = crypto.randomUUID();
    await recordAdjustment(adjustmentKey, batch.map((c) => ({ id: c.row.id, quantity: c.row.quantity, primaryInventoryItemId: c.inventoryItemId, primaryLocationId: c.locationId })));
    for (const productId of await sendRecordedAdjustment(primary, adjustmentKey, job.id, log)) appliedProducts.add(productId);
  }
  await writeSyncLog(log);
  await fanOut(primaryShop, [...appliedProducts]);
  return { applied: changes.length, skipped: pending.length - changes.length, duplicates: rows.length - fresh.length };
}

/** The primary's new level goes to every dependent (the selling one included: it converges too). */
async function fanOut(primaryShop: string, productIds: Iterable<string>) {
  const dependents = await activeDependentsOf(primaryShop);
  for (const productId of new Set(productIds)) await enqueueProductSync(primaryShop, productId, dependents, { delayMs: 0 });
}

async function sendUnsettledAdjustments(primary: AdminGateway, primaryShop: string, jobId: string, log: SyncLogEntry[]): Promise<string[]> {
  const products: string[] = [];
  for (const key of await unsettledAdjustmentKeys(primaryShop)) products.push(...(await sendRecordedAdjustment(primary, key, jobId, log)));
  return products;
}

/**
 * Sends one recorded adjustment (built from the ledger alone, so a resend after a crash is the very
 * same request under the same idempotency key), then marks its movements applied. Returns the
 * primary products whose stock moved.
 */
async function sendRecordedAdjustment(primary: AdminGateway, adjustmentKey: string, jobId: string, log: SyncLogEntry[]): Promise<string[]> {
  const rows = await movementsOfAdjustment(adjustmentKey);
  if (rows.length === 0) return [];
  const { primaryShop, dependentShop } = rows[0];
  const deltaOf = (row: (typeof rows)[number]) => (row.kind === "sale" ? -row.quantity : row.quantity);
  try {
    await primary.adjustInventoryQuantities({
      name: "available",
      reason: rows.every((row) => deltaOf(row) > 0) ? "restock" : "correction",
      referenceDocumentUri: `tandem://stock/${encodeURIComponent(dependentShop)}/${adjustmentKey}`,
      // Deltas commute: concurrent sales elsewhere must not make this one fail, so no expected quantity.
      changes: rows.map((row) => ({ inventoryItemId: row.primaryInventoryItemId!, locationId: row.primaryLocationId!, delta: deltaOf(row), changeFromQuantity: null })),
    }, adjustmentKey);
  } catch (error) {
    // userErrors mean Shopify applied none of it: these movements are planned afresh on the next try.
    if (error instanceof ShopifyUserErrors) await releaseAdjustment(adjustmentKey);
    throw error;
  }
  await settleAdjustment(adjustmentKey);
  const links = await variantLinksBySku(primaryShop, dependentShop, rows.map((row) => row.sku).filter(Boolean));
  for (const row of rows) {
    log.push({
      primaryShop, dependentShop, jobId, action: "stock", primaryProductId: links.get(row.sku)?.primaryProductId ?? null, skus: [row.sku], fields: ["quantity"],
      message: text("entry.stockMoved", { kind: row.kind, quantity: row.quantity, sku: row.sku, shop: dependentShop, returned: deltaOf(row) < 0 ? 0 : 1 }),
    });
  }
  return rows.map((row) => links.get(row.sku)?.primaryProductId).filter((id): id is string => Boolean(id));
}
