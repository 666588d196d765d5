import {
  DEFAULT_LEVELS_PER_ITEM, INVENTORY_LEVELS, inventoryLevelsPage, ITEM_DETAILS, ITEM_DETAILS_PAGE, ORDERS_FULFILLMENT_LOCATIONS, ORDERS_PER_ROUTING_READ, PRODUCT_FOR_SYNC, PRODUCT_LIST_PAGES, VARIANTS_BY_SKU,
} from "./documents";
import type { AdminGateway } from "./gateway.server";
import { type CatalogueProduct, type CatalogueVariant, itemDetails, levelChangeTimes, parseLevels, parseProduct } from "../sync/catalogue";
import { chunks } from "../sync/chunks";
import { normalizeSku } from "../sync/sku";
import { assignedLocations, type FulfillmentOrderRecord } from "../sync/stock";

type Json = Record<string, unknown>;


export type InventoryItemState = {
  tracked: boolean;
  available: Record<string, number>;
  /** Shopify's time of each level's last change, whole seconds (ms), when the read asked for it. */
  changedAt?: Record<string, number>;
};

/** Shopify's largest page: inventory levels of one item beyond it are not read. */
const MAX_LEVELS = 250;

/**
 * Whether each inventory item is tracked, and its available quantity by location. `locationCount`:
 * the store's number of locations when known (an item has at most one level at each).
 */
export async function readInventoryItems(gateway: AdminGateway, inventoryItemIds: string[], { locationCount }: { locationCount?: number } = {}): Promise<Map<string, InventoryItemState>> {
  const items = new Map<string, InventoryItemState>();
  const levels = Math.min(MAX_LEVELS, Math.max(1, locationCount ?? DEFAULT_LEVELS_PER_ITEM));
  const truncated: string[] = [];
  type LevelsPage = { nodes: Array<{ id: string; tracked: boolean; inventoryLevels: { pageInfo: { hasNextPage: boolean }; nodes: Json[] } } | null> };
  const pages = await gateway.requestInPages<LevelsPage, string>(INVENTORY_LEVELS, [...new Set(inventoryItemIds)], (ids) => ({ ids, levels }), {
    firstPageSize: inventoryLevelsPage(levels),
  });
  for (const node of pages.flatMap((page) => page.nodes)) {
    if (!node) continue;
    items.set(node.id, { tracked: node.tracked !== false, available: parseLevels(node.inventoryLevels.nodes), changedAt: levelChangeTimes(node.inventoryLevels.nodes) });
    if (node.inventoryLevels.pageInfo.hasNextPage) truncated.push(node.id);
  }
  // Stocked at more locations than the store lists (those of fulfillment services are not listed):
  // read again with room for all, rather than leave levels out.
  if (truncated.length > 0 && levels < MAX_LEVELS) for (const [id, item] of await readInventoryItems(gateway, truncated, { locationCount: MAX_LEVELS })) items.set(id, item);
  return items;
}

/** Available quantities by inventory item and location. */
export async function readLevels(gateway: AdminGateway, inventoryItemIds: string[]): Promise<Map<string, Record<string, number>>> {
  const items = await readInventoryItems(gateway, inventoryItemIds);
  return new Map([...items].map(([id, item]) => [id, item.available]));
}

/**
 * One product with its variants and their stock at every location; null when it does not exist.
 * `withLevels: false` leaves the stock out (every variant's `available` empty): a second query,
 * 9 points an item at 2 locations, not needed when the stock comes from elsewhere or not at all.
 */
export async function readProduct(gateway: AdminGateway, id: string, { withLevels = true, withItemDetails = false } = {}): Promise<CatalogueProduct | null> {
  const data = await gateway.request<{ product: Json | null }>(PRODUCT_FOR_SYNC, { id });
  if (!data.product) return null;
  for (const list of ["variants", "media", "collections"] as const) await readRestOfList(gateway, data.product, list);
  const product = parseProduct(data.product);
  if (withItemDetails) await readItemDetails(gateway, product.variants);
  if (!withLevels) return product;
  const levels = await readLevels(gateway, product.variants.map((v) => v.inventoryItemId));
  for (const variant of product.variants) variant.available = levels.get(variant.inventoryItemId) ?? {};
  return product;
}

