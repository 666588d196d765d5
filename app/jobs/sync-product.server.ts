import { getConfig } from "../config.server";
import { text } from "../i18n";
import { waitingJobsInLane, settleWaitingJobs } from "../models/jobs.server";
import { linkedDependentVariantIds, productLinkOf, productLinksOf, removeProductLinks } from "../models/links.server";
import type { ProductExclusion } from "../models/productExclusions.server";
import { syncLogInsert, writeSyncLog } from "../models/syncLog.server";
import { PRODUCT_DELETE, PRODUCT_UPDATE } from "../shopify/documents";
import { type CatalogueProduct, productSkus } from "../sync/catalogue";
import { takesItemDetails } from "../sync/fields";
import { chooseDependentProduct } from "../sync/matching";
import { planProductSync } from "../sync/plan";
import { InventoryWriter, applyProductPlan } from "../services/apply-plan.server";
import { addToCopiedCollections } from "./collections.server";
import type { JobRecord } from "./queue";
import type { JobContext } from "./runner.server";
import { primaryItemsOf, primaryStockWithHeldSales } from "../services/primary-stock.server";
import { queueStockPushes } from "./push-stock.server";
import { readLevels, readProduct, variantsWithSkus } from "../shopify/store-reader.server";
import { type PairContext, loadPairContext } from "../services/sync-context.server";
import { metafieldPlanInputs } from "../services/product-metafields.server";
import { LIVE_SHOP_INFO_MAX_AGE_MS } from "../shopify/shop-reader.server";
import { JOB_KINDS, MAX_PRODUCTS_PER_BURST, enqueueJob, payloadOf } from "./kinds.server";


/** The primary's selection (seed 003): a tag and/or a collection the product must have. */
export function selected(product: CatalogueProduct, selection: PairContext["selection"]): boolean {
  const tagged = selection.tag === null || product.tags.some((tag) => tag.toLowerCase() === selection.tag!.toLowerCase());
  const collected = selection.collectionId === null || product.collectionIds.includes(selection.collectionId);
  return tagged && collected;
}

/**
 * The dependent product that mirrors a primary product: the linked one if it still exists, else the
 * one holding most of its SKUs. Also reports SKUs that are duplicated or live in other products.
 */
export async function locateDependentProduct(context: PairContext, primary: CatalogueProduct, { withLevels = true } = {}) {
  const skus = productSkus(primary);
  const [primaryHolders, dependentHolders] = await Promise.all([variantsWithSkus(context.primary, skus), variantsWithSkus(context.dependent, skus)]);
  const duplicateSkus = {
    primary: new Set(skus.filter((sku) => (primaryHolders.get(sku)?.length ?? 0) > 1)),
    dependent: new Set(skus.filter((sku) => (dependentHolders.get(sku)?.length ?? 0) > 1)),
  };
  let link = await productLinkOf(context.dependentShop, primary.id);
  const withItemDetails = takesItemDetails(context.settings.fields);
  let dependent = link ? await readProduct(context.dependent, link.dependentProductId, { withLevels, withItemDetails }) : null;
  if (link && !dependent) {
    // Deleted in the dependent: forget the link; the product is matched or created again below.
    await removeProductLinks(context.dependentShop, primary.id);
    link = null;
  }
  const owners = new Map([...dependentHolders.entries()].map(([sku, holders]) => [sku, holders.map((h) => h.productId)]));
  const choice = chooseDependentProduct(skus, owners, dependent?.id ?? null);
  if (!dependent && choice.productId) dependent = await readProduct(context.dependent, choice.productId, { withLevels, withItemDetails });
  const skusElsewhere = choice.skusElsewhere;
  return { link, dependent, duplicateSkus, skusElsewhere };
}

/**
 * The stock a product sync's plan needs, read as little as possible. The primary's levels are what
 * Tandem knows of them (ADR 0014), read only for items it does not know. Variants already linked
 * to this product keep their stock to a push queued after the sync (it compares against the level
 * Tandem last wrote in the dependent); only the dependent's other variants (about to be linked)
 * are read. Returns the SKUs left to the push.
 */
async function readStockForPlan(context: PairContext, primary: CatalogueProduct, dependent: CatalogueProduct | null, linkedVariantIds: ReadonlySet<string>): Promise<Set<string>> {
  const { items: primaryStock } = await primaryItemsOf(context.primary, primary.variants.map((variant) => variant.inventoryItemId), { locationCount: context.locationCounts.primary });
  for (const variant of primary.variants) {
    const item = primaryStock.get(variant.inventoryItemId);
    variant.available = item?.available ?? {};
    if (item) variant.tracked = item.tracked;
  }
  const stockByPush = new Set<string>();
  if (!dependent) return stockByPush;
  const unlinked = dependent.variants.filter((variant) => !linkedVariantIds.has(variant.id));
  const levels = await readLevels(context.dependent, unlinked.map((variant) => variant.inventoryItemId));
  for (const variant of unlinked) variant.available = levels.get(variant.inventoryItemId) ?? {};
  for (const variant of dependent.variants) if (linkedVariantIds.has(variant.id) && variant.sku !== null) stockByPush.add(variant.sku);
  return stockByPush;
}

