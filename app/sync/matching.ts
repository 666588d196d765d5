/**
 * Which dependent product mirrors a primary product when no link says so: the one holding most of
 * its SKUs (each SKU counted only where it is unique in the dependent). SKUs held by another
 * product are reported, not synced. Pure.
 */
export function chooseDependentProduct(skus: string[], ownersBySku: ReadonlyMap<string, string[]>, linkedProductId: string | null) {
  let productId = linkedProductId;
  if (!productId) {
    const votes = new Map<string, number>();
    for (const sku of skus) {
      const owners = ownersBySku.get(sku) ?? [];
      if (owners.length === 1) votes.set(owners[0], (votes.get(owners[0]) ?? 0) + 1);
    }
    productId = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  }
  const skusElsewhere = new Set(skus.filter((sku) => {
    const owners = ownersBySku.get(sku) ?? [];
    return owners.length === 1 && owners[0] !== productId;
  }));
  return { productId, skusElsewhere };
}
