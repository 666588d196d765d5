import { z } from "zod";
import prisma from "../db.server";
import {
  clearBulkRun, countStagedProducts, duplicateStagedSkus, stageBulkRows, stagedLines, stagedProductIds, stagedProductsBySku,
} from "../models/bulkRows.server";
import { linkedDependentVariantIds, productLinkOf } from "../models/links.server";
import { heldSalesOf } from "../models/stockMovements.server";
import { writeSyncLog } from "../models/syncLog.server";
import { CATALOGUE_BULK_QUERY } from "../shopify/documents";
import { type AdminGateway, streamJsonl } from "../shopify/gateway.server";
import { type CatalogueProduct, normalizeSku, productFromBulkLines } from "../sync/catalogue";
import { chooseDependentProduct } from "../sync/matching";
import { planProductSync } from "../sync/plan";
import { InventoryWriter, applyProductPlan } from "./apply-plan.server";
import { syncCollections } from "./collections.server";
import { type JobContext, JobCancelledError, PermanentJobError } from "./runner.server";
import { readProduct, variantsWithSkus } from "./store-reader.server";
import { loadPairContext, syncBlocker } from "./sync-context.server";
import { retireDependentProduct, selected } from "./sync-product.server";

export const syncAllPayload = z.object({ primaryShop: z.string() });

const checkpointSchema = z.object({
  primaryStaged: z.boolean().default(false),
  dependentStaged: z.boolean().default(false),
  lastProductId: z.string().nullable().default(null),
  counts: z.record(z.number()).default({}),
});
type Checkpoint = z.infer<typeof checkpointSchema>;

const PRODUCTS_PER_BATCH = 50;
const ROWS_PER_INSERT = 500;

/**
 * Exports a store's catalogue with a bulk query and stages its lines by product id (variant lines
 * carry their SKU). Inventory-level lines point at their variant, so variant → product is kept
 * while streaming; nothing else of the catalogue stays in memory.
 */
async function stageCatalogue(gateway: AdminGateway, runId: string) {
  await clearBulkRun(runId);
  const url = await gateway.runBulkQuery(CATALOGUE_BULK_QUERY);
  if (!url) return;
  const productOfVariant = new Map<string, string>();
  let rows: { productId: string; sku: string | null; line: string }[] = [];
  for await (const line of streamJsonl(url)) {
    const id = typeof line.id === "string" ? line.id : null;
    const parent = typeof line.__parentId === "string" ? line.__parentId : null;
    let productId: string;
    let sku: string | null = null;
    if (!parent) productId = id!;
    else if (parent.includes("/Product/")) {
      productId = parent;
      if (id?.includes("/ProductVariant/")) {
        productOfVariant.set(id, parent);
        sku = normalizeSku(line.sku);
      }
    } else {
      const owner = productOfVariant.get(parent);
      if (!owner) continue;
      productId = owner;
    }
    rows.push({ productId, sku, line: JSON.stringify(line) });
    if (rows.length >= ROWS_PER_INSERT) {
      await stageBulkRows(runId, rows);
      rows = [];
    }
  }
  await stageBulkRows(runId, rows);
}

/**
 * Job "sync-all": the whole primary catalogue into one dependent. Both catalogues are exported
 * once (bulk) and staged; products are then planned and applied 50 at a time. The checkpoint
 * advances only after a batch's writes, stock included, are done, so a job resumed after a crash
 * redoes at most one batch, and links written right after each product write keep that redo from
 * creating anything twice.
 */