/**
 * Sets each variant's unit cost and weight (`withItemDetails`): a read of its own, since at 3 points
 * an item it would add 300 to every product read for the few stores whose field rules take them.
 */
async function readItemDetails(gateway: AdminGateway, variants: CatalogueVariant[]) {
  const byItem = new Map(variants.map((variant) => [variant.inventoryItemId, variant]));
  for (const ids of chunks([...byItem.keys()], ITEM_DETAILS_PAGE)) {
    const data = await gateway.request<{ nodes: Array<Json | null> }>(ITEM_DETAILS, { ids });
    for (const node of data.nodes) if (node?.id) Object.assign(byItem.get(String(node.id)) ?? {}, itemDetails(node));
  }
}

type ListPage = { nodes: Json[]; pageInfo?: { hasNextPage: boolean; endCursor: string | null } };

/**
 * Completes one of a product's lists read a page at a time (`product[list]` as a connection with
 * pageInfo): appends every following page's nodes, so that the list is whole.
 */
export async function readRestOfList(gateway: AdminGateway, product: Json, list: keyof typeof PRODUCT_LIST_PAGES) {
  const connection = product[list] as ListPage | undefined;
  if (!connection) return;
  let page: ListPage = connection;
  while (page.pageInfo?.hasNextPage && page.pageInfo.endCursor) {
    const data = await gateway.request<{ product: Json | null }>(PRODUCT_LIST_PAGES[list], { id: product.id, after: page.pageInfo.endCursor });
    // Deleted meanwhile: what was read stands; the next sync sees the deletion.
    if (!data.product) return;
    page = data.product[list] as ListPage;
    connection.nodes.push(...page.nodes);
  }
  connection.pageInfo = page.pageInfo;
}

/**
 * Where Shopify routed each line of these orders (their fulfillment orders' assigned locations), by
 * line item id. A line not yet routed, or past the pages read, is absent.
 */
export async function routedLineLocations(gateway: AdminGateway, orderIds: string[]): Promise<Map<string, string>> {
  const byLine = new Map<string, string>();
  for (const ids of chunks([...new Set(orderIds)], ORDERS_PER_ROUTING_READ)) {
    const data = await gateway.request<{ nodes: Array<{ id?: string; fulfillmentOrders?: { nodes: FulfillmentOrderRecord[] } } | null> }>(ORDERS_FULFILLMENT_LOCATIONS, { ids });
    for (const node of data.nodes) for (const [lineItemId, locationId] of assignedLocations(node?.fulfillmentOrders?.nodes ?? [])) byLine.set(lineItemId, locationId);
  }
  return byLine;
}

export type SkuHolder = { variantId: string; productId: string; inventoryItemId: string };

/** Every variant of the store carrying one of these SKUs (exact, trimmed). */
export async function variantsWithSkus(gateway: AdminGateway, skus: string[]): Promise<Map<string, SkuHolder[]>> {
  const bySku = new Map<string, SkuHolder[]>();
  for (const group of chunks([...new Set(skus)], 50)) {
    const query = group.map((sku) => `sku:${JSON.stringify(sku)}`).join(" OR ");
    const data = await gateway.request<{ productVariants: { nodes: Array<{ id: string; sku: string | null; product: { id: string }; inventoryItem: { id: string } }> } }>(VARIANTS_BY_SKU, { query });
    for (const node of data.productVariants.nodes) {
      const sku = normalizeSku(node.sku);
      // Shopify's search is case-insensitive and tokenised; Tandem matches SKUs exactly.
      if (sku === null || !group.includes(sku)) continue;
      bySku.set(sku, [...(bySku.get(sku) ?? []), { variantId: node.id, productId: node.product.id, inventoryItemId: node.inventoryItem.id }]);
    }
  }
  return bySku;
}
