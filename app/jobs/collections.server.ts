import { text } from "../i18n";
import { chunks } from "../sync/chunks";
import { collectionLinksOf, removeCollectionLink, saveCollectionLink } from "../models/collectionLinks.server";
import { linkedDependentProducts, productLinksOf } from "../models/links.server";
import { type SyncLogEntry, writeSyncLog } from "../models/syncLog.server";
import {
  COLLECTION_ADD_PRODUCTS, COLLECTION_CREATE, COLLECTION_REMOVE_PRODUCTS, COLLECTION_UPDATE,
} from "../shopify/documents";
import { ShopifyUserErrors } from "../shopify/errors";
import { collectionContents, collectionsOf } from "../shopify/collection-reader.server";
import type { JobContext } from "./runner.server";
import { type PairContext, loadPairContext } from "../services/sync-context.server";
import { payloadOf } from "./kinds.server";


const MAX_INPUT = 250;

async function inChunks(ids: string[], write: (chunk: string[]) => Promise<unknown>) {
  for (const chunk of chunks(ids, MAX_INPUT)) await write(chunk);
}

export type CollectionCounts = { collectionsCreated: number; collectionsUpdated: number; collectionErrors: number };

/**
 * Copies the primary's collections into the dependent, one way (seed 001): created in the primary's
 * order and unpublished (collectionCreate publishes nowhere), titles kept equal, membership made of
 * the dependent products linked to the primary's members. Products the dependent added to a copied
 * collection itself stay; the dependent's own collections are never touched.
 */
export async function syncCollections(context: PairContext, jobId: string): Promise<CollectionCounts> {
  const { primaryShop, dependentShop } = context;
  const counts: CollectionCounts = { collectionsCreated: 0, collectionsUpdated: 0, collectionErrors: 0 };
  const links = await collectionLinksOf(primaryShop, dependentShop);
  const base = { primaryShop, dependentShop, jobId, primaryProductId: null, dependentProductId: null };

  for await (const collection of collectionsOf(context.primary)) {
    const entries: SyncLogEntry[] = [];
    try {
      const primaryMembers = (await collectionContents(context.primary, collection.id))?.productIds ?? [];
      // The links of this collection's members only: a whole catalogue's would not fit in memory.
      const mirrorOf = new Map((await productLinksOf(dependentShop, primaryMembers)).map((l) => [l.primaryProductId, l.dependentProductId]));
      const desired = primaryMembers.flatMap((id) => (mirrorOf.has(id) ? [mirrorOf.get(id)!] : []));
      let dependentId = links.get(collection.id);
      const existing = dependentId ? await collectionContents(context.dependent, dependentId) : null;
      if (dependentId && !existing) {
        // Deleted in the dependent: made again below, as a product deleted there would be.
        await removeCollectionLink(dependentShop, collection.id);
        dependentId = undefined;
      }
      if (!dependentId || !existing) {
        const created = await context.dependent.mutate<{ collection: { id: string }; userErrors: [] }>(COLLECTION_CREATE, {
          input: { title: collection.title, descriptionHtml: collection.descriptionHtml, sortOrder: collection.sortOrder, products: desired.slice(0, MAX_INPUT) },
        }, "collectionCreate");
        await saveCollectionLink(primaryShop, dependentShop, collection.id, created.collection.id);
        await inChunks(desired.slice(MAX_INPUT), (productIds) => context.dependent.mutate(COLLECTION_ADD_PRODUCTS, { id: created.collection.id, productIds }, "collectionAddProducts"));
        counts.collectionsCreated++;
        entries.push({ ...base, action: "created", productTitle: collection.title, message: text("entry.collectionCreated", { title: collection.title, count: desired.length }) });
        continue;
      }
      const renamed = existing.title !== collection.title;
      if (renamed) {
        await context.dependent.mutate(COLLECTION_UPDATE, { input: { id: dependentId, title: collection.title } }, "collectionUpdate");
      }
      const current = new Set(existing.productIds);
      const wanted = new Set(desired);
      const toAdd = desired.filter((id) => !current.has(id));
      const mirrors = await linkedDependentProducts(dependentShop, existing.productIds.filter((id) => !wanted.has(id)));
      const toRemove = existing.productIds.filter((id) => mirrors.has(id) && !wanted.has(id));
      await inChunks(toAdd, (productIds) => context.dependent.mutate(COLLECTION_ADD_PRODUCTS, { id: dependentId, productIds }, "collectionAddProducts"));
      await inChunks(toRemove, (productIds) => context.dependent.mutate(COLLECTION_REMOVE_PRODUCTS, { id: dependentId, productIds }, "collectionRemoveProducts"));
      if (renamed || toAdd.length || toRemove.length) {
        counts.collectionsUpdated++;
        entries.push({ ...base, action: "updated", productTitle: collection.title, fields: ["collection"], message: text("entry.collectionUpdated", { title: collection.title, renamed: renamed ? 1 : 0, added: toAdd.length, removed: toRemove.length }) });
      }
    } catch (error) {
      if (!(error instanceof ShopifyUserErrors)) throw error;
      counts.collectionErrors++;
      entries.push({
        ...base, action: "error", productTitle: collection.title,
        message: text("entry.collectionFailed", { title: collection.title, reason: error.userErrors.map((e) => e.message).join("; ") }),
        fix: text("entry.collectionFailed.fix"),
      });
    } finally {
      await writeSyncLog(entries);
    }
  }
  return counts;
}

/** A product Tandem just linked joins the copies of the primary collections it is in. */
export async function addToCopiedCollections(context: PairContext, primaryCollectionIds: string[], dependentProductId: string) {
  if (primaryCollectionIds.length === 0) return;
  const links = await collectionLinksOf(context.primaryShop, context.dependentShop);
  for (const primaryId of primaryCollectionIds) {
    const dependentId = links.get(primaryId);
    if (!dependentId) continue;
    try {
      await context.dependent.mutate(COLLECTION_ADD_PRODUCTS, { id: dependentId, productIds: [dependentProductId] }, "collectionAddProducts");
    } catch (error) {
      // The copy was deleted in the dependent: the next Sync all makes it again.
      if (!(error instanceof ShopifyUserErrors)) throw error;
    }
  }
}

/** Job "sync-collections": the primary's collections into one dependent, after a collection webhook. */
export async function syncCollectionsJob({ job }: JobContext) {
  const { primaryShop } = payloadOf("sync-collections", job);
  const context = await loadPairContext(primaryShop, job.lane);
  if (!context.preferences.syncDetails) return { skipped: "product details are not synced to this store" };
  return syncCollections(context, job.id);
}
