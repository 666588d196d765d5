import { METAFIELD_DEFINITION_CREATE, PRODUCT_METAFIELD_DEFINITIONS, PRODUCT_METAFIELDS, PRODUCT_METAFIELDS_PAGE } from "./documents";
import { ShopifyUserErrors, type UserError } from "./errors";
import type { AdminGateway } from "./gateway.server";
import type { MetafieldChoice } from "../models/metafieldChoices.server";
import { chunks } from "../sync/chunks";
import { type CatalogueMetafield, metafieldName } from "../sync/metafields";

type DefinitionNode = { namespace: string; key: string; name: string; type: { name: string } };

/** A store's product metafield definitions (every page), by `namespace.key`. */
export async function productMetafieldDefinitions(gateway: AdminGateway): Promise<Map<string, MetafieldChoice>> {
  const definitions = new Map<string, MetafieldChoice>();
  let after: string | null = null;
  do {
    const data: { metafieldDefinitions: { nodes: DefinitionNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await gateway.request(PRODUCT_METAFIELD_DEFINITIONS, { after });
    for (const node of data.metafieldDefinitions.nodes) definitions.set(metafieldName(node), { namespace: node.namespace, key: node.key, name: node.name, type: node.type.name });
    after = data.metafieldDefinitions.pageInfo.hasNextPage ? data.metafieldDefinitions.pageInfo.endCursor : null;
  } while (after);
  return definitions;
}

/** The values of these metafields (`namespace.key`) on these products, by product id; a product not found is absent. */
export async function productMetafields(gateway: AdminGateway, productIds: string[], keys: string[]): Promise<Map<string, CatalogueMetafield[]>> {
  const byProduct = new Map<string, CatalogueMetafield[]>();
  if (keys.length === 0) return byProduct;
  for (const ids of chunks([...new Set(productIds)], PRODUCT_METAFIELDS_PAGE)) {
    const data = await gateway.request<{ nodes: Array<{ id?: string; metafields?: { nodes: CatalogueMetafield[] } } | null> }>(PRODUCT_METAFIELDS, { ids, keys });
    for (const node of data.nodes) if (node?.id) byProduct.set(node.id, node.metafields?.nodes ?? []);
  }
  return byProduct;
}

/**
 * Makes sure a dependent has the chosen definitions: each it lacks is created as the primary has
 * it. Returns those it has with another type (Tandem leaves them, and their values, alone).
 */
export async function ensureProductMetafieldDefinitions(gateway: AdminGateway, chosen: MetafieldChoice[]): Promise<Map<string, { primaryType: string; dependentType: string }>> {
  const existing = await productMetafieldDefinitions(gateway);
  const mismatched = new Map<string, { primaryType: string; dependentType: string }>();
  for (const choice of chosen) {
    const there = existing.get(metafieldName(choice));
    if (there) {
      if (there.type !== choice.type) mismatched.set(metafieldName(choice), { primaryType: choice.type, dependentType: there.type });
      continue;
    }
    try {
      await gateway.mutate<{ userErrors: UserError[] }>(METAFIELD_DEFINITION_CREATE, {
        definition: { ownerType: "PRODUCT", namespace: choice.namespace, key: choice.key, name: choice.name, type: choice.type },
      }, "metafieldDefinitionCreate");
    } catch (error) {
      // Made meanwhile (another job of this store): its type is checked at the next sync.
      if (!(error instanceof ShopifyUserErrors && error.userErrors.every((userError) => userError.code === "TAKEN"))) throw error;
    }
  }
  return mismatched;
}
