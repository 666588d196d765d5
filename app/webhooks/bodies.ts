/**
 * Ids read from webhook bodies as Shopify sends them. Pure. Numeric ids are read from the raw
 * text, not the parsed JSON: they can exceed 2^53, past which JSON.parse rounds them.
 */

/** The numeric id of a products/delete body, read from the raw text: it can exceed 2^53. */
export function productGidFromDeleteBody(raw: string): string | null {
  const digits = /"id"\s*:\s*"?(\d+)/.exec(raw)?.[1];
  return digits ? `gid://shopify/Product/${digits}` : null;
}

/** The location of an inventory_levels/update body, read from the raw text like other numeric ids. */
export function locationGidFromLevel(raw: string): string | null {
  const digits = /"location_id"\s*:\s*(\d+)/.exec(raw)?.[1];
  return digits ? `gid://shopify/Location/${digits}` : null;
}

/** inventory_levels/update carries the level's GID, whose query names the inventory item. */
export function inventoryItemGidFromLevel(payload: { admin_graphql_api_id?: unknown; inventory_item_id?: unknown }, raw: string): string | null {
  const gid = typeof payload.admin_graphql_api_id === "string" ? payload.admin_graphql_api_id : "";
  const fromGid = /inventory_item_id=(\d+)/.exec(gid)?.[1];
  const digits = fromGid ?? /"inventory_item_id"\s*:\s*(\d+)/.exec(raw)?.[1];
  return digits ? `gid://shopify/InventoryItem/${digits}` : null;
}