/** A product deleted on the primary is archived (or deleted, per preference) on the dependent; never the reverse. */
export async function retireDependentProduct(context: PairContext, primaryProductId: string, jobId: string): Promise<"archived" | "deleted" | null> {
  const link = await productLinkOf(context.dependentShop, primaryProductId);
  if (!link) return null;
  const action = context.preferences.onPrimaryDelete === "delete" ? "deleted" : "archived";
  const existing = await readProduct(context.dependent, link.dependentProductId, { withLevels: false });
  if (existing) {
    if (action === "deleted") await context.dependent.mutate(PRODUCT_DELETE, { input: { id: link.dependentProductId } }, "productDelete");
    else if (existing.status !== "ARCHIVED") await context.dependent.mutate(PRODUCT_UPDATE, { product: { id: link.dependentProductId, status: "ARCHIVED" } }, "productUpdate");
  }
  await removeProductLinks(context.dependentShop, primaryProductId);
  await writeSyncLog([{
    primaryShop: context.primaryShop, dependentShop: context.dependentShop, jobId, action, productTitle: existing?.title ?? null,
    primaryProductId, dependentProductId: link.dependentProductId,
    message: existing ? text("entry.removedOnPrimary", { title: existing.title, archived: action === "archived" ? 1 : 0 }) : text("entry.alreadyGone"),
  }]);
  return action;
}

/**
 * Products that left the primary's selection stop syncing (seed 003: a product taken out of the
 * sync is no longer synced): their links go, so neither their details nor their stock move any
 * more, in either direction, and the dependent's copy stays as it is. Given back the tag or
 * collection, a product is found again by its SKUs and synced as any other.
 */
export async function releaseUnselectedProducts(context: PairContext, primaries: CatalogueProduct[], jobId: string): Promise<number> {
  const titles = new Map(primaries.map((product) => [product.id, product.title]));
  const links = await productLinksOf(context.dependentShop, [...titles.keys()]);
  for (const link of links) {
    const title = titles.get(link.primaryProductId)!;
    // One transaction: a crash leaves the product either linked and unlogged (the next sync
    // releases it again) or released and logged, never released without a word.
    await removeProductLinks(context.dependentShop, link.primaryProductId, [syncLogInsert([{
      primaryShop: context.primaryShop, dependentShop: context.dependentShop, jobId, action: "unlinked", productTitle: title,
      primaryProductId: link.primaryProductId, dependentProductId: link.dependentProductId,
      message: text("entry.leftSelection", { title }), fix: text("entry.leftSelection.fix"),
    }])]);
  }
  return links.length;
}

/**
 * A product a store took out of the sync (issue 36): its copy here becomes what that store chose
 * (kept as it is, archived or deleted), and its links go, so neither its details nor its stock
 * move any more, in either direction, until that store brings it back. The primary's "delete"
 * deletes only copies Tandem created: a product this store had before Tandem linked it is
 * archived instead, so the primary's choice never destroys a store's own product. A crash after
 * the copy's change and before the links go finds the copy changed already and finishes.
 */
export async function releaseExcludedProduct(context: PairContext, exclusion: ProductExclusion, jobId: string): Promise<"unlinked" | "archived" | "deleted" | null> {
  const link = await productLinkOf(context.dependentShop, exclusion.primaryProductId);
  if (!link) return null;
  const byPrimary = exclusion.shop === context.primaryShop;
  const spared = byPrimary && exclusion.outcome === "delete" && !link.createdByTandem;
  const outcome = spared ? "archive" : exclusion.outcome;
  const existing = outcome === "keep" ? null : await readProduct(context.dependent, link.dependentProductId, { withLevels: false });
  if (existing && outcome === "delete") await context.dependent.mutate(PRODUCT_DELETE, { input: { id: link.dependentProductId } }, "productDelete");
  if (existing && outcome === "archive" && existing.status !== "ARCHIVED") {
    await context.dependent.mutate(PRODUCT_UPDATE, { product: { id: link.dependentProductId, status: "ARCHIVED" } }, "productUpdate");
  }
  const action = outcome === "keep" ? "unlinked" : outcome === "archive" ? "archived" : "deleted";
  const title = existing?.title ?? exclusion.productTitle;
  const message = byPrimary
    ? text("entry.excludedByPrimary", { title, outcome, spared: spared ? 1 : 0 })
    : text("entry.unlinkedHere", { title, outcome });
  await removeProductLinks(context.dependentShop, exclusion.primaryProductId, [syncLogInsert([{
    primaryShop: context.primaryShop, dependentShop: context.dependentShop, jobId, action, productTitle: title,
    primaryProductId: exclusion.primaryProductId, dependentProductId: link.dependentProductId,
    message, fix: byPrimary ? text("entry.excludedByPrimary.fix") : text("entry.unlinkedHere.fix"),
  }])]);
  return action;
}

/**
 * From how many product syncs waiting for one dependent they run as one "sync-products" job
 * (default 10, as bulk writes: bulkWriteThreshold). Fewer run one by one, at once: a single edit
 * reaches the store without waiting on bulk operations.
 */
