import { getConfig } from "../config.server";
import { z } from "zod";
import {
  clearBulkRun, clearBulkRunsOfJob, countStagedProducts, duplicateStagedSkus, stageBulkRows, stagedLines, stagedAmong, stagedProductIds, stagedProductsBySku,
} from "../models/bulkRows.server";
import { type ProductLinkInput, linkedDependentVariantIds, linkedProductCount, productLinkPages, productLinksOf, saveProductLinks, variantLinksOfPair } from "../models/links.server";
import { queueRebalance } from "./rebalance-stock.server";
import { stockModeOf } from "../models/stores.server";
import { recordPrimaryItemReads } from "../models/primaryLevels.server";
import { heldSalesOf } from "../models/stockMovements.server";
import { english } from "../i18n";
import { writeSyncLog } from "../models/syncLog.server";
import { catalogueBulkQuery, PRODUCT_SET } from "../shopify/documents";
import { ShopifyApiError } from "../shopify/errors";
import { type AdminGateway, type StagedBulkVariables, parentsFirst, streamJsonl } from "../shopify/gateway.server";
import { type CatalogueProduct, productFromBulkLines, productSkus } from "../sync/catalogue";
import { takesItemDetails } from "../sync/fields";
import { chooseDependentProduct } from "../sync/matching";
import { imagesFingerprint, planProductSync } from "../sync/plan";
import {
  type ApplyOutcome, InventoryWriter, SYNC_ALL_HELD_LEVELS, type ProductPlanArgs, type ProductWriteResult, applyProductPlan, ensureProductSetCustomIds, finishProductPlans, holdProductPlan, productSetResults, productSetVariables, retryWithoutTakenHandle,
  variantPairs,
} from "../services/apply-plan.server";
import { syncCollections } from "./collections.server";
import { metafieldPlanInputs } from "../services/product-metafields.server";
import { type JobContext, JobCancelledError, PermanentJobError } from "./runner.server";
import { SYNC_PHASES } from "./queue";
import { readProduct, variantsWithSkus } from "../shopify/store-reader.server";
import { enqueueProductSync } from "../services/sync.server";
import { type PairContext, loadPairContext, syncBlocker } from "../services/sync-context.server";
import { LIVE_SHOP_INFO_MAX_AGE_MS } from "../shopify/shop-reader.server";
import { releaseExcludedProduct, releaseUnselectedProducts, retireDependentProduct, selected } from "./sync-product.server";
import { payloadOf } from "./kinds.server";
import { normalizeSku } from "../sync/sku";



/** A bulk write sent for the batch after lastProductId, recorded before it starts (see recoverBulkWrite). */
const pendingBulkWriteSchema = z.object({
  startedAt: z.string(),
  operationId: z.string().nullable(),
  /** Primary product ids in the order of the operation's input lines. */
  productIds: z.array(z.string()),
  createdProductIds: z.array(z.string()),
});
type PendingBulkWrite = z.infer<typeof pendingBulkWriteSchema>;

const checkpointSchema = z.object({
  primaryStaged: z.boolean().default(false),
  /** When the primary's export was asked for: its levels are recorded as a read of that time (ADR 0014). */
  primaryExportSentAt: z.number().nullable().default(null),
  dependentStaged: z.boolean().default(false),
  lastProductId: z.string().nullable().default(null),
  pendingBulkWrite: pendingBulkWriteSchema.nullable().default(null),
  /** The staged rows of the primary's export (the attempt that made it); resumed attempts plan from them. */
  primaryRun: z.string().nullable().default(null),
  counts: z.record(z.number()).default({}),
  /** What the run is doing, for the dashboard (SYNC_PHASES): its progress counts products only while it writes them. */
  phase: z.enum(SYNC_PHASES).default("reading"),
});
type Checkpoint = z.infer<typeof checkpointSchema>;

/** Products planned, written and checkpointed together; a resumed run redoes at most two batches (syncBatches). */
function productsPerBatch(): number {
  return getConfig().TANDEM_SYNC_ALL_BATCH;
}
const ROWS_PER_INSERT = 500;

