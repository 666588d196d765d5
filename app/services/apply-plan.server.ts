import { text } from "../i18n";
import type { Logger } from "pino";
import { type ProductLinkInput, linkedProductCount, saveProductLinks, type VariantPair } from "../models/links.server";
import { type SyncLogEntry, writeSyncLog } from "../models/syncLog.server";
import { rebalanceAfterSync } from "../jobs/rebalance-stock.server";
import { PREVIOUS_ATTEMPT_FAILED_CODE } from "../shopify/api-version";
import { customId, customIdMetafield, ensureCustomIdDefinition, forgetCustomIdDefinitionsAfter, PRIMARY_PRODUCT_ID } from "../shopify/custom-ids.server";
import { PRODUCT_SET, VARIANTS_BULK_UPDATE } from "../shopify/documents";
import { ShopifyResourceLimitError, ShopifyUserErrors, type UserError } from "../shopify/errors";
import { type AdminGateway, type InventoryAdjustedChange, streamJsonl } from "../shopify/gateway.server";
import { type CatalogueProduct, productSkus } from "../sync/catalogue";
import type { ProductPlan } from "../sync/plan";
import type { PairContext } from "./sync-context.server";
import { readRestOfList } from "../shopify/store-reader.server";
import { recordWriteTime, recordWrittenLevels, writtenLevelKey, writtenLevelsOf } from "../models/writtenLevels.server";
import { wholeSecond } from "../sync/primaryLevels";

export type QuantityToSet = { inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity: number | null; sku: string; productTitle: string | null; primaryProductId: string };

const MAX_INPUT = 250;
/** Levels Sync all holds for flush() (InventoryWriter's holdUpTo): about 5,000, some 1 MB. */
export const SYNC_ALL_HELD_LEVELS = 20 * MAX_INPUT;

/**
 * Buffers inventory writes of one dependent and sends them 250 at a time with
 * inventorySetQuantities, without compare-and-set: the primary is the source of truth for a
 * dependent's stock (ADR 0035), and Shopify's answer says what each write replaced. A location the
 * item is not stocked at is logged and dropped. Each quantity is recorded as written before it is
 * sent (its webhook echo is then recognised), and a level that changed here since Tandem last set
 * it is logged as overridden by the primary. In "reconcile" mode every repair is logged, since
 * each one means a change had been lost.
 */
export class InventoryWriter {
  private pending: QuantityToSet[] = [];
  written = 0;
  /** Levels Shopify's answer showed had changed in the store since Tandem's base (a sale or an edit there). */
  foundChanged = 0;

  constructor(
    private readonly gateway: AdminGateway,
    private readonly log: (entries: SyncLogEntry[]) => Promise<void>,
    private readonly base: { primaryShop: string; dependentShop: string; jobId: string },
    /**
     * `holdUpTo`: how many levels wait for flush() before add() sends; Sync all holds a batch's
     * (up to 20 writes' worth) to send them while its next bulk write runs.
     */
    private readonly options: { mode?: "sync" | "reconcile"; locationNames?: Record<string, string>; holdUpTo?: number } = {},
  ) {}

  async add(writes: QuantityToSet[]) {
    this.pending.push(...writes);
    const holdUpTo = Math.max(MAX_INPUT, this.options.holdUpTo ?? MAX_INPUT);
    while (this.pending.length >= holdUpTo) await this.send(this.pending.splice(0, MAX_INPUT));
  }

  async flush() {
    while (this.pending.length > 0) await this.send(this.pending.splice(0, MAX_INPUT));
  }

