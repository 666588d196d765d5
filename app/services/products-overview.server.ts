import { linkStatesOf, productLinkOfDependentProduct } from "../models/links.server";
import { type ExclusionOutcome, exclusionOfDependentProduct, exclusionsOfProducts } from "../models/productExclusions.server";
import { text, type Text, verbatim } from "../i18n";
import { newestProblemsOf, textsOf } from "../models/syncLog.server";
import { ShopifyApiError } from "../shopify/errors";
import { PRODUCT_EXISTS, PRODUCTS_PAGE, PRODUCTS_PAGE_SIZE } from "../shopify/documents";
import { gatewayFor } from "../shopify/gateways.server";
import { connectionsOf } from "./network.server";
import { openStore } from "./sync.server";

export type ProductProblem = { message: Text; fix: Text | null };

/** How one primary product stands in one dependent. */
export type ProductLinkState =
  | { state: "linked"; variants: number; problem: ProductProblem | null }
  | { state: "problem"; problem: ProductProblem }
  | { state: "not-linked" }
  /** Taken out of the sync: by the primary for every store, or by this store for itself. */
  | { state: "excluded"; by: "primary" | "store"; outcome: ExclusionOutcome };

export type ProductOverview = {
  id: string;
  title: string;
  status: string;
  variants: { id: string; title: string; sku: string | null }[];
  byStore: Record<string, ProductLinkState>;
};

export type ProductsOverview =
  | { ok: true; primaryShop: string; stores: string[]; products: ProductOverview[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } }
  | { ok: false; reason: "not-connected" | "unavailable"; message: Text };

type PageData = {
  products: {
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    nodes: { id: string; title: string; status: string; variants: { nodes: { id: string; title: string; sku: string | null }[] } }[];
  };
};

/** The primary whose catalogue a store sees, and the dependents it may see: all of them from the primary, itself from a dependent. */
export async function networkViewOf(shop: string, role: "primary" | "dependent"): Promise<{ primaryShop: string; stores: string[] } | null> {
  const connections = (await connectionsOf(shop)).filter((c) => c.status !== "disconnected");
  const primaryShop = role === "primary" ? shop : connections[0]?.primaryShop;
  if (!primaryShop) return null;
  return { primaryShop, stores: role === "primary" ? [...new Set(connections.map((c) => c.dependentShop))].sort() : [shop] };
}

function problemOf(entry: { message: string; fix: string | null; texts: string | null }): ProductProblem {
  const texts = textsOf(entry.texts);
  return texts ?? { message: verbatim(entry.message), fix: entry.fix ? verbatim(entry.fix) : null };
}

/**
 * Each primary product's state in each of these dependents. A product's problem in a store is the
 * newest skip or error the sync log has for it there since its last successful sync (the planner
 * decides what a problem is; this only reports it).
 */
export async function productStatesOf(primaryShop: string, primaryProductIds: string[], stores: string[]): Promise<Map<string, Record<string, ProductLinkState>>> {
  const [linkOf, newestProblem, exclusions] = await Promise.all([
    linkStatesOf(primaryShop, primaryProductIds, stores), newestProblemsOf(primaryShop, primaryProductIds, stores), exclusionsOfProducts(primaryShop, primaryProductIds),
  ]);
  const exclusionOf = new Map(exclusions.map((exclusion) => [`${exclusion.primaryProductId}|${exclusion.shop}`, exclusion]));
  const states = new Map<string, Record<string, ProductLinkState>>();
  for (const productId of primaryProductIds) {
    const byStore: Record<string, ProductLinkState> = {};
    for (const store of stores) {
      // Shown at once, before the job that releases the copy has run. The primary's choice first.
      const excluded = exclusionOf.get(`${productId}|${primaryShop}`) ?? exclusionOf.get(`${productId}|${store}`);
      if (excluded) {
        byStore[store] = { state: "excluded", by: excluded.shop === primaryShop ? "primary" : "store", outcome: excluded.outcome };
        continue;
      }
      const link = linkOf.get(`${productId}|${store}`);
      const entry = newestProblem.get(`${productId}|${store}`);
      // A problem logged before the last successful sync of the product is over.
      const problem = entry && (!link?.lastSyncedAt || entry.createdAt > link.lastSyncedAt) ? problemOf(entry) : null;
      byStore[store] = link ? { state: "linked", variants: link.variants, problem } : problem ? { state: "problem", problem } : { state: "not-linked" };
    }
    states.set(productId, byStore);
  }
  return states;
}

/** This store's product's title; null when the product is not one of the store's own (an ID token proves the store, not that the product is its). */
export async function productTitleIn(shop: string, productId: string): Promise<string | null> {
  const { product } = await (await gatewayFor(shop)).request<{ product: { id: string; title: string } | null }>(PRODUCT_EXISTS, { id: productId });
  return product?.title ?? null;
}


/**
 * One page of the primary's catalogue (read live, 25 products) with each product's link state in
 * every dependent the asking store may see: the primary sees all its dependents, a dependent only
 * itself.
 */
export async function productsOverview({ shop, role, cursor, direction, sku }: {
  shop: string;
  role: "primary" | "dependent";
  cursor?: string;
  direction: "next" | "previous";
  sku?: string;
}): Promise<ProductsOverview> {
  const network = await networkViewOf(shop, role);
  if (!network) return { ok: false, reason: "not-connected", message: text("products.notConnected") };
  const { primaryShop, stores } = network;

  let data: PageData;
  try {
    const gateway = await gatewayFor(primaryShop);
    const page = direction === "previous" && cursor ? { last: PRODUCTS_PAGE_SIZE, before: cursor } : { first: PRODUCTS_PAGE_SIZE, after: cursor ?? null };
    data = await gateway.request<PageData>(PRODUCTS_PAGE, { ...page, query: sku ? `sku:${JSON.stringify(sku)}` : null });
  } catch (error) {
    if (!(error instanceof ShopifyApiError)) throw error;
    return { ok: false, reason: "unavailable", message: text("products.readFailed", { reason: error.message }) };
  }

  const states = await productStatesOf(primaryShop, data.products.nodes.map((p) => p.id), stores);
  const products = data.products.nodes.map((node): ProductOverview => ({
    id: node.id, title: node.title, status: node.status, variants: node.variants.nodes, byStore: states.get(node.id)!,
  }));
  return { ok: true, primaryShop, stores, products, pageInfo: data.products.pageInfo };
}

/** The primary product behind a product the admin shows, and the stores to report: null when Tandem does not sync it. */
export async function productSubjectOf(shop: string, productId: string) {
  const store = await openStore(shop);
  if (store.role !== "primary" && store.role !== "dependent") return null;
  const network = await networkViewOf(shop, store.role);
  if (!network) return null;
  if (store.role === "primary") return (await productTitleIn(shop, productId)) !== null ? { ...network, role: store.role, primaryProductId: productId } : null;
  // A copy this store unlinked is still its subject: its block says so.
  const link = (await productLinkOfDependentProduct(shop, productId)) ?? (await exclusionOfDependentProduct(shop, productId));
  return link ? { ...network, role: store.role, primaryProductId: link.primaryProductId } : null;
}