/**
 * From how many product writes in a batch they go as one bulk mutation instead of one productSet
 * each. Measured by `npm run bench -- writes` (commit 53c7749): a bulk write costs about 21
 * points whatever its size where each productSet costs 10, and against the simulator it is faster
 * from 5 writes; 10 leaves a margin for Shopify's bulk queue (slower than the simulator's), so
 * that a Sync all finding a handful of changes does not wait on polling.
 */
export function bulkWriteThreshold(): number {
  return getConfig().TANDEM_BULK_WRITE_THRESHOLD;
}

/**
 * Exports a store's catalogue with a bulk query and stages its lines by product id (variant lines
 * carry their SKU). Inventory-level lines point at their variant, so variant → product is kept
 * while streaming; nothing else of the catalogue stays in memory.
 */
async function stageCatalogue(gateway: AdminGateway, runId: string, signal: AbortSignal, productIds?: string[]) {
  await clearBulkRun(runId);
  if (productIds?.length === 0) return;
  const url = await gateway.runBulkQuery(catalogueBulkQuery(productIds));
  if (!url) return;
  const productOfVariant = new Map<string, string>();
  let rows: { productId: string; sku: string | null; line: string }[] = [];
  for await (const line of parentsFirst(streamJsonl(url))) {
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
      if (signal.aborted) throw signal.reason;
      await stageBulkRows(runId, rows);
      rows = [];
    }
  }
  await stageBulkRows(runId, rows);
}

/**
 * Job "sync-all": the whole primary catalogue into one dependent. Both catalogues are exported
 * once (bulk) and staged; products are then planned and applied 250 at a time. The checkpoint
 * advances only after a batch's writes, stock included, are done, so a job resumed after a crash
 * redoes at most two batches (syncBatches), and links written right after each product write keep
 * that redo from creating anything twice.
 */
export async function syncAllJob(jobContext: JobContext) {
  return syncCatalogue(jobContext, null);
}

/**
 * Job "sync-products": a burst of changes to linked products (a price list imported, a bulk edit in
 * the admin) made into one pass like Sync all's, but of those products only: one bulk export of
 * them in each store and bulk writes, instead of a read and a write of each in both stores (see
 * gatherProductBurst in sync-product.server.ts). A product the primary's export does not hold
 * (deleted since, or not yet searchable) goes back to a single product sync, which reads it by id.
 */
export async function syncProductsJob(jobContext: JobContext) {
  return syncCatalogue(jobContext, payloadOf("sync-products", jobContext.job).productIds);
}

/**
 * One attempt of a Sync all or a burst: the pair, the checkpoint it resumes from and saves, and
 * where its exports are staged. The stages below read and update it in this order: stage the
 * exports, sync the batches, finish (bursts send absent products to product syncs; Sync all
 * retires what the primary no longer has, then copies collections).
 */
type CatalogueRun = {
  job: JobContext["job"];
  progress: JobContext["progress"];
  logger: JobContext["logger"];
  signal: AbortSignal;
  primaryShop: string;
  context: PairContext;
  /** The primary's product ids of a burst, or null for Sync all. */
  scope: string[] | null;
  checkpoint: Checkpoint;
  /** Whether an earlier attempt got somewhere: its first batch checks the store before creating. */
  resumed: boolean;
  primaryRun: string;
  dependentRun: string;
  count(key: string, by?: number): void;
};
type Neighbours = Awaited<ReturnType<typeof stagedNeighbours>>;
type Located = Awaited<ReturnType<typeof locateStaged>>;