  private async send(batch: QuantityToSet[]) {
    // What Tandem had written before this batch (recorded anew before each attempt below).
    const writtenBefore = await writtenLevelsOf(this.base.dependentShop, batch.map((q) => q.inventoryItemId));
    await this.logOverrides(batch, writtenBefore);
    for (let attempt = 1; batch.length > 0; attempt++) {
      try {
        await recordWrittenLevels(this.base.dependentShop, batch);
        // A fresh idempotency key per attempt; the gateway resends a lost answer's request under
        // the same key, and Shopify answers it with the write it ran.
        const result = await this.gateway.setInventoryQuantities({
          name: "available",
          reason: "correction",
          referenceDocumentUri: "tandem://sync",
          // No compare-and-set (changeFromQuantity null): a level the store changed meanwhile would
          // be read and set to the same target anyway, at two more requests (ADR 0035).
          quantities: batch.map((q) => ({ inventoryItemId: q.inventoryItemId, locationId: q.locationId, quantity: q.quantity, changeFromQuantity: null })),
        });
        // Shopify's time of this write: a late webhook about an earlier second describes a level it replaced.
        const changedAt = result.inventoryAdjustmentGroup ? wholeSecond(result.inventoryAdjustmentGroup.createdAt) : null;
        if (changedAt !== null) await recordWriteTime(this.base.dependentShop, batch, new Date(changedAt));
        this.written += batch.length;
        await this.logReplaced(batch, replacedLevels(result.inventoryAdjustmentGroup?.changes ?? []), writtenBefore);
        return;
      } catch (error) {
        if (!(error instanceof ShopifyUserErrors) || attempt > 4) throw error;
        // Not stocked there since it was read (2026-01 refuses; 2026-10 would stock it, which the
        // read before every write prevents), a location or item deleted meanwhile.
        const rejected = rejectedIndexes(error.userErrors, "ITEM_NOT_STOCKED_AT_LOCATION", "INVALID_LOCATION", "INVALID_INVENTORY_ITEM");
        if (rejected.size > 0) {
          await this.notStocked(batch.filter((_, index) => rejected.has(index)));
          batch = batch.filter((_, index) => !rejected.has(index));
          continue;
        }
        // A refusal whose answer was lost comes back, on the resend, as this key's failed attempt:
        // the next attempt, under a new key, gets the refusal itself.
        if (!error.hasCode(PREVIOUS_ATTEMPT_FAILED_CODE)) throw error;
      }
    }
  }

  /**
   * Levels whose value before the write (from Shopify's answer) was not the base Tandem planned
   * from: the store changed them unseen (a sale or an edit whose webhook had not arrived), and the
   * primary's level replaced that change, so the log says so, as for a level read.
   */
  private async logReplaced(batch: QuantityToSet[], before: Map<string, number>, writtenBefore: Map<string, number>) {
    const replaced = batch.flatMap((q) => {
      const found = before.get(writtenLevelKey(q.inventoryItemId, q.locationId));
      // A level already at the quantity written (the store got there on its own) replaced nothing.
      return found !== undefined && found !== q.changeFromQuantity && found !== q.quantity ? [{ ...q, changeFromQuantity: found }] : [];
    });
    this.foundChanged += replaced.length;
    await this.logOverrides(replaced, writtenBefore, { onlyChangedHere: true });
  }

  /** Levels left alone because the item is not stocked at that location in this store: logged, never written. */
  async notStocked(levels: Pick<QuantityToSet, "sku" | "locationId" | "productTitle" | "primaryProductId">[]) {
    if (levels.length === 0) return;
    await this.log(levels.map((q) => ({
      ...this.base, action: "error" as const, productTitle: q.productTitle, primaryProductId: q.primaryProductId, skus: [q.sku], fields: ["quantity"],
      message: text("entry.notStockedHere", { sku: q.sku, location: this.locationName(q.locationId) }),
      fix: text("entry.notStockedHere.fix"),
    })));
  }

