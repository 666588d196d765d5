import { gid } from "./ids";
import { type SimStore, onHand } from "./store";

/** A store's catalogue, stock and collections as plain data, for equality checks in tests. */
export function snapshotStore(store: SimStore) {
  const locationName = (id: number) => store.locations.get(id)?.name ?? String(id);
  return {
    shop: store.domain,
    currencyCode: store.currencyCode,
    plan: store.plan,
    locations: [...store.locations.values()].map((l) => ({ id: gid("Location", l.id), name: l.name, isPrimary: l.isPrimary })),
    products: [...store.products.values()].map((product) => ({
      id: gid("Product", product.id),
      title: product.title,
      handle: product.handle,
      status: product.status,
      descriptionHtml: product.descriptionHtml,
      vendor: product.vendor,
      productType: product.productType,
      tags: product.tags,
      seo: { title: product.seo?.title ?? null, description: product.seo?.description ?? null },
      metafields: Object.fromEntries([...(product.metafields?.values() ?? [])].map((m) => [`${m.namespace}.${m.key}`, { type: m.type, value: m.value }])),
      options: product.options.map((o) => ({ name: o.name, values: o.values.map((v) => v.name) })),
      images: product.media.map((m) => m.url),
      variants: store.variantsOf(product).map((variant) => {
        const item = variant.inventoryItem;
        return {
          id: gid("ProductVariant", variant.id),
          sku: variant.sku,
          price: variant.price,
          compareAtPrice: variant.compareAtPrice,
          barcode: variant.barcode,
          options: variant.selectedOptions.map((o) => o.value),
          inventoryItemId: gid("InventoryItem", item.id),
          tracked: item.tracked,
          inventoryPolicy: variant.inventoryPolicy ?? "DENY",
          unitCost: item.unitCost ?? null,
          weight: item.weight ?? null,
          quantities: Object.fromEntries(
            item.levels.entriesList().map(([locationId, level]) => [
              locationName(locationId),
              { available: level.available, on_hand: onHand(level), committed: level.committed, reserved: level.reserved },
            ]),
          ),
        };
      }),
    })),
    collections: [...store.collections.values()].map((c) => ({
      id: gid("Collection", c.id),
      title: c.title,
      handle: c.handle,
      productHandles: c.productIds.map((id) => store.products.get(id)?.handle ?? null),
      productTitles: c.productIds.map((id) => store.products.get(id)?.title ?? null),
    })),
    orders: store.orders.size,
    metafieldDefinitions: [...store.metafieldDefinitions.values()].map((d) => ({ ownerType: d.ownerType, namespace: d.namespace, key: d.key, name: d.name, type: d.type })),
  };
}

export type StoreSnapshot = ReturnType<typeof snapshotStore>;