/** Sync all (`scope` null) or a burst of products (`scope`: the primary's product ids). */
async function syncCatalogue({ job, progress, logger, signal }: JobContext, scope: string[] | null) {
  const { primaryShop } = payloadOf("sync-all", job);
  // A burst is the live path (ADR 0015): shop info read by the syncs just before it will do.
  const context = await loadPairContext(primaryShop, job.lane, scope ? { shopInfoMaxAgeMs: LIVE_SHOP_INFO_MAX_AGE_MS } : {});
  const checkpoint: Checkpoint = checkpointSchema.parse(job.checkpoint ?? {});
  const run: CatalogueRun = {
    job, progress, logger, signal, primaryShop, context, scope, checkpoint,
    resumed: checkpoint.lastProductId !== null || checkpoint.primaryStaged,
    // Each attempt stages into rows of its own: an attempt that lost its lease (under load, a late
    // heartbeat) may still be streaming or clearing while the one that took over stages. The primary's
    // export is reused from the attempt that completed it (`${job.id}:primary`: before attempts had their own).
    primaryRun: checkpoint.primaryStaged ? (checkpoint.primaryRun ?? `${job.id}:primary`) : `${job.id}:${job.attempts}:primary`,
    dependentRun: `${job.id}:${job.attempts}:dependent`,
    count: (key, by = 1) => void (checkpoint.counts[key] = (checkpoint.counts[key] ?? 0) + by),
  };
  let keepStaged = false;
  try {
    await stageExports(run);
    const synced = await syncBatches(run);
    return scope ? await finishBurst(run, scope, synced) : await finishSyncAll(run, synced);
  } catch (error) {
    // Staged rows stay only for another attempt of this job (a retryable failure with attempts left).
    keepStaged = (error as { retryable?: boolean }).retryable !== false && !(error instanceof JobCancelledError) && job.attempts < job.maxAttempts;
    throw error;
  } finally {
    // An attempt that lost its lease leaves every row alone: the attempt that took over owns them.
    // Otherwise the job's last attempt clears the rows of all its attempts.
    const leaseLost = signal.aborted && !(signal.reason instanceof JobCancelledError);
    if (!keepStaged && !leaseLost) await clearBulkRunsOfJob(job.id);
  }
}

/**
 * Stage 1: both catalogues exported and staged. The primary's once (a resumed attempt reuses it);
 * a bulk write a dead attempt left running is collected first; the dependent's again by any
 * attempt that takes over, so that what the runs before it wrote is read from the export rather
 * than one product at a time (250 live reads a batch would drain the bucket).
 */
async function stageExports(run: CatalogueRun) {
  const { context, checkpoint, scope, signal, progress, primaryRun, dependentRun } = run;
  // A resumed run reads the dependent's catalogue again: the dashboard says so rather than a count.
  checkpoint.phase = "reading";
  await progress({ checkpoint });
  if (!checkpoint.primaryStaged) {
    const sentAt = Date.now();
    await stageCatalogue(context.primary, primaryRun, signal, scope ?? undefined);
    checkpoint.primaryStaged = true;
    checkpoint.primaryRun = primaryRun;
    checkpoint.primaryExportSentAt = sentAt;
    // The total is known once the primary is exported: the dashboard shows the run's progress
    // from here, while the dependent's export is still on its way.
    await progress({ progressDone: checkpoint.counts.done ?? 0, progressTotal: await countStagedProducts(primaryRun), checkpoint });
  }
  if (checkpoint.pendingBulkWrite) {
    await recoverBulkWrite(run, checkpoint.pendingBulkWrite);
    checkpoint.pendingBulkWrite = null;
  }
  if (!checkpoint.dependentStaged || run.resumed) {
    const linkedProducts = scope ? (await productLinksOf(context.dependentShop, scope)).map((link) => link.dependentProductId) : undefined;
    await stageCatalogue(context.dependent, dependentRun, signal, linkedProducts);
    checkpoint.dependentStaged = true;
    await progress({ checkpoint });
  }
}

/**
 * Stage 2: the primary's staged products in batches after the checkpoint, each planned and
 * written whole (in bulk from the threshold), its stock flushed, then checkpointed.
 *
 * Pipelined around Shopify's bulk operation, which waits in Shopify's queue and then runs its
 * lines for seconds: while a batch's bulk write runs, the batch before it has its stock flushed
 * and is checkpointed, and the next batch is planned. So a store's bulk writes follow one another
 * with only their start and collection between them, and a resumed run redoes at most two batches
 * (the one being written and the one whose stock was being flushed).
 */