  /** Seed 002: stock edited on a dependent is overwritten from the primary, and the log says so. */
  private async logOverrides(batch: QuantityToSet[], written: Map<string, number>, { onlyChangedHere = false } = {}) {
    const reconciling = this.options.mode === "reconcile" && !onlyChangedHere;
    const entries: SyncLogEntry[] = [];
    for (const q of batch) {
      const last = written.get(writtenLevelKey(q.inventoryItemId, q.locationId));
      const changedHere = q.changeFromQuantity !== null && last !== undefined && last !== q.changeFromQuantity;
      if (!changedHere && !reconciling) continue;
      const where = this.locationName(q.locationId);
      entries.push({
        ...this.base, action: "stock", productTitle: q.productTitle, primaryProductId: q.primaryProductId, skus: [q.sku], fields: ["quantity"],
        message: changedHere
          ? text("entry.stockOverridden", { sku: q.sku, location: where, before: last, found: q.changeFromQuantity!, quantity: q.quantity })
          : text("entry.stockRepaired", { sku: q.sku, location: where, found: q.changeFromQuantity ?? "", quantity: q.quantity }),
      });
    }
    if (entries.length > 0) await this.log(entries);
  }

  private locationName(locationId: string): string {
    return this.options.locationNames?.[locationId] ?? locationId;
  }
}

/**
 * Each written level's quantity before the write, from the answer's changes of "available"
 * (after − delta), by item and location. A level the write did not change is absent: it already
 * had the quantity written.
 */
function replacedLevels(changes: InventoryAdjustedChange[]): Map<string, number> {
  const before = new Map<string, number>();
  for (const change of changes) {
    if (change.name !== "available" || change.quantityAfterChange === null || !change.item || !change.location) continue;
    before.set(writtenLevelKey(change.item.id, change.location.id), change.quantityAfterChange - change.delta);
  }
  return before;
}

/** The positions in a write's `quantities` that Shopify refused with one of these codes. */
export function rejectedIndexes(userErrors: UserError[], ...codes: string[]): Set<number> {
  const indexes = new Set<number>();
  for (const error of userErrors) {
    if (!error.code || !codes.includes(error.code)) continue;
    const position = error.field?.findIndex((part) => part === "quantities");
    const index = position !== undefined && position >= 0 ? Number(error.field?.[position + 1]) : Number.NaN;
    if (Number.isInteger(index)) indexes.add(index);
  }
  return indexes;
}

type WrittenVariant = { id: string; sku: string | null; inventoryItem: { id: string } };

export type ApplyOutcome = { action: ProductPlan["action"] | "failed" | "over-plan-limit"; dependentProductId: string | null };

/** What a product write did: the dependent product and its variants, or Shopify's refusal. */
export type ProductWriteResult = { ok: true; dependentProductId: string | null; variants: WrittenVariant[] } | { ok: false; error: ShopifyUserErrors };

export type ProductPlanArgs = {
  context: PairContext;
  plan: ProductPlan;
  primary: CatalogueProduct;
  dependent: CatalogueProduct | null;
  /** Whether the product is already linked in this dependent (linked products keep syncing at the limit). */
  linked: boolean;
  createdByTandem: boolean;
  jobId: string;
  inventory: InventoryWriter;
  logger: Logger;
};

function logBase({ context, primary, jobId }: ProductPlanArgs) {
  return { primaryShop: context.primaryShop, dependentShop: context.dependentShop, jobId, productTitle: primary.title, primaryProductId: primary.id };
}

function noteEntries(args: ProductPlanArgs, dependentProductId: string | null): SyncLogEntry[] {
  return args.plan.notes.map((note) => ({ ...logBase(args), dependentProductId, action: note.action, skus: note.skus, message: note.message, fix: note.fix }));
}

/**
 * Applies one product's plan to the dependent: the product write, then links (at once, so a crash
 * cannot lead to a duplicate create), then stock through the writer, then the sync log.
 */
export async function applyProductPlan(args: ProductPlanArgs): Promise<ApplyOutcome> {
  return (await holdProductPlan(args)) ?? (await finishProductPlans([await retryWithoutTakenHandle(args, await writeProductDirectly(args))]))[0];
}

/**
 * A write Shopify refused because the handle it names is another product's in this store
 * (HANDLE_NOT_UNIQUE, 2025-01+) is written again without it: the copy keeps the handle it has or
 * gets one made from its title, and the log says why. Any other result stands as it is.
 */
