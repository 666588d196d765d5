import { text, type Text } from "../i18n";
import type { CatalogueProduct, CatalogueVariant, ProductStatus, Weight } from "./catalogue";
import { type FieldRules, type ProductField, onCreate, onUpdate } from "./fields";
import { dependentQuantities, type HeldSale, type LocationPlan } from "./locations";
import { type MetafieldPlanInput, planMetafields } from "./metafields";
import type { PriceDecision } from "./pricing";

/** The tag every product Tandem creates carries, so merchants can find them. */
export const TANDEM_TAG = "tandem";

export type SyncSettings = {
  scope: "all" | "matching";
  syncDetails: boolean;
  syncPrice: boolean;
  syncQuantity: boolean;
  publishNewProducts: boolean;
  prices: PriceDecision;
  locations: LocationPlan;
  /** What the dependent takes of each field: always, on first import only, or never (fields.ts). */
  fields: FieldRules;
};

export type LinkState = {
  dependentProductId: string;
  createdByTandem: boolean;
  lastPrimaryStatus: string | null;
  /** imagesFingerprint of the primary's images the dependent's copies were made from; null or absent when not known. */
  lastPrimaryImages?: string | null;
};

export type PlanInput = {
  primary: CatalogueProduct;
  /** The dependent product linked to it, or the one holding its SKUs; null when none. */
  dependent: CatalogueProduct | null;
  link: LinkState | null;
  /** Dependent variant ids Tandem linked before: the ones it may remove when the primary drops them. */
  linkedDependentVariantIds: ReadonlySet<string>;
  settings: SyncSettings;
  duplicateSkus: { primary: ReadonlySet<string>; dependent: ReadonlySet<string> };
  /** SKUs of this product that the dependent holds in another product. */
  skusElsewhere: ReadonlySet<string>;
  /** The dependent's own sales not yet taken from the primary, by SKU. */
  heldSales?: ReadonlyMap<string, HeldSale[]>;
  /**
   * SKUs whose stock a stock push brings instead (variants already linked: the push knows both
   * stores' levels without reading them, ADR 0014). Their levels need not be read for the plan.
   */
  stockByPush?: ReadonlySet<string>;
  /** The primary's chosen metafields and what the dependent has of them; absent when none travel. */
  metafields?: MetafieldPlanInput;
};

export type Note = { action: "skipped" | "error"; message: Text; fix: Text; skus: string[] };

export type QuantityWrite = { sku: string; locationId: string; quantity: number; changeFromQuantity: number | null };

/** A dependent location the item is not stocked at: its stock is not written there (the log says so). */
export type UnstockedLevel = { sku: string; locationId: string };

/**
 * The stock writes that bring one dependent variant to the primary's level: per dependent location
 * whose level differs from what the dependent holds now (null: the variant is new, so 0), with that
 * level as the write's base (the log compares Shopify's answer with it: ADR 0035). An item
 * the primary does not track is left alone (seed 003: stock syncs only when tracked). A location
 * the dependent's item is not stocked at gets no write: from 2026-10 Shopify would take it and
 * stock the item there, and only the merchant decides where an item is stocked.
 */
export function quantityWrites(
  primary: Pick<CatalogueVariant, "sku" | "tracked" | "available">,
  dependentAvailable: Record<string, number | null> | null,
  locations: LocationPlan,
  held: readonly HeldSale[] = [],
): { writes: QuantityWrite[]; unstocked: UnstockedLevel[] } {
  const writes: QuantityWrite[] = [];
  const unstocked: UnstockedLevel[] = [];
  if (!primary.tracked || !primary.sku) return { writes, unstocked };
  for (const [locationId, quantity] of Object.entries(dependentQuantities(primary.available, locations, held))) {
    const current = dependentAvailable === null ? 0 : dependentAvailable[locationId];
    if (current === undefined) unstocked.push({ sku: primary.sku, locationId });
    // null: stocked there, its level not known (a push's, ADR 0038): written, the answer says what it was.
    else if (current !== quantity) writes.push({ sku: primary.sku, locationId, quantity, changeFromQuantity: current });
  }
  return { writes, unstocked };
}

