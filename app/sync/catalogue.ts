/**
 * A store's products as the sync planner sees them, parsed from Admin API answers (a product
 * query or the lines of a bulk export). Pure: no I/O.
 */
export type ProductStatus = "ACTIVE" | "DRAFT" | "ARCHIVED" | "UNLISTED";

export type InventoryPolicy = "DENY" | "CONTINUE";
export type Weight = { value: number; unit: "GRAMS" | "KILOGRAMS" | "OUNCES" | "POUNDS" };

export type CatalogueVariant = {
  id: string;
  /** Trimmed; null when the variant has none. */
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  barcode: string | null;
  position: number;
  /** Option values in the product's option order. */
  options: string[];
  inventoryItemId: string;
  tracked: boolean;
  /** Whether it sells when out of stock; absent when not read. */
  inventoryPolicy?: InventoryPolicy;
  /** Unit cost in the store's currency (null: none set); absent when the item's details were not read. */
  unitCost?: string | null;
  /** Absent when the item's details were not read. */
  weight?: Weight;
  /** Available quantity by location id, when read. */
  available: Record<string, number>;
  /** Shopify's time of each level's last change (whole seconds, ms), when the read asked for it. */
  changedAt?: Record<string, number>;
};

export type CatalogueProduct = {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  /** The search engine listing (null: Shopify uses the title or description); absent when not read. */
  seo?: { title: string | null; description: string | null };
  options: { name: string; values: string[] }[];
  images: { url: string; alt: string }[];
  /** Collections the product is in (read for the primary's selection and collection copies). */
  collectionIds: string[];
  variants: CatalogueVariant[];
};

import { wholeSecond } from "./primaryLevels";
import { normalizeSku } from "./sku";

type Json = Record<string, unknown>;

function nodesOf(connection: unknown): Json[] {
  if (!connection || typeof connection !== "object") return [];
  const value = connection as { nodes?: Json[]; edges?: Array<{ node: Json }> };
  return value.nodes ?? (value.edges ?? []).map((edge) => edge.node);
}

function parseOptions(product: Json): CatalogueProduct["options"] {
  return ((product.options as Json[] | undefined) ?? [])
    .slice()
    .sort((a, b) => Number(a.position) - Number(b.position))
    .map((option) => ({ name: String(option.name), values: ((option.optionValues as Json[] | undefined) ?? []).map((v) => String(v.name)) }));
}

export function parseVariant(variant: Json, optionNames: string[]): CatalogueVariant {
  const selected = (variant.selectedOptions as Array<{ name: string; value: string }> | undefined) ?? [];
  const item = (variant.inventoryItem as Json | undefined) ?? {};
  return {
    id: String(variant.id),
    sku: normalizeSku(variant.sku),
    price: String(variant.price ?? "0.00"),
    compareAtPrice: variant.compareAtPrice == null ? null : String(variant.compareAtPrice),
    barcode: variant.barcode == null || variant.barcode === "" ? null : String(variant.barcode),
    position: Number(variant.position ?? 0),
    options: optionNames.map((name) => selected.find((o) => o.name === name)?.value ?? ""),
    inventoryItemId: String(item.id ?? ""),
    tracked: item.tracked !== false,
    ...(variant.inventoryPolicy !== undefined ? { inventoryPolicy: variant.inventoryPolicy === "CONTINUE" ? "CONTINUE" : "DENY" } : {}),
    ...itemDetails(item),
    available: {},
  };
}

/** An inventory item's unit cost and weight, when the read asked for them (ITEM_DETAILS or a bulk export). */
export function itemDetails(item: Json): Pick<CatalogueVariant, "unitCost" | "weight"> {
  const details: Pick<CatalogueVariant, "unitCost" | "weight"> = {};
  if ("unitCost" in item) {
    const amount = (item.unitCost as Json | null)?.amount;
    details.unitCost = amount === undefined || amount === null ? null : String(amount);
  }
  const weight = (item.measurement as Json | undefined)?.weight as Json | undefined;
  if (weight) details.weight = { value: Number(weight.value), unit: weight.unit as Weight["unit"] };
  return details;
}

