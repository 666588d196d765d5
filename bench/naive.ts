// The baseline of `npm run bench -- cost`: how the open-source sync apps copy a catalogue. One
// query per variant to find it by SKU in the other store, one mutation per field that changed
// (a price, each location's quantity), products read one by one. Same simulator, same limits.
import type { AdminGateway } from "../app/shopify/gateway.server";

export const NAIVE_DOCUMENTS = {
  PRODUCT_IDS: `#graphql
    query NaiveProductIds($after: String) {
      products(first: 250, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } }
    }
  `,
  PRODUCT: `#graphql
    query NaiveProduct($id: ID!) {
      product(id: $id) {
        id title status
        variants(first: 10) {
          nodes {
            id sku price
            inventoryItem { id inventoryLevels(first: 5) { nodes { location { id name } quantities(names: ["available"]) { quantity } } } }
          }
        }
      }
    }
  `,
  VARIANT_BY_SKU: `#graphql
    query NaiveVariantBySku($query: String!) {
      productVariants(first: 1, query: $query) {
        nodes {
          id price product { id }
          inventoryItem { id inventoryLevels(first: 5) { nodes { location { id name } quantities(names: ["available"]) { quantity } } } }
        }
      }
    }
  `,
  CREATE_PRODUCT: `#graphql
    mutation NaiveCreate($input: ProductSetInput!) {
      productSet(input: $input) {
        product { id variants(first: 10) { nodes { id sku inventoryItem { id } } } }
        userErrors { field message }
      }
    }
  `,
  SET_PRICE: `#graphql
    mutation NaivePrice($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
      productVariantsBulkUpdate(productId: $productId, variants: $variants) { userErrors { field message } }
    }
  `,
  LOCATIONS: `#graphql
    query NaiveLocations { locations(first: 10) { nodes { id name } } }
  `,
};

type Level = { location: { id: string; name: string }; quantities: { quantity: number }[] };
type PrimaryVariant = { id: string; sku: string | null; price: string; inventoryItem: { id: string; inventoryLevels: { nodes: Level[] } } };
type DependentVariant = { id: string; price: string; product: { id: string }; inventoryItem: { id: string; inventoryLevels: { nodes: Level[] } } };

/** Copies every product of `primary` to `dependent` the naive way; returns how many mutations it sent. */
export async function naiveSync(primary: AdminGateway, dependent: AdminGateway): Promise<{ queries: number; mutations: number }> {
  let queries = 0;
  let mutations = 0;
  const { locations } = await dependent.request<{ locations: { nodes: { id: string; name: string }[] } }>(NAIVE_DOCUMENTS.LOCATIONS);
  queries++;
  const locationByName = new Map(locations.nodes.map((l) => [l.name, l.id]));
  // One level per mutation (the gateway writes the version's own inventorySetQuantities).
  const setQuantity = async (inventoryItemId: string, locationId: string, quantity: number) => {
    await dependent.setInventoryQuantities({
      name: "available", reason: "correction", referenceDocumentUri: "naive://sync", quantities: [{ inventoryItemId, locationId, quantity, changeFromQuantity: null }],
    });
    mutations++;
  };
  let after: string | null = null;
  do {
    const page: { products: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string }[] } } = await primary.request(NAIVE_DOCUMENTS.PRODUCT_IDS, { after });
    queries++;
    for (const { id } of page.products.nodes) {
      const { product } = await primary.request<{ product: { title: string; status: string; variants: { nodes: PrimaryVariant[] } } }>(NAIVE_DOCUMENTS.PRODUCT, { id });
      queries++;
      const variants = product.variants.nodes.filter((v) => v.sku);
      const found: (DependentVariant | null)[] = [];
      for (const variant of variants) {
        const { productVariants } = await dependent.request<{ productVariants: { nodes: DependentVariant[] } }>(NAIVE_DOCUMENTS.VARIANT_BY_SKU, { query: `sku:${JSON.stringify(variant.sku)}` });
        queries++;
        found.push(productVariants.nodes[0] ?? null);
      }
      if (found.every((v) => v === null)) {
        const created = await dependent.mutate<{ product: { variants: { nodes: { sku: string; inventoryItem: { id: string } }[] } }; userErrors: [] }>(NAIVE_DOCUMENTS.CREATE_PRODUCT, {
          input: {
            title: product.title, status: product.status,
            productOptions: [{ name: "Title", values: variants.map((v) => ({ name: v.sku! })) }],
            variants: variants.map((v) => ({ optionValues: [{ optionName: "Title", name: v.sku! }], sku: v.sku, price: v.price, inventoryItem: { tracked: true } })),
          },
        }, "productSet");
        mutations++;
        for (const variant of variants) {
          const item = created.product.variants.nodes.find((v) => v.sku === variant.sku)!.inventoryItem.id;
          for (const level of variant.inventoryItem.inventoryLevels.nodes) {
            const locationId = locationByName.get(level.location.name);
            if (locationId) await setQuantity(item, locationId, level.quantities[0].quantity);
          }
        }
        continue;
      }
      for (const [index, variant] of variants.entries()) {
        const target = found[index];
        if (!target) continue;
        if (target.price !== variant.price) {
          await dependent.mutate(NAIVE_DOCUMENTS.SET_PRICE, { productId: target.product.id, variants: [{ id: target.id, price: variant.price }] }, "productVariantsBulkUpdate");
          mutations++;
        }
        for (const level of variant.inventoryItem.inventoryLevels.nodes) {
          const locationId = locationByName.get(level.location.name);
          const current = target.inventoryItem.inventoryLevels.nodes.find((l) => l.location.id === locationId)?.quantities[0].quantity;
          if (locationId && current !== level.quantities[0].quantity) await setQuantity(target.inventoryItem.id, locationId, level.quantities[0].quantity);
        }
      }
    }
    after = page.products.pageInfo.hasNextPage ? page.products.pageInfo.endCursor : null;
  } while (after);
  return { queries, mutations };
}