export type ProductPlan = {
  primaryProductId: string;
  title: string;
  action: "create" | "update" | "unchanged" | "skip";
  /** Why a product is skipped altogether ("not-in-dependent" is normal in the matching scope). */
  skipReason?: "not-in-dependent" | "no-syncable-variants" | "structure-conflict";
  productSet: Record<string, unknown> | null;
  /** Price-only changes when product details are not synced. */
  priceUpdates: { id: string; price: string; compareAtPrice: string | null }[];
  /** By SKU: the dependent inventory item is known only after a create. */
  quantities: QuantityWrite[];
  /** Levels not written because the dependent's item is not stocked at that location. */
  unstocked: UnstockedLevel[];
  changedFields: string[];
  /** Fields that differ from the primary's and were left as they are by the store's choice (the log names them). */
  keptFields: string[];
  notes: Note[];
  /** SKU → primary variant, for linking after the write. */
  syncedSkus: string[];
  /** imagesFingerprint of the primary's images the dependent's copies come from once this plan is applied (null: not known). */
  primaryImages: string | null;
};

function samePrices(a: { price: string; compareAtPrice: string | null }, b: { price: string; compareAtPrice: string | null }) {
  return Number(a.price) === Number(b.price) && (a.compareAtPrice === null ? null : Number(a.compareAtPrice)) === (b.compareAtPrice === null ? null : Number(b.compareAtPrice));
}

function unusableVariants(input: PlanInput): { usable: CatalogueVariant[]; notes: Note[] } {
  const { primary, duplicateSkus, skusElsewhere } = input;
  const notes: Note[] = [];
  const missing = primary.variants.filter((v) => v.sku === null);
  if (missing.length > 0) {
    notes.push({
      action: "skipped",
      message: text("entry.noSku", { count: missing.length, title: primary.title }),
      fix: text("entry.noSku.fix"),
      skus: [],
    });
  }
  const dupPrimary = primary.variants.filter((v) => v.sku !== null && duplicateSkus.primary.has(v.sku)).map((v) => v.sku!);
  if (dupPrimary.length > 0) {
    notes.push({
      action: "skipped",
      message: text("entry.duplicatePrimarySku", { skus: [...new Set(dupPrimary)].join(", ") }),
      fix: text("entry.duplicatePrimarySku.fix"),
      skus: [...new Set(dupPrimary)],
    });
  }
  const dupDependent = primary.variants.filter((v) => v.sku !== null && !duplicateSkus.primary.has(v.sku) && duplicateSkus.dependent.has(v.sku)).map((v) => v.sku!);
  if (dupDependent.length > 0) {
    notes.push({
      action: "skipped",
      message: text("entry.duplicateDependentSku", { skus: dupDependent.join(", ") }),
      fix: text("entry.duplicateDependentSku.fix"),
      skus: dupDependent,
    });
  }
  const elsewhere = primary.variants.filter((v) => v.sku !== null && skusElsewhere.has(v.sku) && !duplicateSkus.dependent.has(v.sku)).map((v) => v.sku!);
  if (elsewhere.length > 0) {
    notes.push({
      action: "skipped",
      message: text("entry.skuElsewhere", { skus: elsewhere.join(", "), title: primary.title }),
      fix: text("entry.skuElsewhere.fix"),
      skus: elsewhere,
    });
  }
  const usable = primary.variants.filter(
    (v) => v.sku !== null && !duplicateSkus.primary.has(v.sku) && !duplicateSkus.dependent.has(v.sku) && !skusElsewhere.has(v.sku),
  );
  return { usable, notes };
}

function optionValuesInput(names: string[], values: string[]) {
  return names.map((optionName, index) => ({ optionName, name: values[index] }));
}

