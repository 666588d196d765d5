import { METAFIELD_DEFINITION_CREATE } from "./documents";
import { ShopifyUserErrors, type UserError } from "./errors";
import type { AdminGateway, RequestOptions } from "./gateway.server";

/**
 * Custom IDs Tandem gives what it creates in a store: `id` metafields in its app-reserved namespace,
 * unique per store (https://shopify.dev/docs/apps/build/metafields/working-with-custom-ids). A
 * product or order is then found by one at once (productByIdentifier, orderByIdentifier, productSet's
 * identifier), where a search (`sku:`, `tag:`) only finds what Shopify's search index holds already:
 * a create whose answer was lost, sent again seconds later, would not see its own product there.
 */
export type CustomIdDefinition = { ownerType: "PRODUCT" | "ORDER"; namespace: string; key: string; name: string; description: string };

/** On a dependent's products Tandem created: the primary product each copies. */
export const PRIMARY_PRODUCT_ID: CustomIdDefinition = {
  ownerType: "PRODUCT", namespace: "$app", key: "primary_product", name: "Tandem primary product", description: "The primary store's product this product is a copy of",
};

/** On the primary's copies of dependents' orders: the order each records. */
export const DEPENDENT_ORDER_ID: CustomIdDefinition = {
  ownerType: "ORDER", namespace: "$app", key: "dependent_order", name: "Tandem dependent order", description: "The dependent store's order this order records",
};

export function customId(definition: CustomIdDefinition, value: string) {
  return { namespace: definition.namespace, key: definition.key, value };
}

export function customIdMetafield(definition: CustomIdDefinition, value: string) {
  return { ...customId(definition, value), type: "id" };
}

/** Stores (and owner types) whose definition this process made or found. */
const defined = new Set<string>();

/**
 * Makes the definition in the store unless this process already did: an `id` metafield needs its
 * definition. One that exists (TAKEN: made earlier, or by another process) is what is wanted.
 */
export async function ensureCustomIdDefinition(gateway: AdminGateway, definition: CustomIdDefinition, options: RequestOptions = {}): Promise<void> {
  const key = `${gateway.shop} ${definition.ownerType} ${definition.key}`;
  if (defined.has(key)) return;
  try {
    await gateway.mutate<{ userErrors: UserError[] }>(METAFIELD_DEFINITION_CREATE, {
      definition: { ownerType: definition.ownerType, namespace: definition.namespace, key: definition.key, name: definition.name, description: definition.description, type: "id" },
    }, "metafieldDefinitionCreate", options);
  } catch (error) {
    if (!(error instanceof ShopifyUserErrors && error.userErrors.every((userError) => userError.code === "TAKEN"))) throw error;
  }
  defined.add(key);
}

/**
 * A write refused over its custom ID's metafield: the definition may be gone from the store since
 * this process made or found it, so the next write makes it again.
 */
export function forgetCustomIdDefinitionsAfter(gateway: AdminGateway, error: unknown) {
  if (!(error instanceof ShopifyUserErrors)) return;
  if (!error.userErrors.some((userError) => userError.code === "INVALID_METAFIELD" || (userError.field ?? []).includes("metafields"))) return;
  for (const key of [...defined]) if (key.startsWith(`${gateway.shop} `)) defined.delete(key);
}