export async function syncAllJob({ job, progress, logger }: JobContext) {
  const { primaryShop } = syncAllPayload.parse(job.payload);
  const context = await loadPairContext(primaryShop, job.lane);
  const checkpoint: Checkpoint = checkpointSchema.parse(job.checkpoint ?? {});
  const resumed = checkpoint.lastProductId !== null || checkpoint.primaryStaged;
  const primaryRun = `${job.id}:primary`;
  const dependentRun = `${job.id}:dependent`;
  let keepStaged = false;
  const count = (key: string, by = 1) => (checkpoint.counts[key] = (checkpoint.counts[key] ?? 0) + by);

  try {
    if (!checkpoint.primaryStaged) {
      await stageCatalogue(context.primary, primaryRun);
      checkpoint.primaryStaged = true;
      await progress({ checkpoint });
    }
    if (!checkpoint.dependentStaged) {
      await stageCatalogue(context.dependent, dependentRun);
      checkpoint.dependentStaged = true;
      await progress({ checkpoint });
    }
    const total = await countStagedProducts(primaryRun);
    const duplicateSkus = { primary: await duplicateStagedSkus(primaryRun), dependent: await duplicateStagedSkus(dependentRun) };
    const inventory = new InventoryWriter(context.dependent, writeSyncLog, { primaryShop, dependentShop: context.dependentShop, jobId: job.id }, { locationNames: context.dependentLocationNames });
    let done = checkpoint.counts.done ?? 0;
    await progress({ progressDone: done, progressTotal: total, checkpoint });
    let firstBatch = true;

    for (;;) {
      const ids = await stagedProductIds(primaryRun, checkpoint.lastProductId, PRODUCTS_PER_BATCH);
      if (ids.length === 0) break;
      // Paused, disconnected or uninstalled since the job started: stop before writing more.
      const blocker = await syncBlocker(primaryShop, context.dependentShop);
      if (blocker) throw new PermanentJobError(blocker);
      const primaryLines = await stagedLines(primaryRun, ids);
      const heldSales = await heldSalesOf(context.dependentShop);
      for (const id of ids) {
        const primary = productFromBulkLines(primaryLines.get(id)!);
        if (!selected(primary, context.selection)) {
          count("notSelected");
          continue;
        }
        const located = await locateStaged(primary);
        // After a crash, a product created just before it may not have its link yet: ask the store.
        const verifyLive = resumed && firstBatch && !located.dependent && !located.link;
        const dependentLocated = verifyLive ? await locateLive(primary, located) : located;
        const plan = planProductSync({
          primary, dependent: dependentLocated.dependent, settings: context.settings,
          link: dependentLocated.link,
          linkedDependentVariantIds: await linkedDependentVariantIds(context.dependentShop, primary.id),
          duplicateSkus, skusElsewhere: dependentLocated.skusElsewhere, heldSales,
        });
        const outcome = await applyProductPlan({
          context, plan, primary, dependent: dependentLocated.dependent, linked: dependentLocated.link !== null,
          createdByTandem: dependentLocated.link?.createdByTandem ?? plan.action === "create", jobId: job.id, inventory, logger,
        });
        count(outcome.action === "skip" ? (plan.skipReason === "not-in-dependent" ? "notInDependent" : "skipped") : outcome.action === "over-plan-limit" ? "overPlanLimit" : outcome.action);
        if (plan.notes.length > 0) count("warnings");
      }
      await inventory.flush();
      done += ids.length;
      checkpoint.lastProductId = ids[ids.length - 1];
      checkpoint.counts.done = done;
      await progress({ progressDone: done, progressTotal: total, checkpoint });
      firstBatch = false;
    }

    // Products the primary no longer has (deleted while a webhook was lost): retire them here too.
    const linked = await prisma.productLink.findMany({ where: { primaryShop, dependentShop: context.dependentShop }, select: { primaryProductId: true } });
    const stillThere = new Set((await prisma.bulkRow.findMany({ where: { runId: primaryRun, productId: { in: linked.map((l) => l.primaryProductId) } }, distinct: ["productId"], select: { productId: true } })).map((r) => r.productId));
    for (const { primaryProductId } of linked) {
      if (stillThere.has(primaryProductId)) continue;
      const action = await retireDependentProduct(context, primaryProductId, job.id);
      if (action) count(action);
    }
    // Collections after products, so that their members exist and are linked.
    if (context.preferences.syncDetails) {
      for (const [key, value] of Object.entries(await syncCollections(context, job.id))) count(key, value);
    }
    return { total, ...checkpoint.counts, inventoryWrites: inventory.written };
  } catch (error) {
    // Staged rows stay only for another attempt of this job (a retryable failure with attempts left).
    keepStaged = (error as { retryable?: boolean }).retryable !== false && !(error instanceof JobCancelledError) && job.attempts < job.maxAttempts;
    throw error;
  } finally {
    if (!keepStaged) {
      await clearBulkRun(primaryRun);
      await clearBulkRun(dependentRun);
    }
  }

  async function locateStaged(primary: CatalogueProduct) {
    const skus = primary.variants.flatMap((v) => (v.sku ? [v.sku] : []));
    const holders = await stagedProductsBySku(dependentRun, skus);
    let link = await productLinkOf(context.dependentShop, primary.id);
    let dependent: CatalogueProduct | null = null;
    if (link) {
      const staged = await stagedLines(dependentRun, [link.dependentProductId]);
      const lines = staged.get(link.dependentProductId);
      // Created by this job before a restart: not in the export, so read it live.
      dependent = lines ? productFromBulkLines(lines) : await readProduct(context.dependent, link.dependentProductId);
      if (!dependent) link = null;
    }
    const choice = chooseDependentProduct(skus, holders, dependent?.id ?? null);
    if (!dependent && choice.productId) dependent = productFromBulkLines((await stagedLines(dependentRun, [choice.productId])).get(choice.productId)!);
    const skusElsewhere = choice.skusElsewhere;
    return {
      dependent,
      link: link ? { dependentProductId: link.dependentProductId, createdByTandem: link.createdByTandem, lastPrimaryStatus: link.lastPrimaryStatus } : null,
      skusElsewhere,
    };
  }

  async function locateLive(primary: CatalogueProduct, staged: Awaited<ReturnType<typeof locateStaged>>) {
    const skus = primary.variants.flatMap((v) => (v.sku ? [v.sku] : []));
    const holders = await variantsWithSkus(context.dependent, skus);
    const productIds = [...new Set([...holders.values()].flat().map((h) => h.productId))];
    if (productIds.length !== 1) return staged;
    const dependent = await readProduct(context.dependent, productIds[0]);
    logger.info({ product: primary.id, dependent: dependent?.id }, "resumed Sync all found a product created before the restart");
    return { ...staged, dependent, link: dependent ? { dependentProductId: dependent.id, createdByTandem: true, lastPrimaryStatus: primary.status } : null };
  }
}