function productOptionsInput(names: string[], variants: { options: string[] }[]) {
  return names.map((name, index) => ({
    name,
    position: index + 1,
    values: [...new Set(variants.map((v) => v.options[index]))].map((value) => ({ name: value })),
  }));
}

/**
 * A short fingerprint of a product's images (URLs, alt texts, order) for telling whether the
 * primary's images changed since the dependent's copies were made. Shopify serves each store's
 * copies from its own CDN URLs, so the dependent's URLs never equal the primary's (sim/README.md,
 * "Media"). Two 32-bit hashes: a collision would miss about one change in 2^64.
 */
export function imagesFingerprint(images: CatalogueProduct["images"]): string {
  const text = images.map((image) => `${image.url}\u0000${image.alt}`).join("\u0001");
  // FNV-1a's offset and prime for one half, MurmurHash2's seed and multiplier for the other.
  let first = 0x811c9dc5;
  let second = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995);
    second ^= second >>> 15;
  }
  const hex = (value: number) => (value >>> 0).toString(16).padStart(8, "0");
  return `${images.length}:${hex(first)}${hex(second)}`;
}

function filesInput(images: CatalogueProduct["images"]) {
  return images.map((image) => ({ originalSource: image.url, alt: image.alt, contentType: "IMAGE" }));
}

/**
 * What to do to one dependent product so it matches its primary product under the dependent's
 * preferences. Pure: the job reads both stores, calls this, then applies the plan.
 */