async function syncBatches(run: CatalogueRun): Promise<{ total: number; inventory: InventoryWriter }> {
  const { job, context, checkpoint, signal, progress, primaryShop, primaryRun, dependentRun } = run;
  const total = await countStagedProducts(primaryRun);
  const duplicateSkus = { primary: await duplicateStagedSkus(primaryRun), dependent: await duplicateStagedSkus(dependentRun) };
  const inventory = new InventoryWriter(context.dependent, writeSyncLog, { primaryShop, dependentShop: context.dependentShop, jobId: job.id }, { locationNames: context.dependentLocationNames, holdUpTo: SYNC_ALL_HELD_LEVELS });
  // What the saved checkpoint says: the counts as of its last product, whatever batches are under way.
  let saved = { done: checkpoint.counts.done ?? 0, counts: { ...checkpoint.counts } };
  let saving = Promise.resolve();
  const save = () => {
    const snapshot = { progressDone: saved.done, progressTotal: total, checkpoint: { ...checkpoint, counts: saved.counts } };
    // In the order asked: the bulk write's start and a checkpoint can be saved while both are under way.
    return (saving = saving.then(() => progress(snapshot)));
  };
  // A batch whose products are written (linked) and whose stock is perhaps still buffered.
  type Written = { lastProductId: string; products: number; counts: Checkpoint["counts"] };
  const checkpointAfter = async (written: Written) => {
    await inventory.flush();
    checkpoint.lastProductId = written.lastProductId;
    const done = saved.done + written.products;
    checkpoint.counts.done = done;
    saved = { done, counts: { ...written.counts, done } };
    await save();
  };
  checkpoint.phase = "products";
  await save();

  let firstBatch = true;
  const nextBatch = async (after: string | null) => {
    // Lost the lease (another run took over) or cancelled: stop before reading or writing more.
    if (signal.aborted) throw signal.reason;
    const ids = await stagedProductIds(primaryRun, after, productsPerBatch());
    if (ids.length === 0) return null;
    const planned = await planBatch(run, ids, { duplicateSkus, inventory, firstBatch });
    firstBatch = false;
    const productWrites = planned.filter((args) => args.plan.productSet !== null);
    const inBulk = productWrites.length >= bulkWriteThreshold() ? productWrites : [];
    return { ids, planned, inBulk, prepared: null as PreparedBulkWrite | null };
  };
  /**
   * The next batch's bulk write prepared (held plans sorted out, variables uploaded) while the
   * current one runs, when the plan's product limit cannot be reached by both batches linking
   * every product: its holds are then what they would be after the current write.
   */
  const prepareAhead = async (next: NonNullable<Awaited<ReturnType<typeof nextBatch>>>, linkingNow: number) => {
    if (next.inBulk.length === 0) return;
    const limit = context.productLimit?.limit;
    if (limit !== undefined && (await linkedProductCount(primaryShop, context.dependentShop)) + linkingNow + next.planned.length >= limit) return;
    next.prepared = await prepareBulkWrite(run, next.inBulk);
  };

  let batch = await nextBatch(checkpoint.lastProductId);
  let unflushed: Written | null = null;
  while (batch) {
    // Paused, disconnected or uninstalled since the job started: stop before writing more.
    const blocker = await syncBlocker(primaryShop, context.dependentShop);
    if (blocker) throw new PermanentJobError(english.text(blocker));
    const { ids, planned, inBulk } = batch;
    for (const args of planned) if (!inBulk.includes(args)) countOutcome(run, args, await applyProductPlan(args));
    const prepared = batch.prepared ?? (inBulk.length > 0 ? await prepareBulkWrite(run, inBulk) : null);
    const bulkWrite = prepared ? await startBulkWrite(run, prepared, save) : null;
    // In the shadow of the bulk write: the batch before is flushed and checkpointed, the next
    // planned and its bulk write prepared.
    const shadow = async () => {
      if (unflushed) await checkpointAfter(unflushed);
      unflushed = null;
      const next = await nextBatch(ids[ids.length - 1]);
      if (next && bulkWrite) await prepareAhead(next, bulkWrite.going.filter((args) => !args.linked).length);
      return next;
    };
    // Both settle before either's failure ends the run: nothing of this attempt writes after it.
    const [written, following] = await Promise.allSettled([bulkWrite?.finished, shadow()]);
    if (written.status === "rejected") throw written.reason;
    if (following.status === "rejected") throw following.reason;
    if (bulkWrite) await finishBulkWrite(run, bulkWrite);
    unflushed = { lastProductId: ids[ids.length - 1], products: ids.length, counts: { ...checkpoint.counts } };
    batch = following.value;
  }
  if (unflushed) await checkpointAfter(unflushed);
  await saving;
  // Every product is written; what is left (products the primary removed, collections) has no count.
  checkpoint.phase = "finishing";
  await progress({ checkpoint });
  if ((await countStagedProducts(primaryRun)) !== total) throw new Error("the primary's staged catalogue changed during Sync all; it will run again");
  return { total, inventory };
}

