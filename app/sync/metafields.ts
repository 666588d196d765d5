import { text, type Text } from "../i18n";

/**
 * Product metafields the primary sends to its dependents (issue 36, item 2): the definitions it
 * chose, by namespace and key. Values travel with their type; a reference (to a product, variant
 * or collection) is translated to the dependent's own through Tandem's links. Pure: no I/O.
 */
export type CatalogueMetafield = { namespace: string; key: string; type: string; value: string };

export type MetafieldWrite = CatalogueMetafield;

/** What planning the metafields of one product needs, gathered by the job. */
export type MetafieldPlanInput = {
  /** `namespace.key` of the definitions that travel. */
  chosen: ReadonlySet<string>;
  /** Chosen definitions the dependent has with another type: `namespace.key` → its type there. They are left alone. */
  mismatched: ReadonlyMap<string, { primaryType: string; dependentType: string }>;
  /** The primary product's values of the chosen definitions. */
  primary: readonly CatalogueMetafield[];
  /** The dependent product's values of the chosen definitions; null when the product is new. */
  dependent: readonly CatalogueMetafield[] | null;
  /** A referenced primary GID → the dependent's GID, or null when the target is not linked there. */
  translated: ReadonlyMap<string, string | null>;
};

export type MetafieldNote = { message: Text; fix: Text };

/** Reference types whose values hold GIDs of the store; their `list.` forms hold a JSON array of them. */
const REFERENCE_TYPES = new Set(["product_reference", "variant_reference", "collection_reference"]);

/**
 * Whether values of this type can travel: any but a reference to something Tandem does not copy
 * (metaobjects, files, pages, customers…), whose GIDs would name nothing in the dependent.
 */
export function typeTravels(type: string): boolean {
  const base = type.replace(/^list\./, "");
  return !base.endsWith("_reference") || REFERENCE_TYPES.has(base);
}

export const metafieldName = (metafield: { namespace: string; key: string }) => `${metafield.namespace}.${metafield.key}`;

function isReference(type: string) {
  return REFERENCE_TYPES.has(type.replace(/^list\./, ""));
}

/** The GIDs a reference value names, in order; [] for a value that names none or is not a reference. */
export function referencedIds(metafield: CatalogueMetafield): string[] {
  if (!isReference(metafield.type)) return [];
  if (!metafield.type.startsWith("list.")) return metafield.value ? [metafield.value] : [];
  try {
    const ids: unknown = JSON.parse(metafield.value);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

/** Every GID the chosen reference values of these products name: what the job looks up in the links. */
export function referencesToTranslate(metafields: readonly CatalogueMetafield[], chosen: ReadonlySet<string>): string[] {
  return [...new Set(metafields.filter((m) => chosen.has(metafieldName(m))).flatMap(referencedIds))];
}

/**
 * The metafield writes that bring a dependent product's chosen metafields to the primary's, and
 * notes for what could not travel: a definition of another type in the dependent, or a reference
 * whose target is not linked there (its value is not written: a list cut short would lose what
 * the merchant chose; a later sync writes it once every target is linked). A value the dependent
 * has already is not written again. A value the primary does not have is left as it is.
 */
export function planMetafields(input: MetafieldPlanInput, title: string): { writes: MetafieldWrite[]; notes: MetafieldNote[] } {
  const writes: MetafieldWrite[] = [];
  const notes: MetafieldNote[] = [];
  const existing = new Map((input.dependent ?? []).map((m) => [metafieldName(m), m]));
  for (const metafield of input.primary) {
    const name = metafieldName(metafield);
    if (!input.chosen.has(name)) continue;
    const mismatch = input.mismatched.get(name);
    if (mismatch) {
      notes.push({
        message: text("entry.metafieldTypeMismatch", { title, metafield: name, primaryType: mismatch.primaryType, dependentType: mismatch.dependentType }),
        fix: text("entry.metafieldTypeMismatch.fix", { metafield: name }),
      });
      continue;
    }
    let value = metafield.value;
    const ids = referencedIds(metafield);
    if (ids.length > 0) {
      const missing = ids.filter((id) => !input.translated.get(id));
      if (missing.length > 0) {
        notes.push({ message: text("entry.metafieldReferenceUnlinked", { title, metafield: name, count: missing.length }), fix: text("entry.metafieldReferenceUnlinked.fix") });
        continue;
      }
      const targets = ids.map((id) => input.translated.get(id)!);
      value = metafield.type.startsWith("list.") ? JSON.stringify(targets) : targets[0];
    }
    const current = existing.get(name);
    if (current && current.type === metafield.type && sameValue(current, value)) continue;
    writes.push({ namespace: metafield.namespace, key: metafield.key, type: metafield.type, value });
  }
  return { writes, notes };
}

/** JSON values (lists, rich text, dimensions…) compare as data: Shopify may space them otherwise than they were sent. */
function sameValue(current: CatalogueMetafield, value: string): boolean {
  if (current.value === value) return true;
  try {
    return JSON.stringify(JSON.parse(current.value)) === JSON.stringify(JSON.parse(value));
  } catch {
    return false;
  }
}