export function planProductSync(input: PlanInput): ProductPlan {
  const { primary, dependent, settings, link } = input;
  const { usable, notes } = unusableVariants(input);
  const plan: ProductPlan = {
    primaryProductId: primary.id, title: primary.title, action: "unchanged", productSet: null, priceUpdates: [], quantities: [], unstocked: [],
    changedFields: [], keptFields: [], notes, syncedSkus: usable.map((v) => v.sku!), primaryImages: link?.lastPrimaryImages ?? null,
  };
  if (settings.syncPrice && !settings.prices.sync) {
    notes.push({ action: "skipped", message: settings.prices.reason, fix: settings.prices.fix, skus: [] });
  }
  if (usable.length === 0) return { ...plan, action: "skip", skipReason: "no-syncable-variants", syncedSkus: [] };
  const prices = settings.syncPrice && settings.prices.sync ? settings.prices : null;
  const rules = settings.fields;
  const priceOf = (variant: CatalogueVariant) => ({
    price: prices ? prices.convert(variant.price) : "0.00",
    compareAtPrice: prices && variant.compareAtPrice !== null ? prices.convert(variant.compareAtPrice) : null,
  });
  /** Whether a variant takes the primary's value of a field: a new one (existing null) on creation, one it has on every sync. */
  const takes = (field: ProductField, existing: CatalogueVariant | null) => (existing ? onUpdate(rules, field) : onCreate(rules, field));
  /** The price a variant gets, with its compare-at price as the store chose: the primary's, or the one it has (none for a new one). */
  const priceFor = (variant: CatalogueVariant, existing: CatalogueVariant | null) => {
    const primaryPrice = priceOf(variant);
    return takes("compareAtPrice", existing) ? primaryPrice : { price: primaryPrice.price, compareAtPrice: existing?.compareAtPrice ?? null };
  };
  const barcodeFor = (variant: CatalogueVariant, existing: CatalogueVariant | null) =>
    takes("barcode", existing) && (variant.barcode !== null || existing) ? { barcode: variant.barcode ?? "" } : {};
  /** The primary's unit cost in this store's currency; undefined when it has none, or no exchange rate is known. */
  const costOf = (variant: CatalogueVariant) => (variant.unitCost == null || !settings.prices.sync ? undefined : settings.prices.convertCost(variant.unitCost));
  /** Inventory policy, tracking, unit cost and weight of a variant's write, as the store chose. */
  const variantDetails = (variant: CatalogueVariant, existing: CatalogueVariant | null) => {
    const cost = takes("unitCost", existing) ? costOf(variant) : undefined;
    const weight = takes("weight", existing) ? variant.weight : undefined;
    return {
      ...(takes("inventoryPolicy", existing) && variant.inventoryPolicy ? { inventoryPolicy: variant.inventoryPolicy } : {}),
      inventoryItem: { tracked: variant.tracked, ...(cost !== undefined ? { cost } : {}), ...(weight ? { measurement: { weight } } : {}) },
    };
  };
  const optionNames = primary.options.map((o) => o.name);
  const metafields = input.metafields && settings.syncDetails ? planMetafields(input.metafields, primary.title) : { writes: [], notes: [] };
  for (const note of metafields.notes) notes.push({ action: "skipped", ...note, skus: [] });

  if (!dependent) {
    if (settings.scope === "matching") return { ...plan, action: "skip", skipReason: "not-in-dependent", notes: [], syncedSkus: [] };
    plan.action = "create";
    const withImages = onCreate(rules, "images") && primary.images.length > 0;
    plan.primaryImages = withImages ? imagesFingerprint(primary.images) : null;
    // Named as sent: an empty vendor is not sent (Shopify gives the store's name).
    const withSeo = onCreate(rules, "seo") && hasSeo(primary.seo);
    const withHandle = onCreate(rules, "handle") && primary.handle !== "";
    const detailFields = (["description", "vendor", "productType", "tags"] as const).filter((field) => onCreate(rules, field) && (field !== "vendor" || primary.vendor !== ""));
    const variants = usable.map((variant) => ({
      optionValues: optionValuesInput(optionNames, variant.options),
      sku: variant.sku,
      ...priceFor(variant, null),
      ...barcodeFor(variant, null),
      ...variantDetails(variant, null),
    }));
    plan.changedFields = [
      "title", ...detailFields, ...(withSeo ? ["seo"] : []), ...(withHandle ? ["handle"] : []), ...(metafields.writes.length > 0 ? ["metafields"] : []), "options", "variants", ...variantFieldsIn(variants),
      ...(withImages ? ["images"] : []), ...(prices ? ["price"] : []), ...(settings.syncQuantity ? ["quantity"] : []),
    ];
    // Without prices the copy arrives at 0.00 (seed 003): never on sale before the merchant prices it.
    const publish = settings.publishNewProducts && prices !== null;
    if (!prices && primary.status !== "ARCHIVED") {
      notes.push({ action: "skipped", message: text("entry.draftWithoutPrices", { title: primary.title }), fix: text("entry.draftWithoutPrices.fix"), skus: [] });
    }
    plan.productSet = {
      title: primary.title,
      ...(onCreate(rules, "description") ? { descriptionHtml: primary.descriptionHtml } : {}),
      ...(onCreate(rules, "vendor") && primary.vendor ? { vendor: primary.vendor } : {}),
      ...(onCreate(rules, "productType") ? { productType: primary.productType } : {}),
      ...(withSeo ? { seo: primary.seo } : {}),
      ...(withHandle ? { handle: primary.handle } : {}),
      status: publish || primary.status === "ARCHIVED" ? primary.status : "DRAFT",
      tags: onCreate(rules, "tags") ? tagsWith(primary.tags, true) : [TANDEM_TAG],
      productOptions: productOptionsInput(optionNames, usable),
      variants,
      ...(withImages ? { files: filesInput(primary.images) } : {}),
      ...(metafields.writes.length > 0 ? { metafields: metafields.writes } : {}),
    };
    if (settings.syncQuantity) {
      for (const variant of usable) plan.quantities.push(...quantityWrites(variant, null, settings.locations, input.heldSales?.get(variant.sku!)).writes);
    }
    return plan;
  }

  const dependentBySku = new Map(dependent.variants.filter((v) => v.sku !== null).map((v) => [v.sku!, v]));
  let matched = usable.map((variant) => ({ primary: variant, dependent: dependentBySku.get(variant.sku!) ?? null }));
  const matchedIds = new Set(matched.flatMap((m) => (m.dependent ? [m.dependent.id] : [])));
  const unmatchedDependent = dependent.variants.filter((v) => !matchedIds.has(v.id));
  const removed = unmatchedDependent.filter((v) => input.linkedDependentVariantIds.has(v.id));
  const dependentOnly = unmatchedDependent.filter((v) => !input.linkedDependentVariantIds.has(v.id));

  if (settings.syncDetails) {
    const changed = new Set<string>();
    const kept = new Set<string>();
    /** A field that differs: changed when the store takes it on every sync, else kept as it is here. */
    const differs = (field: Parameters<typeof onUpdate>[1], name: string = field) => (onUpdate(rules, field) ? changed : kept).add(name);
    if (dependent.title !== primary.title) differs("title");
    if (dependent.descriptionHtml !== primary.descriptionHtml) differs("description");
    if (dependent.vendor !== primary.vendor) differs("vendor");
    if (dependent.productType !== primary.productType) differs("productType");
    if (primary.seo && dependent.seo && (primary.seo.title !== dependent.seo.title || primary.seo.description !== dependent.seo.description)) differs("seo");
    if (primary.handle !== "" && dependent.handle !== primary.handle) differs("handle");
    if (metafields.writes.length > 0) changed.add("metafields");
    const hasTandemTag = dependent.tags.some((tag) => tag.toLowerCase() === TANDEM_TAG);
    const wantedTags = tagsWith(primary.tags, hasTandemTag);
    if (!sameTags(dependent.tags, wantedTags)) differs("tags");
    let wantedStatus = desiredStatus(primary.status, dependent.status, link);
    if (!prices) {
      // Without prices, what Tandem adds is at 0.00 and the merchant prices it here: a copy with a
      // variant at 0.00 is not put on sale, and a copy on sale gets no variant at 0.00.
      const atZero = matched.filter((m) => !m.dependent || Number(m.dependent.price) === 0);
      if (onSale(wantedStatus) && !onSale(dependent.status) && atZero.length > 0) {
        wantedStatus = dependent.status;
        const skus = atZero.map((m) => m.primary.sku!);
        notes.push({ action: "skipped", message: text("entry.notPublishedAtZero", { title: primary.title, skus: skus.join(", ") }), fix: text("entry.notPublishedAtZero.fix"), skus });
      }
      const notAdded = onSale(wantedStatus) ? matched.filter((m) => !m.dependent) : [];
      if (notAdded.length > 0) {
        matched = matched.filter((m) => m.dependent);
        const skus = notAdded.map((m) => m.primary.sku!);
        notes.push({ action: "skipped", message: text("entry.variantNotAddedAtZero", { title: primary.title, skus: skus.join(", ") }), fix: text("entry.variantNotAddedAtZero.fix"), skus });
      }
    }
    if (wantedStatus !== dependent.status) changed.add("status");
    if (matched.some((m) => !m.dependent)) changed.add("variants added");
    if (removed.length > 0) changed.add("variants removed");
    const dependentNames = dependent.options.map((o) => o.name);
    // Option names the store keeps (on first import only) stay, unless the primary's options changed in number.
    const names = !onUpdate(rules, "optionNames") && dependentNames.length === optionNames.length ? dependentNames : optionNames;
    if (dependentNames.join("\u0000") !== optionNames.join("\u0000")) {
      if (names === optionNames) changed.add("options");
      else kept.add("optionNames");
    }
    if (matched.some((m) => m.dependent && m.dependent.options.join("\u0000") !== m.primary.options.join("\u0000"))) changed.add("options");
    if (prices && matched.some((m) => m.dependent && !samePrices(m.dependent, priceFor(m.primary, m.dependent)))) changed.add("price");
    if (prices && !onUpdate(rules, "compareAtPrice") && matched.some((m) => m.dependent && !samePrices(m.dependent, priceOf(m.primary)) && samePrices(m.dependent, priceFor(m.primary, m.dependent)))) kept.add("compareAtPrice");
    if (matched.some((m) => m.dependent && (m.dependent.barcode ?? "") !== (m.primary.barcode ?? ""))) differs("barcode");
    if (matched.some((m) => m.dependent && m.dependent.tracked !== m.primary.tracked)) changed.add("inventory tracking");
    if (matched.some((m) => m.dependent?.inventoryPolicy && m.primary.inventoryPolicy && m.dependent.inventoryPolicy !== m.primary.inventoryPolicy)) differs("inventoryPolicy");
    if (matched.some((m) => m.dependent?.weight && m.primary.weight && !sameWeight(m.dependent.weight, m.primary.weight))) differs("weight");
    if (matched.some((m) => m.dependent && m.dependent.unitCost !== undefined && costOf(m.primary) !== undefined && Number(m.dependent.unitCost) !== Number(costOf(m.primary)))) differs("unitCost");
    // Images travel when they change on the primary (seed 000). The dependent's copies have URLs
    // of their own: compared with what they were made from, or by URL only while that is unknown.
    const primaryImages = imagesFingerprint(primary.images);
    const imagesChanged = link?.lastPrimaryImages
      ? link.lastPrimaryImages !== primaryImages
      : dependent.images.map((i) => i.url).join("\n") !== primary.images.map((i) => i.url).join("\n");
    if (imagesChanged) differs("images");
    const sendImages = imagesChanged && onUpdate(rules, "images");
    const keepable = dependentOnly.length === 0 || dependentNames.join("\u0000") === names.join("\u0000");
    // Sent now, or found unchanged: the copies come from the primary's current images.
    if ((changed.size === 0 || keepable) && (sendImages || !imagesChanged)) plan.primaryImages = primaryImages;
    if (changed.size > 0 && !keepable) {
      notes.push({
        action: "error",
        message: text("entry.notRestructured", { title: primary.title, variants: dependentOnly.map((v) => v.sku ?? v.options.join(" / ")).join(", ") }),
        fix: text("entry.notRestructured.fix"),
        skus: dependentOnly.flatMap((v) => (v.sku ? [v.sku] : [])),
      });
    } else if (changed.size > 0) {
      plan.action = "update";
      plan.changedFields = [...changed];
      plan.keptFields = [...kept];
      const variants = [
        ...matched.map((m) => ({
          ...(m.dependent ? { id: m.dependent.id } : {}),
          optionValues: optionValuesInput(names, m.primary.options),
          sku: m.primary.sku,
          ...(prices ? priceFor(m.primary, m.dependent) : m.dependent ? { price: m.dependent.price, compareAtPrice: m.dependent.compareAtPrice } : priceFor(m.primary, null)),
          ...barcodeFor(m.primary, m.dependent),
          ...variantDetails(m.primary, m.dependent),
        })),
        // Variants this store added itself stay, with their own values (seed 000).
        ...dependentOnly.map((v) => ({ id: v.id, optionValues: optionValuesInput(names, v.options), sku: v.sku, price: v.price, compareAtPrice: v.compareAtPrice })),
      ];
      plan.productSet = {
        id: dependent.id,
        ...(onUpdate(rules, "title") ? { title: primary.title } : {}),
        ...(changed.has("description") ? { descriptionHtml: primary.descriptionHtml } : {}),
        ...(changed.has("vendor") ? { vendor: primary.vendor } : {}),
        ...(changed.has("productType") ? { productType: primary.productType } : {}),
        ...(changed.has("seo") ? { seo: primary.seo } : {}),
        ...(changed.has("handle") ? { handle: primary.handle } : {}),
        ...(changed.has("tags") ? { tags: wantedTags } : {}),
        ...(wantedStatus !== dependent.status ? { status: wantedStatus } : {}),
        productOptions: productOptionsInput(names, [...matched.map((m) => m.primary), ...dependentOnly]),
        variants,
        ...(sendImages ? { files: filesInput(primary.images) } : {}),
        ...(metafields.writes.length > 0 ? { metafields: metafields.writes } : {}),
      };
    }
  }
  if (!plan.productSet && prices) {
    // Details are not synced (or could not be): prices of the variants present in both still are.
    for (const m of matched) {
      if (m.dependent && !samePrices(m.dependent, priceFor(m.primary, m.dependent))) plan.priceUpdates.push({ id: m.dependent.id, ...priceFor(m.primary, m.dependent) });
    }
    if (plan.priceUpdates.length > 0) {
      plan.action = "update";
      plan.changedFields.push("price");
    }
  }
  if (settings.syncQuantity) {
    for (const m of matched) {
      const willExist = m.dependent !== null || plan.productSet !== null;
      if (!willExist || input.stockByPush?.has(m.primary.sku!)) continue;
      const { writes, unstocked } = quantityWrites(m.primary, m.dependent?.available ?? null, settings.locations, input.heldSales?.get(m.primary.sku!));
      plan.quantities.push(...writes);
      plan.unstocked.push(...unstocked);
    }
    if (plan.quantities.length > 0) {
      plan.action = "update";
      plan.changedFields.push("quantity");
    }
  }
  plan.syncedSkus = matched.filter((m) => m.dependent || plan.productSet).map((m) => m.primary.sku!);
  return plan;
}