/** One batch's plans: the primary's products read from the export, the selection applied, each matched and planned. */
async function planBatch(run: CatalogueRun, ids: string[], { duplicateSkus, inventory, firstBatch }: {
  duplicateSkus: { primary: Set<string>; dependent: Set<string> }; inventory: InventoryWriter; firstBatch: boolean;
}): Promise<ProductPlanArgs[]> {
  const { job, logger, context, checkpoint, scope, primaryShop, primaryRun } = run;
  const primaryLines = await stagedLines(primaryRun, ids);
  const primaries = ids.map((id) => productFromBulkLines(primaryLines.get(id)!));
  // The export is a read of the primary's stock: what Tandem knows of it follows, so a push
  // after a Sync all sends what the export found, even if webhooks were lost before it.
  if (checkpoint.primaryExportSentAt !== null) {
    const items = new Map(primaries.flatMap((product) => product.variants.map((v) => [v.inventoryItemId, { tracked: v.tracked, available: v.available, changedAt: v.changedAt }] as const)));
    await recordPrimaryItemReads(primaryShop, items, checkpoint.primaryExportSentAt);
  }
  const heldSales = await heldSalesOf(context.dependentShop);
  const excluded = primaries.flatMap((primary) => context.exclusions.get(primary.id) ?? []);
  for (const exclusion of excluded) {
    const action = await releaseExcludedProduct(context, exclusion, job.id);
    if (action) run.count(action);
  }
  if (excluded.length > 0) run.count("excluded", excluded.length);
  const included = primaries.filter((primary) => !context.exclusions.has(primary.id));
  const chosen = included.filter((primary) => selected(primary, context.selection));
  const left = included.filter((primary) => !selected(primary, context.selection));
  if (left.length > 0) {
    run.count("notSelected", left.length);
    const released = await releaseUnselectedProducts(context, left, job.id);
    if (released > 0) run.count("unlinked", released);
  }
  const neighbours = await stagedNeighbours(run, chosen);
  const locatedAll: Array<{ primary: CatalogueProduct; dependentLocated: Located }> = [];
  for (const primary of chosen) {
    const located = await locateStaged(run, primary, neighbours);
    // After a crash, a product created just before it may not have its link yet: ask the store.
    // A burst's export holds only the linked products: one whose dependent product is gone is
    // looked for by SKU in the store, rather than created next to one holding its SKUs.
    const verifyLive = (scope !== null || (run.resumed && firstBatch)) && !located.dependent && !located.link;
    locatedAll.push({ primary, dependentLocated: verifyLive ? await locateLive(run, primary, located) : located });
  }
  const metafields = await metafieldPlanInputs(context, locatedAll.map(({ primary, dependentLocated }) => ({ primary, dependent: dependentLocated.dependent })));
  const planned: ProductPlanArgs[] = [];
  for (const { primary, dependentLocated } of locatedAll) {
    const plan = planProductSync({
      primary, dependent: dependentLocated.dependent, settings: context.settings, metafields: metafields?.get(primary.id),
      link: dependentLocated.link,
      linkedDependentVariantIds: neighbours.linkedVariants.get(primary.id)!,
      duplicateSkus, skusElsewhere: dependentLocated.skusElsewhere, heldSales,
    });
    planned.push({
      context, plan, primary, dependent: dependentLocated.dependent, linked: dependentLocated.link !== null,
      createdByTandem: dependentLocated.link?.createdByTandem ?? plan.action === "create", jobId: job.id, inventory, logger,
    });
    if (plan.notes.length > 0) run.count("warnings");
  }
  return planned;
}