export async function retryWithoutTakenHandle(args: ProductPlanArgs, written: ProductWriteResult): Promise<[ProductPlanArgs, ProductWriteResult]> {
  const handle = args.plan.productSet?.handle;
  if (written.ok || typeof handle !== "string" || !written.error.userErrors.some((error) => error.code === "HANDLE_NOT_UNIQUE")) return [args, written];
  const { handle: _taken, ...productSet } = args.plan.productSet!;
  const plan: ProductPlan = {
    ...args.plan, productSet, changedFields: args.plan.changedFields.filter((field) => field !== "handle"),
    notes: [...args.plan.notes, { action: "skipped", message: text("entry.handleTaken", { title: args.primary.title, handle }), fix: text("entry.handleTaken.fix"), skus: [] }],
  };
  const retry = { ...args, plan };
  return [retry, await writeProductDirectly(retry)];
}

/**
 * A plan that must not write (a skip, or a new product over the plan's limit) ends here, logged;
 * null lets it go ahead. `alsoLinking`: products not linked yet whose writes are queued with this
 * one (a bulk write), which count towards the limit.
 */
export async function holdProductPlan(args: ProductPlanArgs, { alsoLinking = 0 } = {}): Promise<ApplyOutcome | null> {
  const { context, plan, dependent, linked } = args;
  const entries = noteEntries(args, dependent?.id ?? null);
  if (plan.action === "skip") {
    await writeSyncLog(entries);
    return { action: "skip", dependentProductId: dependent?.id ?? null };
  }
  if (!linked && context.productLimit && (await linkedProductCount(context.primaryShop, context.dependentShop)) + alsoLinking >= context.productLimit.limit) {
    const { limit, shop, planName } = context.productLimit;
    entries.push({
      ...logBase(args), dependentProductId: dependent?.id ?? null, action: "skipped", skus: plan.syncedSkus,
      message: text("entry.overPlanLimit", { limit, shop, plan: planName }),
      fix: text("entry.overPlanLimit.fix", { shop }),
    });
    await writeSyncLog(entries);
    return { action: "over-plan-limit", dependentProductId: dependent?.id ?? null };
  }
  return null;
}

/**
 * PRODUCT_SET's variables for a plan. A create names the primary product as the new product's
 * custom ID and upserts by it: sent again after a lost answer (by the gateway, a retried job or a
 * resumed Sync all) it updates the product the first one made, where a search by SKU may not list
 * that product yet. Call ensureProductSetCustomIds first.
 */
export function productSetVariables(plan: ProductPlan, primary: CatalogueProduct): { input: Record<string, unknown>; identifier?: { customId: ReturnType<typeof customId> } } {
  if (plan.action !== "create" || !plan.productSet) return { input: plan.productSet ?? {} };
  return {
    input: { ...plan.productSet, metafields: [...((plan.productSet.metafields as object[] | undefined) ?? []), customIdMetafield(PRIMARY_PRODUCT_ID, primary.id)] },
    identifier: { customId: customId(PRIMARY_PRODUCT_ID, primary.id) },
  };
}

/** The dependent's definition of the custom ID its creates carry, when some of these plans create. */
export async function ensureProductSetCustomIds(gateway: AdminGateway, plans: ProductPlan[]) {
  if (plans.some((plan) => plan.action === "create" && plan.productSet)) await ensureCustomIdDefinition(gateway, PRIMARY_PRODUCT_ID);
}

