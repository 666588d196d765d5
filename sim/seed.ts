import { seededRandom } from "./random";
import type { SimStore } from "./store";
import type { SimWorld } from "./world";

export type SeedOptions = {
  products: number;
  variantsPerProduct?: number;
  seed?: number;
  skuPrefix?: string;
  /** How many variants reuse the SKU of another variant (Shopify allows duplicate SKUs). */
  duplicateSkus?: number;
  /** How many variants have no SKU at all. */
  missingSkus?: number;
  maxQuantity?: number;
  imagesPerProduct?: number;
  status?: "ACTIVE" | "DRAFT";
};

const SIZES = ["XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL"];
const NOUNS = ["Shirt", "Mug", "Poster", "Hoodie", "Cap", "Tote", "Sticker", "Notebook", "Scarf", "Lamp"];
const GROUP_TAGS = Array.from({ length: 10 }, (_, group) => `group-${group}`);
const ADJECTIVES = ["Blue", "Classic", "Organic", "Vintage", "Bold", "Quiet", "Sunny", "Midnight", "Linen", "Copper"];

/**
 * Seeding builds strings by concatenation, which V8 keeps as trees of 32-byte nodes; a copy
 * through a buffer is one flat string, about half the memory (100k-product stores, issue 4).
 */
function flat(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

/**
 * A deterministic catalogue: the same options always give the same products, SKUs, prices and
 * quantities. Seeding is an import, not merchant edits: it fires no webhooks.
 */
export function seedCatalogue(world: SimWorld, store: SimStore, options: SeedOptions) {
  const random = seededRandom(options.seed ?? 1);
  const variantsPerProduct = Math.min(Math.max(options.variantsPerProduct ?? 3, 1), SIZES.length);
  const prefix = options.skuPrefix ?? "TND";
  const locations = [...store.locations.values()].filter((l) => l.isActive);
  const created: number[] = [];
  const skus: Array<{ variantId: number; sku: string }> = [];
  for (let index = 1; index <= options.products; index++) {
    const title = flat(`${ADJECTIVES[index % ADJECTIVES.length]} ${NOUNS[Math.floor(index / ADJECTIVES.length) % NOUNS.length]} ${index}`);
    const number = String(index).padStart(5, "0");
    const sizes = SIZES.slice(0, variantsPerProduct);
    const basePrice = 5 + Math.floor(random() * 9500) / 100;
    const product = world.createProduct(
      store,
      {
        title,
        handle: flat(`seed-${number}`),
        descriptionHtml: flat(`<p>${title}, item ${index} of the seeded catalogue.</p>`),
        vendor: store.name,
        productType: NOUNS[index % NOUNS.length],
        status: options.status ?? "ACTIVE",
        tags: ["seed", GROUP_TAGS[index % GROUP_TAGS.length]],
        options: variantsPerProduct > 1 ? [{ name: "Size", values: sizes }] : undefined,
        images: Array.from({ length: options.imagesPerProduct ?? 1 }, (_, i) => ({ url: flat(`https://cdn.shopify.com/s/files/seed/${number}-${i + 1}.jpg`), alt: flat(`${title} ${i + 1}`) })),
        variants: sizes.map((size, v) => ({
          sku: flat(`${prefix}-${number}-${v + 1}`),
          price: (basePrice + v).toFixed(2),
          compareAtPrice: index % 4 === 0 ? (basePrice + v + 10).toFixed(2) : null,
          options: variantsPerProduct > 1 ? [size] : undefined,
        })),
      },
      { emit: false },
    );
    created.push(product.id);
    for (const variant of store.variantsOf(product)) {
      skus.push({ variantId: variant.id, sku: variant.sku! });
      const item = variant.inventoryItem;
      for (const location of locations) item.levels.get(location.id)!.available = Math.floor(random() * ((options.maxQuantity ?? 50) + 1));
    }
  }
  // Problems on request, spread deterministically over the catalogue.
  const duplicates = Math.min(options.duplicateSkus ?? 0, Math.floor(skus.length / 2));
  for (let i = 0; i < duplicates; i++) {
    const target = skus[skus.length - 1 - i * 2];
    const source = skus[i * 2];
    store.variants.get(target.variantId)!.sku = source.sku;
  }
  const missing = Math.min(options.missingSkus ?? 0, skus.length - duplicates * 2);
  for (let i = 0; i < missing; i++) store.variants.get(skus[1 + i * 2].variantId)!.sku = null;
  return { productIds: created, variants: skus.length };
}