/** Stage 3 of a burst: products of the burst the primary's export did not have go to their own product sync. */
async function finishBurst(run: CatalogueRun, scope: string[], { inventory }: { inventory: InventoryWriter }) {
  const exported = await stagedAmong(run.primaryRun, scope);
  const absent = scope.filter((id) => !exported.has(id));
  for (const id of absent) await enqueueProductSync(run.primaryShop, id, [run.context.dependentShop]);
  if (absent.length > 0) run.count("sentToProductSync", absent.length);
  return { products: scope.length, ...run.checkpoint.counts, inventoryWrites: inventory.written };
}

/**
 * Stage 3 of Sync all: products the primary no longer has (deleted while a webhook was lost) are
 * retired here too, then collections are copied (after products, so their members exist and are
 * linked). Only from a complete export, by a run that still owns the job: a run that lost its lease
 * could find the staged rows cleared by the run that took over, and would retire everything.
 */
async function finishSyncAll(run: CatalogueRun, { total, inventory }: { total: number; inventory: InventoryWriter }) {
  const { job, context, signal, primaryShop, primaryRun } = run;
  for await (const links of productLinkPages(primaryShop, context.dependentShop)) {
    const stillThere = await stagedAmong(primaryRun, links.map((link) => link.primaryProductId));
    for (const { primaryProductId } of links) {
      if (signal.aborted) throw signal.reason;
      if (stillThere.has(primaryProductId)) continue;
      const action = await retireDependentProduct(context, primaryProductId, job.id);
      if (action) run.count(action);
    }
  }
  if (context.preferences.syncDetails) {
    for (const [key, value] of Object.entries(await syncCollections(context, job.id))) run.count(key, value);
  }
  // Strict mode: the products it linked get their shares (the pair's links are read only then).
  if ((await stockModeOf(primaryShop)) === "strict") await queueRebalance(primaryShop, (await variantLinksOfPair(primaryShop, context.dependentShop)).map((link) => link.primaryInventoryItemId));
  return { total, ...run.checkpoint.counts, inventoryWrites: inventory.written };
}

function countOutcome(run: CatalogueRun, { plan }: ProductPlanArgs, outcome: ApplyOutcome) {
  run.count(outcome.action === "skip" ? (plan.skipReason === "not-in-dependent" ? "notInDependent" : "skipped") : outcome.action === "over-plan-limit" ? "overPlanLimit" : outcome.action);
}
/** `staged` is null when every plan is held: nothing goes to Shopify. */
type PreparedBulkWrite = { going: ProductPlanArgs[]; held: [ProductPlanArgs, ApplyOutcome][]; staged: StagedBulkVariables | null };

/**
 * A batch's productSet writes made ready for one bulk mutation: the plans held back (skips, the
 * plan's product limit) set apart, custom IDs defined, the variables uploaded. Counts nothing:
 * the held plans are counted when the write starts, so a batch prepared and never started is
 * counted by the run that redoes it.
 */
async function prepareBulkWrite(run: CatalogueRun, writes: ProductPlanArgs[]): Promise<PreparedBulkWrite> {
  const { context } = run;
  const going: ProductPlanArgs[] = [];
  const held: PreparedBulkWrite["held"] = [];
  let newLinks = 0;
  for (const args of writes) {
    const outcome = await holdProductPlan(args, { alsoLinking: args.linked ? 0 : newLinks });
    if (outcome) {
      held.push([args, outcome]);
      continue;
    }
    if (!args.linked) newLinks++;
    going.push(args);
  }
  if (going.length === 0) return { going, held, staged: null };
  await ensureProductSetCustomIds(context.dependent, going.map((args) => args.plan));
  const staged = await context.dependent.uploadBulkVariables(going.map((args) => productSetVariables(args.plan, args.primary)));
  return { going, held, staged };
}