async function writeProductDirectly(args: ProductPlanArgs): Promise<ProductWriteResult> {
  try {
    return await writeProductOnce(args);
  } catch (error) {
    // Shopify refuses the write for now (a store past 50,000 variants creates 1,000 a day): the job
    // waits for Retry-After without spending an attempt, and the log says why this product waits.
    if (error instanceof ShopifyResourceLimitError) {
      const { context, primary, jobId } = args;
      await writeSyncLog([{
        primaryShop: context.primaryShop, dependentShop: context.dependentShop, jobId, action: "skipped", primaryProductId: primary.id, productTitle: primary.title,
        skus: productSkus(primary), message: text("entry.writeLimited", { title: primary.title, shop: context.dependentShop, detail: error.detail, hours: Math.ceil(error.retryAfterMs / 3_600_000) }),
        fix: text("entry.writeLimited.fix"),
      }]);
    }
    throw error;
  }
}

async function writeProductOnce({ context, plan, primary, dependent, logger }: ProductPlanArgs): Promise<ProductWriteResult> {
  let dependentProductId = dependent?.id ?? null;
  let variants: WrittenVariant[] = dependent ? dependent.variants.map((v) => ({ id: v.id, sku: v.sku, inventoryItem: { id: v.inventoryItemId } })) : [];
  try {
    if (plan.productSet) {
      await ensureProductSetCustomIds(context.dependent, [plan]);
      // A create upserts by its custom ID, so it can be sent again like any write (productSetVariables).
      const payload = await context.dependent.mutate<ProductSetPayload>(PRODUCT_SET, productSetVariables(plan, primary), "productSet");
      dependentProductId = payload.product!.id;
      // Over 250 variants: the answer holds the first 250, the rest are read.
      await readRestOfList(context.dependent, payload.product!, "variants");
      variants = payload.product!.variants.nodes;
    }
    for (let i = 0; i < plan.priceUpdates.length; i += MAX_INPUT) {
      await context.dependent.mutate(VARIANTS_BULK_UPDATE, { productId: dependentProductId, variants: plan.priceUpdates.slice(i, i + MAX_INPUT) }, "productVariantsBulkUpdate");
    }
  } catch (error) {
    if (!(error instanceof ShopifyUserErrors)) throw error;
    forgetCustomIdDefinitionsAfter(context.dependent, error);
    logger.warn({ err: error, product: primary.id }, "Shopify refused a product write");
    return { ok: false, error };
  }
  return { ok: true, dependentProductId, variants };
}

type ProductSetPayload = {
  product: { id: string; variants: { nodes: WrittenVariant[]; pageInfo?: { hasNextPage: boolean; endCursor: string | null } } } | null;
  userErrors: UserError[];
};

/**
 * The results of a bulk productSet (PRODUCT_SET run once per line) by input line. A line Shopify
 * refused, or could not run, becomes a refusal with its messages.
 */
export async function productSetResults(gateway: AdminGateway, url: string | null): Promise<Map<number, ProductWriteResult>> {
  const results = new Map<number, ProductWriteResult>();
  if (!url) return results;
  for await (const line of streamJsonl(url)) {
    const lineNumber = Number(line.__lineNumber);
    const payload = (line.data as { productSet?: ProductSetPayload } | null)?.productSet;
    const errors = (line.errors as { message: string }[] | undefined) ?? [];
    if (payload?.product && payload.userErrors.length === 0) {
      await readRestOfList(gateway, payload.product, "variants");
      results.set(lineNumber, { ok: true, dependentProductId: payload.product.id, variants: payload.product.variants.nodes });
    } else {
      const userErrors = payload?.userErrors.length ? payload.userErrors : errors.map((e) => ({ field: null, message: e.message }));
      results.set(lineNumber, { ok: false, error: new ShopifyUserErrors("productSet", userErrors.length ? userErrors : [{ field: null, message: "no result" }]) });
    }
  }
  return results;
}

/** Pairs a primary product's variants with the dependent's written variants by SKU. */
export function variantPairs(primary: CatalogueProduct, skus: string[], written: WrittenVariant[]): VariantPair[] {
  const dependentBySku = new Map(written.filter((v) => v.sku).map((v) => [v.sku!.trim(), v]));
  return skus.flatMap((sku) => {
    const primaryVariant = primary.variants.find((v) => v.sku === sku);
    const dependentVariant = dependentBySku.get(sku);
    return primaryVariant && dependentVariant
      ? [{ sku, primaryVariantId: primaryVariant.id, primaryInventoryItemId: primaryVariant.inventoryItemId, dependentVariantId: dependentVariant.id, dependentInventoryItemId: dependentVariant.inventoryItem.id }]
      : [];
  });
}

