/**
 * What a dependent takes of each product field (issue 36, item 1): "always" (every sync brings the
 * primary's value), "first" (only when Tandem creates the product) or "never" (the store's own). The
 * defaults are seed 000's rules. Pure: shared by the planner and the settings form.
 */
export const FIELD_CHOICES = ["always", "first", "never"] as const;
export type FieldChoice = (typeof FIELD_CHOICES)[number];

/**
 * The fields a dependent chooses for, by group (product, then variants), with seed 000's default
 * and the choices each allows. A title and option names are required to create a product, so they
 * have no "never". Fields seed 000 does not sync (weight, supplier price) and those Tandem never
 * copied before stores could choose (SEO, handle, inventory policy) default to "never".
 */
export const PRODUCT_FIELDS = {
  title: { group: "product", default: "always", choices: ["always", "first"] },
  description: { group: "product", default: "first", choices: FIELD_CHOICES },
  images: { group: "product", default: "always", choices: FIELD_CHOICES },
  tags: { group: "product", default: "never", choices: FIELD_CHOICES },
  vendor: { group: "product", default: "never", choices: FIELD_CHOICES },
  productType: { group: "product", default: "never", choices: FIELD_CHOICES },
  seo: { group: "product", default: "never", choices: FIELD_CHOICES },
  handle: { group: "product", default: "never", choices: FIELD_CHOICES },
  optionNames: { group: "variants", default: "always", choices: ["always", "first"] },
  barcode: { group: "variants", default: "never", choices: FIELD_CHOICES },
  compareAtPrice: { group: "variants", default: "always", choices: FIELD_CHOICES },
  inventoryPolicy: { group: "variants", default: "never", choices: FIELD_CHOICES },
  weight: { group: "variants", default: "never", choices: FIELD_CHOICES },
  unitCost: { group: "variants", default: "never", choices: FIELD_CHOICES },
} as const satisfies Record<string, { group: "product" | "variants"; default: FieldChoice; choices: readonly FieldChoice[] }>;

export const FIELD_GROUPS = ["product", "variants"] as const;

export type ProductField = keyof typeof PRODUCT_FIELDS;
export type FieldRules = Record<ProductField, FieldChoice>;
export const PRODUCT_FIELD_NAMES = Object.keys(PRODUCT_FIELDS) as ProductField[];

export const DEFAULT_FIELD_RULES: FieldRules = Object.fromEntries(PRODUCT_FIELD_NAMES.map((name) => [name, PRODUCT_FIELDS[name].default])) as FieldRules;

/**
 * The rules a store saved, over the defaults: a field it never chose for, or a choice that field
 * does not allow, keeps its default. Null when the value is not an object of rules at all.
 */
export function fieldRulesFrom(saved: unknown): FieldRules | null {
  if (!saved || typeof saved !== "object" || Array.isArray(saved)) return null;
  const rules = { ...DEFAULT_FIELD_RULES };
  for (const name of PRODUCT_FIELD_NAMES) {
    const choice = (saved as Record<string, unknown>)[name];
    if ((PRODUCT_FIELDS[name].choices as readonly unknown[]).includes(choice)) rules[name] = choice as FieldChoice;
  }
  return rules;
}

/** Rules stored as JSON text; anything unreadable reads as the defaults. */
export function parseFieldRules(json: string | null | undefined): FieldRules {
  try {
    return fieldRulesFrom(JSON.parse(json ?? "{}")) ?? DEFAULT_FIELD_RULES;
  } catch {
    return DEFAULT_FIELD_RULES;
  }
}

/** Whether a product Tandem creates takes the primary's value of this field. */
export const onCreate = (rules: FieldRules, field: ProductField) => rules[field] !== "never";
/** Whether a later sync brings the primary's value of this field. */
export const onUpdate = (rules: FieldRules, field: ProductField) => rules[field] === "always";

/**
 * Whether a sync for this store needs variants' unit cost and weight (read apart: they cost
 * Shopify points on every product read).
 */
export const takesItemDetails = (rules: FieldRules) => rules.unitCost !== "never" || rules.weight !== "never";