/**
 * Starts a prepared bulk write (null when all its plans were held). The operation is recorded in
 * the checkpoint before it starts and again with its id once Shopify accepted it, so that a run
 * that dies while it runs collects its results (recoverBulkWrite) instead of sending the products
 * again. `finished` is its result file, once Shopify has run it.
 */
async function startBulkWrite(run: CatalogueRun, { going, held, staged }: PreparedBulkWrite, save: () => Promise<void>) {
  const { context, checkpoint } = run;
  for (const [args, outcome] of held) countOutcome(run, args, outcome);
  if (!staged) return null;
  const pending: PendingBulkWrite = {
    startedAt: new Date().toISOString(), operationId: null,
    productIds: going.map((args) => args.primary.id),
    createdProductIds: going.filter((args) => args.plan.action === "create").map((args) => args.primary.id),
  };
  checkpoint.pendingBulkWrite = pending;
  await save();
  const finished = context.dependent.runBulkMutation(PRODUCT_SET, staged, {
    onStarted: async (operationId) => {
      pending.operationId = operationId;
      await save();
    },
  });
  return { going, finished };
}

/** Links what a bulk write wrote and counts its outcomes, once it has finished. */
async function finishBulkWrite(run: CatalogueRun, { going, finished }: { going: ProductPlanArgs[]; finished: Promise<string | null> }) {
  const { context, checkpoint, logger } = run;
  const results = await productSetResults(context.dependent, await finished);
  run.count("bulkWrites");
  logger.info({ products: going.length, results: results.size }, "bulk product write finished");
  // Lines without a result were perhaps never run: the batch is done again (the next run collects
  // this operation first, so what it did write is linked, not written twice).
  const answered = going.filter((_, line) => results.has(line)).length;
  if (answered < going.length) throw new ShopifyApiError(`Shopify's bulk product write in ${context.dependentShop} answered for ${answered} of ${going.length} products; the batch runs again`, true, 5_000);
  const writes: [ProductPlanArgs, ProductWriteResult][] = [];
  for (const [line, args] of going.entries()) writes.push(await retryWithoutTakenHandle(args, results.get(line)!));
  const outcomes = await finishProductPlans(writes);
  for (const [line, [args]] of writes.entries()) countOutcome(run, args, outcomes[line]);
  // Linked: a run resumed from here finds these products through their links.
  checkpoint.pendingBulkWrite = null;
}
/**
 * A run died while its bulk write was (perhaps) running. Waits for that operation (the one
 * recorded, or else each of the store's bulk mutations created since the batch began) and links
 * what it wrote; the batch is then planned again and finds those products through their links,
 * or live by SKU for any it could not link (resumed runs look up unlinked products in the store
 * before creating them). Up to five bulk operations run at once, other jobs' among them: a result
 * is linked only when its variants' SKUs are the primary product's.
 */