export function parseLevels(levels: Json[]): Record<string, number> {
  const available: Record<string, number> = {};
  for (const level of levels) {
    const location = (level.location as Json | undefined)?.id;
    const quantity = ((level.quantities as Json[] | undefined) ?? []).find((q) => q.name === "available")?.quantity;
    if (location !== undefined && typeof quantity === "number") available[String(location)] = quantity;
  }
  return available;
}

/** Shopify's time of each level's last change (InventoryLevel.updatedAt), whole seconds, by location. */
export function levelChangeTimes(levels: Json[]): Record<string, number> {
  const times: Record<string, number> = {};
  for (const level of levels) {
    const location = (level.location as Json | undefined)?.id;
    const changedAt = typeof level.updatedAt === "string" ? wholeSecond(level.updatedAt) : null;
    if (location !== undefined && changedAt !== null) times[String(location)] = changedAt;
  }
  return times;
}

/** A product node of TandemProduct / TandemProductSet (variants and media as nodes or edges). */
export function parseProduct(product: Json): CatalogueProduct {
  const options = parseOptions(product);
  const names = options.map((o) => o.name);
  return {
    id: String(product.id),
    title: String(product.title ?? ""),
    handle: String(product.handle ?? ""),
    descriptionHtml: String(product.descriptionHtml ?? ""),
    vendor: String(product.vendor ?? ""),
    productType: String(product.productType ?? ""),
    status: (product.status as ProductStatus | undefined) ?? "ACTIVE",
    tags: (product.tags as string[] | undefined) ?? [],
    ...(product.seo ? { seo: { title: ((product.seo as Json).title as string | null) ?? null, description: ((product.seo as Json).description as string | null) ?? null } } : {}),
    options,
    images: nodesOf(product.media).flatMap((media) => {
      const url = (media.image as Json | undefined)?.url;
      return url ? [{ url: String(url), alt: String(media.alt ?? "") }] : [];
    }),
    collectionIds: nodesOf(product.collections).map((collection) => String(collection.id)),
    variants: nodesOf(product.variants)
      .map((variant) => ({ ...parseVariant(variant, names), available: parseLevels(nodesOf((variant.inventoryItem as Json | undefined)?.inventoryLevels)) }))
      .sort((a, b) => a.position - b.position),
  };
}

/** The SKUs of a product's variants that have one (normalized), in variant order. */
export function productSkus(product: CatalogueProduct): string[] {
  return product.variants.flatMap((v) => (v.sku ? [v.sku] : []));
}

/**
 * Reassembles products from a bulk export's JSONL lines of one product (the product line, then
 * lines with __parentId: its variants and media, and the variants' inventory levels).
 */
export function productFromBulkLines(lines: Json[]): CatalogueProduct {
  const root = lines.find((line) => line.__parentId === undefined);
  if (!root) throw new Error("bulk lines without their product line");
  const productId = String(root.id);
  const variants = lines.filter((line) => line.__parentId === productId && String(line.id).includes("/ProductVariant/"));
  const isCollection = (line: Json) => String(line.id ?? "").includes("/Collection/");
  const media = lines.filter((line) => line.__parentId === productId && !String(line.id ?? "").includes("/ProductVariant/") && !isCollection(line));
  const collections = lines.filter((line) => line.__parentId === productId && isCollection(line));
  const levelsByVariant = new Map<string, Json[]>();
  for (const line of lines) {
    const parent = line.__parentId as string | undefined;
    if (parent && parent !== productId) levelsByVariant.set(parent, [...(levelsByVariant.get(parent) ?? []), line]);
  }
  const product = parseProduct({ ...root, variants: { nodes: [] }, media: { nodes: media }, collections: { nodes: collections } });
  const names = product.options.map((o) => o.name);
  product.variants = variants
    .map((variant) => {
      const levels = levelsByVariant.get(String(variant.id)) ?? [];
      return { ...parseVariant(variant, names), available: parseLevels(levels), changedAt: levelChangeTimes(levels) };
    })
    .sort((a, b) => a.position - b.position);
  return product;
}
