import { COLLECTION_PRODUCTS_PAGE, COLLECTIONS_PAGE } from "./documents";
import type { AdminGateway } from "./gateway.server";

// Reads of a store's collections (seed 001), page by page.

type PrimaryCollection = { id: string; title: string; handle: string; descriptionHtml: string; sortOrder: string };
type Page<T> = { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** A store's collections in Shopify's id order (the order they were created in). */
export async function* collectionsOf(gateway: AdminGateway): AsyncGenerator<PrimaryCollection> {
  let after: string | null = null;
  do {
    const { collections }: { collections: Page<PrimaryCollection> } = await gateway.request(COLLECTIONS_PAGE, { after });
    yield* collections.nodes;
    after = collections.pageInfo.hasNextPage ? collections.pageInfo.endCursor : null;
  } while (after);
}

/** A collection's title and products in its order, or null when it no longer exists. */
export async function collectionContents(gateway: AdminGateway, id: string): Promise<{ title: string; productIds: string[] } | null> {
  const productIds: string[] = [];
  let title = "";
  let after: string | null = null;
  do {
    const { collection }: { collection: { title: string; products: Page<{ id: string }> } | null } = await gateway.request(COLLECTION_PRODUCTS_PAGE, { id, after });
    if (!collection) return null;
    title = collection.title;
    productIds.push(...collection.products.nodes.map((p) => p.id));
    after = collection.products.pageInfo.hasNextPage ? collection.products.pageInfo.endCursor : null;
  } while (after);
  return { title, productIds };
}