async function recoverBulkWrite(run: CatalogueRun, pending: PendingBulkWrite) {
  const { context, primaryShop, primaryRun, logger } = run;
  // A minute of margin for the clocks of Shopify and this machine.
  const since = new Date(Date.parse(pending.startedAt) - 60_000).toISOString();
  const operationIds = pending.operationId ? [pending.operationId] : (await context.dependent.bulkMutationsSince(since)).map((operation) => operation.id);
  const primaryLines = await stagedLines(primaryRun, pending.productIds);
  const created = new Set(pending.createdProductIds);
  const links: ProductLinkInput[] = [];
  const linked = new Set<string>();
  for (const operationId of operationIds) {
    let results: Map<number, ProductWriteResult>;
    try {
      results = await productSetResults(context.dependent, await context.dependent.collectBulkMutation(operationId));
    } catch (error) {
      logger.warn({ err: error, operationId }, "a bulk product write of a run that stopped gave no results; its batch is done again");
      continue;
    }
    for (const [line, primaryProductId] of pending.productIds.entries()) {
      const result = results.get(line);
      const lines = primaryLines.get(primaryProductId);
      if (linked.has(primaryProductId) || !result?.ok || !result.dependentProductId || !lines) continue;
      const primary = productFromBulkLines(lines);
      const skus = productSkus(primary);
      const writtenSkus = result.variants.map((v) => normalizeSku(v.sku));
      if (writtenSkus.length === 0 || !writtenSkus.every((sku) => sku !== null && skus.includes(sku))) continue;
      linked.add(primaryProductId);
      links.push({
        primaryShop, dependentShop: context.dependentShop, primaryProductId, dependentProductId: result.dependentProductId,
        // The write was planned from this run's export of the primary: its copies come from these images.
        createdByTandem: created.has(primaryProductId), primaryStatus: primary.status, primaryImages: imagesFingerprint(primary.images), primaryTitle: primary.title, variants: variantPairs(primary, skus, result.variants),
      });
    }
  }
  await saveProductLinks(links);
  run.count("linkedAfterRestart", links.length);
  logger.info({ operationIds, linked: links.length }, "collected the bulk product writes of a run that stopped");
}
/**
 * What planning a batch needs besides the primary's products, looked up for the whole batch at
 * once (a few queries a batch instead of a few a product: ADR 0018): their links, the staged
 * dependent products holding their SKUs or linked to them, and the variants linked so far.
 */
async function stagedNeighbours({ context, dependentRun }: CatalogueRun, primaries: CatalogueProduct[]) {
  const ids = primaries.map((primary) => primary.id);
  const skus = [...new Set(primaries.flatMap(productSkus))];
  const links = new Map((await productLinksOf(context.dependentShop, ids)).map((link) => [link.primaryProductId, link]));
  const holders = await stagedProductsBySku(dependentRun, skus);
  const dependentIds = new Set([...[...links.values()].map((link) => link.dependentProductId), ...[...holders.values()].flat()]);
  const dependentLines = await stagedLines(dependentRun, [...dependentIds]);
  return { links, holders, dependentLines, linkedVariants: await linkedDependentVariantIds(context.dependentShop, ids) };
}
async function locateStaged({ context }: CatalogueRun, primary: CatalogueProduct, { links, holders, dependentLines }: Neighbours) {
  const skus = productSkus(primary);
  let link = links.get(primary.id) ?? null;
  let dependent: CatalogueProduct | null = null;
  if (link) {
    const lines = dependentLines.get(link.dependentProductId);
    // Created by this job before a restart: not in the export, so read it live.
    dependent = lines ? productFromBulkLines(lines) : await readProduct(context.dependent, link.dependentProductId, { withItemDetails: takesItemDetails(context.settings.fields) });
    if (!dependent) link = null;
  }
  const choice = chooseDependentProduct(skus, holders, dependent?.id ?? null);
  if (!dependent && choice.productId) dependent = productFromBulkLines(dependentLines.get(choice.productId)!);
  const skusElsewhere = choice.skusElsewhere;
  return {
    dependent,
    link: link ? { dependentProductId: link.dependentProductId, createdByTandem: link.createdByTandem, lastPrimaryStatus: link.lastPrimaryStatus, lastPrimaryImages: link.lastPrimaryImages } : null,
    skusElsewhere,
  };
}
async function locateLive({ context, logger }: CatalogueRun, primary: CatalogueProduct, staged: Located) {
  const skus = productSkus(primary);
  const holders = await variantsWithSkus(context.dependent, skus);
  const productIds = [...new Set([...holders.values()].flat().map((h) => h.productId))];
  if (productIds.length !== 1) return staged;
  const dependent = await readProduct(context.dependent, productIds[0], { withItemDetails: takesItemDetails(context.settings.fields) });
  logger.info({ product: primary.id, dependent: dependent?.id }, "resumed Sync all found a product created before the restart");
  // Created by this run from its export of the primary: its images are copies of these.
  const link = dependent ? { dependentProductId: dependent.id, createdByTandem: true, lastPrimaryStatus: primary.status, lastPrimaryImages: imagesFingerprint(primary.images) } : null;
  return { ...staged, dependent, link };
}