export function productBurstSize(): number {
  return getConfig().TANDEM_PRODUCT_BURST;
}

/**
 * When this product sync finds a burst of others waiting in its lane (a bulk edit, an import), the
 * linked products among them, its own included, go to one "sync-products" job, and their waiting
 * jobs are settled as taken by it. The new job is queued before any is settled: a crash between
 * the two at worst syncs a product twice, never not at all. Products without a link keep their own
 * job: it looks for their SKUs in the whole store, which the burst's export does not hold.
 */
async function gatherProductBurst(job: JobContext["job"], primaryShop: string, primaryProductId: string): Promise<JobRecord | null> {
  const waiting = (await waitingJobsInLane(job.lane, "sync-product", MAX_PRODUCTS_PER_BURST))
    .map((other) => ({ other, payload: JOB_KINDS["sync-product"].payload.safeParse(other.payload) }))
    .filter(({ payload }) => payload.success && payload.data.primaryShop === primaryShop);
  if (waiting.length + 1 < productBurstSize()) return null;
  const candidates = [...new Set([primaryProductId, ...waiting.map(({ payload }) => payload.data!.primaryProductId)])].slice(0, MAX_PRODUCTS_PER_BURST);
  const linked = new Set((await productLinksOf(job.lane, candidates)).map((link) => link.primaryProductId));
  if (!linked.has(primaryProductId) || linked.size < productBurstSize()) return null;
  const productIds = candidates.filter((id) => linked.has(id));
  const { job: burst } = await enqueueJob("sync-products", { primaryShop, dependentShop: job.lane, productIds });
  const taken = waiting.filter(({ payload }) => linked.has(payload.data!.primaryProductId)).map(({ other }) => other.id);
  await settleWaitingJobs(taken, { outcome: "batched", batchJobId: burst.id });
  return burst;
}

/** Job "sync-product": one primary product to one dependent (webhooks and edits). */
export async function syncProductJob({ job, logger }: JobContext) {
  const { primaryShop, primaryProductId } = payloadOf("sync-product", job);
  const burst = await gatherProductBurst(job, primaryShop, primaryProductId);
  if (burst) {
    logger.info({ batchJobId: burst.id }, "product sync joined a burst of changes synced together");
    return { outcome: "batched", batchJobId: burst.id };
  }
  const context = await loadPairContext(primaryShop, job.lane, { shopInfoMaxAgeMs: LIVE_SHOP_INFO_MAX_AGE_MS });
  const exclusion = context.exclusions.get(primaryProductId);
  if (exclusion) return { outcome: (await releaseExcludedProduct(context, exclusion, job.id)) ?? "excluded" };
  const primary = await readProduct(context.primary, primaryProductId, { withLevels: false, withItemDetails: takesItemDetails(context.settings.fields) });
  if (!primary) return { outcome: (await retireDependentProduct(context, primaryProductId, job.id)) ?? "gone" };
  if (!selected(primary, context.selection)) return { outcome: (await releaseUnselectedProducts(context, [primary], job.id)) > 0 ? "unlinked" : "not selected" };
  const { link, dependent, duplicateSkus, skusElsewhere } = await locateDependentProduct(context, primary, { withLevels: false });
  const linkedVariantIds = (await linkedDependentVariantIds(context.dependentShop, [primary.id])).get(primary.id)!;
  const { held: heldSales, primary: stockByPush } = await primaryStockWithHeldSales(context.dependentShop, async () =>
    context.settings.syncQuantity ? readStockForPlan(context, primary, dependent, linkedVariantIds) : new Set<string>());
  const metafields = (await metafieldPlanInputs(context, [{ primary, dependent }]))?.get(primary.id);
  const plan = planProductSync({
    primary, dependent, settings: context.settings, metafields,
    link: link ? { dependentProductId: link.dependentProductId, createdByTandem: link.createdByTandem, lastPrimaryStatus: link.lastPrimaryStatus, lastPrimaryImages: link.lastPrimaryImages } : null,
    linkedDependentVariantIds: linkedVariantIds,
    duplicateSkus, skusElsewhere, heldSales, stockByPush,
  });
  const inventory = new InventoryWriter(context.dependent, writeSyncLog, { primaryShop, dependentShop: context.dependentShop, jobId: job.id }, { locationNames: context.dependentLocationNames });
  const outcome = await applyProductPlan({
    context, plan, primary, dependent, linked: link !== null, createdByTandem: link?.createdByTandem ?? plan.action === "create", jobId: job.id, inventory, logger,
  });
  await inventory.flush();
  if (outcome.action === "update" || outcome.action === "unchanged") {
    const pushed = primary.variants.filter((variant) => variant.sku !== null && stockByPush.has(variant.sku) && plan.syncedSkus.includes(variant.sku));
    await queueStockPushes(primaryShop, pushed.map((variant) => variant.inventoryItemId), { onlyTo: context.dependentShop });
  }
  if (outcome.action === "create" && outcome.dependentProductId && context.preferences.syncDetails) {
    await addToCopiedCollections(context, primary.collectionIds, outcome.dependentProductId);
  }
  return { outcome: outcome.action, fields: plan.changedFields };
}
