import { collectionLinksOf } from "../models/collectionLinks.server";
import { dependentVariantIdsOf, productLinksOf } from "../models/links.server";
import { ensureProductMetafieldDefinitions, productMetafields } from "../shopify/metafields.server";
import type { CatalogueProduct } from "../sync/catalogue";
import { type MetafieldPlanInput, metafieldName, referencesToTranslate } from "../sync/metafields";
import type { PairContext } from "./sync-context.server";

/** The dependent's definitions checked (and the missing ones made) once per job, whatever its batches. */
const checkedDefinitions = new WeakMap<PairContext, ReturnType<typeof ensureProductMetafieldDefinitions>>();

/**
 * What planning the chosen metafields of these products needs (issue 36, item 2), by primary
 * product id: both stores' values, the chosen definitions the dependent has with another type, and
 * the dependent's ids for what the references name. Null when no metafield travels to this store.
 */
export async function metafieldPlanInputs(
  context: PairContext,
  pairs: Array<{ primary: CatalogueProduct; dependent: CatalogueProduct | null }>,
): Promise<Map<string, MetafieldPlanInput> | null> {
  if (context.metafields.length === 0 || !context.settings.syncDetails || pairs.length === 0) return null;
  const keys = context.metafields.map(metafieldName);
  const chosen = new Set(keys);
  if (!checkedDefinitions.has(context)) checkedDefinitions.set(context, ensureProductMetafieldDefinitions(context.dependent, context.metafields));
  const [mismatched, primaryValues, dependentValues] = await Promise.all([
    checkedDefinitions.get(context)!,
    productMetafields(context.primary, pairs.map((pair) => pair.primary.id), keys),
    productMetafields(context.dependent, pairs.flatMap((pair) => (pair.dependent ? [pair.dependent.id] : [])), keys),
  ]);
  const translated = await translations(context, referencesToTranslate([...primaryValues.values()].flat(), chosen));
  return new Map(pairs.map(({ primary, dependent }) => [primary.id, {
    chosen, mismatched, translated,
    primary: primaryValues.get(primary.id) ?? [],
    dependent: dependent ? (dependentValues.get(dependent.id) ?? []) : null,
  }]));
}

/** The dependent's product, variant or collection linked to each referenced primary GID; null when none is. */
async function translations(context: PairContext, ids: string[]): Promise<Map<string, string | null>> {
  const ofType = (type: string) => ids.filter((id) => id.startsWith(`gid://shopify/${type}/`));
  const [products, variants, collections] = await Promise.all([
    ofType("Product").length > 0 ? productLinksOf(context.dependentShop, ofType("Product")) : [],
    ofType("ProductVariant").length > 0 ? dependentVariantIdsOf(context.dependentShop, ofType("ProductVariant")) : new Map<string, string>(),
    ofType("Collection").length > 0 ? collectionLinksOf(context.primaryShop, context.dependentShop) : new Map<string, string>(),
  ]);
  const productIds = new Map(products.map((link) => [link.primaryProductId, link.dependentProductId]));
  return new Map(ids.map((id) => [id, productIds.get(id) ?? variants.get(id) ?? collections.get(id) ?? null]));
}