/**
 * After product writes (one direct, or a bulk write's): links, then stock through the writer, then
 * the sync log. Links of all of them are saved together, and their log entries written together,
 * so that a batch of a Sync all costs a few statements rather than a few per product (ADR 0018).
 */
export async function finishProductPlans(writes: [ProductPlanArgs, ProductWriteResult][]): Promise<ApplyOutcome[]> {
  const entries: SyncLogEntry[] = [];
  const links: ProductLinkInput[] = [];
  const stock: { args: ProductPlanArgs; written: Extract<ProductWriteResult, { ok: true }> }[] = [];
  const outcomes: ApplyOutcome[] = writes.map(([args, written]) => {
    const { context, plan, primary, dependent, createdByTandem } = args;
    const base = logBase(args);
    if (!written.ok) {
      const dependentProductId = dependent?.id ?? null;
      entries.push(...noteEntries(args, dependentProductId), {
        ...base, dependentProductId, action: "error", skus: plan.syncedSkus, fields: plan.changedFields,
        message: text("entry.refused", { title: primary.title, reason: written.error.userErrors.map((e) => e.message).join("; ") }),
        fix: text("entry.refused.fix"),
      });
      return { action: "failed", dependentProductId };
    }
    const { dependentProductId, variants } = written;
    entries.push(...noteEntries(args, dependentProductId));
    const pairs = variantPairs(primary, plan.syncedSkus, variants);
    if (dependentProductId) {
      links.push({
        primaryShop: context.primaryShop, dependentShop: context.dependentShop, primaryProductId: primary.id, dependentProductId,
        createdByTandem, primaryStatus: primary.status, primaryImages: plan.primaryImages, primaryTitle: primary.title, variants: pairs,
      });
    }
    stock.push({ args, written });
    if (plan.action === "create" || plan.action === "update") {
      entries.push({
        ...base, dependentProductId, action: plan.action === "create" ? "created" : "updated", skus: plan.syncedSkus, fields: plan.changedFields,
        message: plan.action === "create"
          ? text("entry.created", { title: primary.title, variants: pairs.length, draft: plan.productSet?.status === "DRAFT" ? 1 : 0 })
          : plan.keptFields.length > 0
            ? text("entry.updatedKeeping", { title: primary.title, fields: plan.changedFields.join(", "), kept: plan.keptFields.join(", ") })
            : text("entry.updated", { title: primary.title, fields: plan.changedFields.join(", ") }),
      });
    }
    return { action: plan.action, dependentProductId };
  });
  await saveProductLinks(links);
  for (const primaryShop of new Set(links.map((link) => link.primaryShop))) {
    await rebalanceAfterSync(primaryShop, links.filter((link) => link.primaryShop === primaryShop).flatMap((link) => link.variants.map((pair) => pair.primaryInventoryItemId)));
  }
  for (const { args: { plan, primary, inventory }, written } of stock) {
    const dependentBySku = new Map(written.variants.filter((v) => v.sku).map((v) => [v.sku!.trim(), v]));
    await inventory.add(plan.quantities.flatMap((q) => {
      const target = dependentBySku.get(q.sku);
      return target ? [{ inventoryItemId: target.inventoryItem.id, locationId: q.locationId, quantity: q.quantity, changeFromQuantity: q.changeFromQuantity, sku: q.sku, productTitle: primary.title, primaryProductId: primary.id }] : [];
    }));
    await inventory.notStocked(plan.unstocked.map((level) => ({ ...level, productTitle: primary.title, primaryProductId: primary.id })));
  }
  await writeSyncLog(entries);
  return outcomes;
}