/** Whether a product has SEO of its own (a listing title or description set). */
function hasSeo(seo: CatalogueProduct["seo"]): seo is { title: string | null; description: string | null } {
  return seo !== undefined && (seo.title !== null || seo.description !== null);
}

function sameWeight(a: Weight, b: Weight): boolean {
  return a.value === b.value && a.unit === b.unit;
}

/** The variant fields beyond options, SKU and prices that a write's variants carry (the log names them). */
function variantFieldsIn(variants: Array<{ inventoryPolicy?: string; inventoryItem: { cost?: string; measurement?: unknown } }>): string[] {
  return [
    ...(variants.some((v) => v.inventoryPolicy !== undefined) ? ["inventoryPolicy"] : []),
    ...(variants.some((v) => v.inventoryItem.measurement !== undefined) ? ["weight"] : []),
    ...(variants.some((v) => v.inventoryItem.cost !== undefined) ? ["unitCost"] : []),
  ];
}

/** A copy's tags: the primary's, and Tandem's own tag where the copy has it (every product Tandem creates does). */
function tagsWith(primaryTags: string[], tandem: boolean): string[] {
  const tags = primaryTags.filter((tag) => tag.toLowerCase() !== TANDEM_TAG);
  return tandem ? [TANDEM_TAG, ...tags] : tags;
}

/** Shopify's tags compare without case or order. */
function sameTags(a: string[], b: string[]): boolean {
  const normal = (tags: string[]) => [...new Set(tags.map((tag) => tag.trim().toLowerCase()))].sort().join("\u0000");
  return normal(a) === normal(b);
}

/** Statuses under which a product is on sale (unlisted: by direct link). */
function onSale(status: ProductStatus): boolean {
  return status === "ACTIVE" || status === "UNLISTED";
}

/**
 * Status follows the primary, except that a product Tandem created stays a draft until the
 * primary's status changes (seed 000: created disabled, then activated from the primary).
 */
export function desiredStatus(primaryStatus: ProductStatus, dependentStatus: ProductStatus, link: LinkState | null): ProductStatus {
  if (primaryStatus === "ARCHIVED") return "ARCHIVED";
  if (link?.createdByTandem && link.lastPrimaryStatus === primaryStatus) return dependentStatus;
  return primaryStatus;
}
