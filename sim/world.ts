import crypto from "node:crypto";
import { gidType, parseGid } from "./ids";
import {
  type InventoryPolicy, type ProductStatus, type ShopPlanName, type WeightUnit, type SimLevel, type SimMedia, type SimOption,
  type SimCustomer, type SimLineItem, type SimOrder, type SimProduct, SimStore, type MetafieldOwnerType, type SimMetafield, type SimMetafieldDefinition, resolveNamespace, SimInventoryItem, InventoryItemIndex, type SimVariant, emptyLevel, onHand, selectedOption, selectedOptionList,
} from "./store";

export class SimUserError extends Error {
  constructor(
    readonly code: string | null,
    readonly field: string[] | null,
    message: string,
  ) {
    super(message);
  }
}

export type WebhookTopic =
  | "products/create" | "products/update" | "products/delete"
  | "inventory_levels/update" | "inventory_items/delete"
  | "orders/create" | "orders/paid" | "orders/cancelled" | "refunds/create"
  | "collections/create" | "collections/update"
  | "app/uninstalled" | "app_subscriptions/update" | "bulk_operations/finish"
  | "customers/data_request" | "customers/redact" | "shop/redact";

export type StoreEvent = { store: SimStore; topic: WebhookTopic; payload: Record<string, unknown> };

/** Variants a product may have (all plans, https://shopify.dev/changelog/dynamic-complexity-cost-for-productset-mutation). */
export const MAX_VARIANTS_PER_PRODUCT = 2048;

export type VariantInput = {
  id?: number;
  sku?: string | null;
  price?: string;
  compareAtPrice?: string | null;
  barcode?: string | null;
  taxable?: boolean;
  options?: string[];
  tracked?: boolean;
  inventoryPolicy?: InventoryPolicy;
  /** Unit cost (InventoryItemInput.cost); null clears it. */
  cost?: string | null;
  weight?: { value: number; unit: WeightUnit };
};

export type ProductInput = {
  title?: string;
  handle?: string;
  descriptionHtml?: string;
  vendor?: string;
  productType?: string;
  status?: ProductStatus;
  tags?: string[];
  options?: { name: string; values: string[] }[];
  images?: { url: string; alt?: string }[];
  seo?: { title?: string | null; description?: string | null };
};

const MAX_OPTIONS = 3;

/** Reference metafield types and what each must point at in the same store (list types hold several). */
const REFERENCE_TARGETS: Record<string, { type: string; name: string; exists: (store: SimStore, id: number | null) => boolean }> = {
  product_reference: { type: "Product", name: "a product", exists: (store, id) => id !== null && store.products.has(id) },
  variant_reference: { type: "ProductVariant", name: "a variant", exists: (store, id) => id !== null && store.variants.has(id) },
  collection_reference: { type: "Collection", name: "a collection", exists: (store, id) => id !== null && store.collections.has(id) },
};

function handleize(text: string) {
  return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "product";
}

/** All simulated stores and the operations on them; every change emits the webhooks Shopify would. */
export class SimWorld {
  readonly stores = new Map<string, SimStore>();
  private nextId = 1000;
  private listeners: Array<(event: StoreEvent) => void> = [];

  constructor(
    readonly now: () => Date = () => new Date(),
    /** Scopes granted on install when none are asked for: the app's declared scopes. */
    private readonly defaultScopes: string[] = [],
  ) {}

  id(): number {
    return this.nextId++;
  }

  private lastTimestamp = { at: 0, text: "" };

  /** ISO time of now; one string per millisecond is shared by everything created in it. */
  timestamp(): string {
    const at = this.now().getTime();
    if (at !== this.lastTimestamp.at) this.lastTimestamp = { at, text: new Date(at).toISOString() };
    return this.lastTimestamp.text;
  }

  onEvent(listener: (event: StoreEvent) => void) {
    this.listeners.push(listener);
  }

  emit(store: SimStore, topic: WebhookTopic, payload: Record<string, unknown>) {
    for (const listener of this.listeners) listener({ store, topic, payload });
  }

  // ---- stores --------------------------------------------------------------------------------

  createStore({ domain, name, plan = "standard", currencyCode = "USD", locations = ["Shop location"], development = false, variantCreationLimit = null, ianaTimezone = "UTC" }: {
    domain: string;
    ianaTimezone?: string;
    name?: string;
    plan?: ShopPlanName;
    currencyCode?: string;
    locations?: string[];
    development?: boolean;
    variantCreationLimit?: { storeVariants: number; perDay: number; dayMs?: number } | null;
  }): SimStore {
    if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(domain)) throw new SimUserError("INVALID", ["domain"], `Invalid shop domain: ${domain}`);
    if (this.stores.has(domain)) throw new SimUserError("TAKEN", ["domain"], `${domain} already exists`);
    const store = new SimStore({ id: this.id(), domain, name: name ?? domain.replace(".myshopify.com", ""), plan, currencyCode });
    store.development = development;
    store.ianaTimezone = ianaTimezone;
    store.variantCreationLimit = variantCreationLimit;
    locations.forEach((locationName, index) => this.addLocation(store, locationName, index === 0));
    this.stores.set(domain, store);
    return store;
  }

  addLocation(store: SimStore, name: string, isPrimary = false) {
    const location = { id: this.id(), name, isActive: true, isPrimary, createdAt: this.timestamp() };
    store.locations.set(location.id, location);
    return location;
  }

  requireStore(domain: string): SimStore {
    const store = this.stores.get(domain);
    if (!store) throw new SimUserError("NOT_FOUND", ["shop"], `Unknown shop ${domain}`);
    return store;
  }

  install(store: SimStore, requestedScopes: string[] = []): string {
    const scopes = requestedScopes.length > 0 ? requestedScopes : this.defaultScopes;
    const accessToken = `shpat_${crypto.randomBytes(16).toString("hex")}`;
    store.installation = { accessToken, scopes, installedAt: this.timestamp(), subscriptions: [], onlineTokens: [], protectedCustomerFields: store.installation?.protectedCustomerFields ?? true };
    return accessToken;
  }

  /** True when the token is the store's offline token or a live online token for it. */
  acceptsToken(store: SimStore, token: string | undefined): boolean {
    if (!store.installation || !token) return false;
    if (token === store.installation.accessToken) return true;
    return store.installation.onlineTokens.some((t) => t.accessToken === token && t.expiresAt > this.now().getTime());
  }

  uninstall(store: SimStore) {
    if (!store.installation) return;
    // Shopify sends app/uninstalled to the app that was just removed, signed with its secret.
    this.emit(store, "app/uninstalled", { id: store.id, name: store.name, domain: store.domain, myshopify_domain: store.domain });
    store.installation = null;
  }

  // ---- products ------------------------------------------------------------------------------

  requireProduct(store: SimStore, id: number): SimProduct {
    const product = store.products.get(id);
    if (!product) throw new SimUserError("PRODUCT_DOES_NOT_EXIST", ["id"], "Product does not exist");
    return product;
  }

  private uniqueHandle(store: SimStore, wanted: string, exceptId?: number) {
    const base = handleize(wanted);
    let handle = base;
    for (let n = 1; store.handles.has(handle) && store.handles.get(handle) !== exceptId; n++) handle = `${base}-${n}`;
    return handle;
  }

  /**
   * A handle the input names: since 2025-01 Shopify refuses one another product has
   * (https://shopify.dev/changelog/new-validation-against-duplicate-handles-in-productcreate-productupdate-and-productset-mutation-inputs);
   * only a handle made from the title gets a number appended.
   */
  private requestedHandle(store: SimStore, wanted: string, exceptId?: number) {
    const handle = handleize(wanted);
    const owner = store.handles.get(handle);
    if (owner !== undefined && owner !== exceptId) throw new SimUserError("HANDLE_NOT_UNIQUE", ["input", "handle"], `Handle '${handle}' already in use. Please provide a new handle.`);
    return handle;
  }

  private assignHandle(store: SimStore, product: SimProduct, handle: string) {
    if (store.handles.get(product.handle) === product.id) store.handles.delete(product.handle);
    product.handle = handle;
    store.handles.set(handle, product.id);
  }

  private buildOptions(options: { name: string; values: string[] }[]): SimOption[] {
    if (options.length > MAX_OPTIONS) throw new SimUserError("OPTIONS_OVER_LIMIT", ["productOptions"], "Can only specify a maximum of 3 options");
    const names = new Set<string>();
    return options.map((option, index) => {
      if (names.has(option.name)) throw new SimUserError("DUPLICATED_OPTION_NAME", ["productOptions", String(index)], `Duplicated option name '${option.name}'`);
      names.add(option.name);
      return { id: this.id(), name: option.name, position: index + 1, values: option.values.map((value) => ({ id: this.id(), name: value })) };
    });
  }

  /** Creates a product; without variants it gets Shopify's standalone "Default Title" variant. */
  createProduct(store: SimStore, input: ProductInput & { variants?: VariantInput[] }, { emit = true } = {}): SimProduct {
    const now = this.timestamp();
    const title = input.title?.trim();
    if (!title) throw new SimUserError(null, ["title"], "Title can't be blank");
    const optionInput = input.options?.length ? input.options : [{ name: "Title", values: ["Default Title"] }];
    const product: SimProduct = {
      id: this.id(),
      title,
      handle: input.handle !== undefined ? this.requestedHandle(store, input.handle) : this.uniqueHandle(store, title),
      descriptionHtml: input.descriptionHtml ?? "",
      vendor: input.vendor ?? store.name,
      productType: input.productType ?? "",
      status: input.status ?? "ACTIVE",
      tags: normalizeTags(input.tags ?? []),
      options: this.buildOptions(optionInput),
      variantIds: [],
      media: (input.images ?? []).map((image) => this.media(store, image)),
      ...(input.seo ? { seo: { title: input.seo.title ?? null, description: input.seo.description ?? null } } : {}),
      createdAt: now,
      updatedAt: now,
    };
    store.products.set(product.id, product);
    store.handles.set(product.handle, product.id);
    const variants = input.variants?.length ? input.variants : [{ options: optionInput.map((o) => o.values[0]) }];
    for (const variantInput of variants) this.addVariant(store, product, variantInput);
    if (emit) this.emit(store, "products/create", { productId: product.id });
    return product;
  }

  /**
   * Media made from a URL, as Shopify makes it: the file is copied to the store's own CDN, and the
   * media's URL is that copy's (sim/README.md, "Media"), never the URL it was made from. The same
   * picture therefore has another URL in every store.
   */
  media(store: SimStore, image: { url: string; alt?: string }): SimMedia {
    const id = this.id();
    const fileName = (URL.canParse(image.url) ? new URL(image.url).pathname.split("/").filter(Boolean).at(-1) : undefined) ?? "image";
    return { id, url: `https://cdn.shopify.com/s/files/1/${String(store.id).padStart(4, "0")}/files/${fileName}?v=${id}`, alt: image.alt ?? "" };
  }

  updateProduct(store: SimStore, id: number, input: ProductInput, { emit = true } = {}): SimProduct {
    const product = this.requireProduct(store, id);
    if (input.title !== undefined) {
      if (!input.title.trim()) throw new SimUserError(null, ["title"], "Title can't be blank");
      product.title = input.title.trim();
    }
    if (input.handle !== undefined) this.assignHandle(store, product, this.requestedHandle(store, input.handle, product.id));
    if (input.descriptionHtml !== undefined) product.descriptionHtml = input.descriptionHtml;
    if (input.vendor !== undefined) product.vendor = input.vendor;
    if (input.productType !== undefined) product.productType = input.productType;
    if (input.status !== undefined) product.status = input.status;
    if (input.tags !== undefined) product.tags = normalizeTags(input.tags);
    if (input.images !== undefined) product.media = input.images.map((image) => this.media(store, image));
    if (input.seo !== undefined) product.seo = { title: input.seo.title !== undefined ? input.seo.title : (product.seo?.title ?? null), description: input.seo.description !== undefined ? input.seo.description : (product.seo?.description ?? null) };
    product.updatedAt = this.timestamp();
    if (emit) this.emit(store, "products/update", { productId: product.id });
    return product;
  }

  /** Renames a product's options by position, as a merchant does in the admin; values and variants stay. */
  renameOptions(store: SimStore, id: number, names: string[], { emit = true } = {}): SimProduct {
    const product = this.requireProduct(store, id);
    if (names.length !== product.options.length) throw new SimUserError("INVALID_INPUT", ["options"], `The product has ${product.options.length} options`);
    if (new Set(names).size !== names.length) throw new SimUserError("DUPLICATED_OPTION_NAME", ["options"], "Duplicated option name");
    product.options.forEach((option, index) => (option.name = names[index]));
    for (const variant of store.variantsOf(product)) {
      variant.selectedOptions = selectedOptionList(variant.selectedOptions.map((option, index) => selectedOption(names[index], option.value)));
    }
    product.updatedAt = this.timestamp();
    if (emit) this.emit(store, "products/update", { productId: product.id });
    return product;
  }

  deleteProduct(store: SimStore, id: number) {
    const product = this.requireProduct(store, id);
    for (const variantId of [...product.variantIds]) this.removeVariant(store, product, variantId);
    store.products.delete(id);
    store.handles.delete(product.handle);
    this.forgetCustomIds(store, "PRODUCT", product);
    for (const collection of store.collections.values()) collection.productIds = collection.productIds.filter((p) => p !== id);
    this.emit(store, "products/delete", { id });
  }

  // ---- metafields and custom IDs -----------------------------------------------------------

  /**
   * An `id` metafield definition makes its values custom IDs: unique per definition, and a product
   * or order is found by one at once (productByIdentifier, orderByIdentifier, productSet's
   * identifier), without the search index
   * (https://shopify.dev/docs/apps/build/metafields/working-with-custom-ids).
   */
  createMetafieldDefinition(store: SimStore, input: { name: string; namespace?: string | null; key: string; type: string; ownerType: string }): SimMetafieldDefinition {
    if (input.ownerType !== "PRODUCT" && input.ownerType !== "ORDER") throw new SimUserError("INVALID", ["definition", "ownerType"], `The simulator keeps metafields of products and orders only, not ${input.ownerType}`);
    if (!input.key) throw new SimUserError("BLANK", ["definition", "key"], "Key can't be blank");
    if (!input.name) throw new SimUserError("BLANK", ["definition", "name"], "Name can't be blank");
    const namespace = resolveNamespace(input.namespace);
    const index = `${input.ownerType} ${namespace}.${input.key}`;
    if (store.metafieldDefinitions.has(index)) throw new SimUserError("TAKEN", ["definition", "key"], `Key is in use for ${input.ownerType.toLowerCase()} metafields on the '${namespace}' namespace.`);
    const definition: SimMetafieldDefinition = { id: this.id(), name: input.name, namespace, key: input.key, type: input.type, ownerType: input.ownerType };
    store.metafieldDefinitions.set(index, definition);
    return definition;
  }

  /** The product or order holding this custom ID, if its definition exists and one does. */
  findByCustomId(store: SimStore, ownerType: MetafieldOwnerType, customId: { namespace?: string | null; key: string; value: string }): number | null {
    return store.customIds.get(`${ownerType} ${resolveNamespace(customId.namespace)}.${customId.key} ${customId.value}`) ?? null;
  }

  /** Refuses metafields that cannot be set on this owner (a custom ID another one holds, a type other than its definition's) before anything is written. */
  checkMetafields(store: SimStore, ownerType: MetafieldOwnerType, ownerId: number | null, inputs: MetafieldInput[]) {
    // productSet has codes of its own for these (ProductSetUserErrorCode); orderCreate says INVALID.
    const invalid = ownerType === "PRODUCT" ? "INVALID_METAFIELD" : "INVALID";
    const duplicated = ownerType === "PRODUCT" ? "DUPLICATED_METAFIELD_VALUE" : "INVALID";
    for (const [index, input] of inputs.entries()) {
      const namespace = resolveNamespace(input.namespace);
      const definition = store.metafieldDefinitions.get(`${ownerType} ${namespace}.${input.key}`);
      if (definition && input.type && definition.type !== input.type) throw new SimUserError(invalid, ["metafields", String(index), "type"], `Type must be '${definition.type}' (the type of its definition).`);
      const type = definition?.type ?? input.type;
      const target = type ? REFERENCE_TARGETS[type.replace(/^list\./, "")] : undefined;
      if (target && type) {
        const ids = this.referencedIds(type, input.value);
        if (ids === null || ids.some((id) => gidType(id) !== target.type || !target.exists(store, parseGid(id)))) {
          throw new SimUserError(invalid, ["metafields", String(index), "value"], `Value must be ${type.startsWith("list.") ? "a list of references" : "a reference"} to ${target.name} of this store.`);
        }
      }
      if (type === "id") {
        if (!definition) throw new SimUserError(invalid, ["metafields", String(index), "key"], "A metafield of type id needs a definition.");
        const holder = this.findByCustomId(store, ownerType, input);
        if (holder !== null && holder !== ownerId) throw new SimUserError(duplicated, ["metafields", String(index), "value"], "Value is already assigned to another resource: id metafields are unique.");
      }
    }
  }

  /** The GIDs a reference metafield's value holds (a JSON array for a list type); null when unreadable. */
  private referencedIds(type: string, value: string): string[] | null {
    if (!type.startsWith("list.")) return [value];
    try {
      const ids: unknown = JSON.parse(value);
      return Array.isArray(ids) && ids.every((id) => typeof id === "string") ? ids : null;
    } catch {
      return null;
    }
  }

  setMetafields(store: SimStore, ownerType: MetafieldOwnerType, owner: { id: number; metafields?: Map<string, SimMetafield> }, inputs: MetafieldInput[]) {
    this.checkMetafields(store, ownerType, owner.id, inputs);
    for (const input of inputs) {
      const namespace = resolveNamespace(input.namespace);
      const definition = store.metafieldDefinitions.get(`${ownerType} ${namespace}.${input.key}`);
      const type = definition?.type ?? input.type ?? "single_line_text_field";
      owner.metafields ??= new Map();
      const previous = owner.metafields.get(`${namespace}.${input.key}`);
      if (previous?.type === "id") store.customIds.delete(`${ownerType} ${namespace}.${input.key} ${previous.value}`);
      owner.metafields.set(`${namespace}.${input.key}`, { id: previous?.id ?? this.id(), namespace, key: input.key, type, value: input.value });
      if (type === "id") store.customIds.set(`${ownerType} ${namespace}.${input.key} ${input.value}`, owner.id);
    }
  }

  private forgetCustomIds(store: SimStore, ownerType: MetafieldOwnerType, owner: { metafields?: Map<string, SimMetafield> }) {
    for (const metafield of owner.metafields?.values() ?? []) {
      if (metafield.type === "id") store.customIds.delete(`${ownerType} ${metafield.namespace}.${metafield.key} ${metafield.value}`);
    }
  }

  addVariant(store: SimStore, product: SimProduct, input: VariantInput): SimVariant {
    const now = this.timestamp();
    const values = input.options ?? product.options.map((o) => o.values[0]?.name ?? "Default Title");
    if (values.length !== product.options.length) {
      throw new SimUserError("OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS", ["variants", "optionValues"], "Option values provided for unknown options");
    }
    const selectedOptions = selectedOptionList(
      product.options.map((option, index) => {
        const value = values[index];
        if (!option.values.some((v) => v.name === value)) option.values.push({ id: this.id(), name: value });
        return selectedOption(option.name, value);
      }),
    );
    const key = selectedOptions.map((o) => o.value).join(" / ");
    if (store.variantsOf(product).some((v) => v.selectedOptions.map((o) => o.value).join(" / ") === key)) {
      throw new SimUserError("VARIANT_ALREADY_EXISTS", ["variants"], `The variant '${key}' already exists.`);
    }
    const item = new SimInventoryItem(this.id(), input.tracked ?? true, now, now);
    const variantId = this.id();
    if (variantId !== InventoryItemIndex.variantIdOf(item.id)) throw new Error("inventory item ids must precede their variant's");
    const variant: SimVariant = {
      id: variantId,
      productId: product.id,
      sku: input.sku?.length ? input.sku : null,
      price: normalizeMoney(input.price ?? "0.00"),
      compareAtPrice: input.compareAtPrice ? normalizeMoney(input.compareAtPrice) : null,
      barcode: input.barcode ?? null,
      taxable: input.taxable ?? true,
      position: product.variantIds.length + 1,
      selectedOptions,
      inventoryItem: item,
      createdAt: now,
      updatedAt: now,
    };
    this.setVariantDetails(variant, input);
    // Shopify stocks a new variant at every active location of the store.
    for (const location of store.locations.values()) if (location.isActive) item.levels.set(location.id, emptyLevel(now));
    store.variants.set(variant.id, variant);
    // concat allocates exactly one more slot; push would leave room for 16 (millions of products).
    product.variantIds = product.variantIds.concat(variant.id);
    return variant;
  }

  updateVariant(store: SimStore, product: SimProduct, input: VariantInput & { id: number }): SimVariant {
    const variant = store.variants.get(input.id);
    if (!variant || variant.productId !== product.id) throw new SimUserError("PRODUCT_VARIANT_DOES_NOT_EXIST", ["variants", "id"], "Product variant does not exist");
    if (input.sku !== undefined) variant.sku = input.sku?.length ? input.sku : null;
    if (input.price !== undefined) variant.price = normalizeMoney(input.price);
    if (input.compareAtPrice !== undefined) variant.compareAtPrice = input.compareAtPrice ? normalizeMoney(input.compareAtPrice) : null;
    if (input.barcode !== undefined) variant.barcode = input.barcode;
    if (input.taxable !== undefined) variant.taxable = input.taxable;
    if (input.tracked !== undefined) variant.inventoryItem.tracked = input.tracked;
    this.setVariantDetails(variant, input);
    if (input.options !== undefined) {
      variant.selectedOptions = selectedOptionList(
        product.options.map((option, index) => {
          const value = input.options![index];
          if (!option.values.some((v) => v.name === value)) option.values.push({ id: this.id(), name: value });
          return selectedOption(option.name, value);
        }),
      );
    }
    variant.updatedAt = this.timestamp();
    product.updatedAt = variant.updatedAt;
    return variant;
  }

  /** Inventory policy, unit cost and weight: kept only when set, so a catalogue of millions stays small. */
  private setVariantDetails(variant: SimVariant, input: VariantInput) {
    if (input.inventoryPolicy !== undefined) variant.inventoryPolicy = input.inventoryPolicy;
    const item = variant.inventoryItem;
    if (input.cost === null) delete item.unitCost;
    else if (input.cost !== undefined) {
      if (!Number.isFinite(Number(input.cost)) || Number(input.cost) < 0) throw new SimUserError("INVALID_INPUT", ["inventoryItem", "cost"], "Cost must be a positive number");
      item.unitCost = normalizeMoney(input.cost);
    }
    if (input.weight !== undefined) {
      if (!(input.weight.value >= 0)) throw new SimUserError("INVALID_INPUT", ["inventoryItem", "measurement", "weight"], "Weight must be greater than or equal to 0");
      item.weight = { value: input.weight.value, unit: input.weight.unit };
    }
  }

  removeVariant(store: SimStore, product: SimProduct, variantId: number) {
    const variant = store.variants.get(variantId);
    if (!variant || variant.productId !== product.id) throw new SimUserError("PRODUCT_VARIANT_DOES_NOT_EXIST", ["variantsIds"], "Product variant does not exist");
    store.variants.delete(variantId);
    product.variantIds = product.variantIds.filter((id) => id !== variantId);
    store.variantsOf(product).forEach((v, index) => (v.position = index + 1));
    // Option values no variant uses any more disappear, as on Shopify.
    for (const option of product.options) {
      option.values = option.values.filter((value) => store.variantsOf(product).some((v) => v.selectedOptions.some((o) => o.name === option.name && o.value === value.name)));
    }
    product.updatedAt = this.timestamp();
  }

  /**
   * productSet semantics: the product becomes exactly the input. Lists are replaced: variants not
   * in the input are deleted, options and media are replaced. Variants are matched by id, then by
   * option values.
   */
  setProduct(store: SimStore, id: number | null, input: ProductInput & { variants?: VariantInput[] }): SimProduct {
    if (input.variants && input.variants.length > MAX_VARIANTS_PER_PRODUCT) {
      throw new SimUserError("VARIANTS_OVER_LIMIT", ["input", "variants"], `A product can have at most ${MAX_VARIANTS_PER_PRODUCT} variants.`);
    }
    if (input.variants && input.variants.length > 0 && !input.options?.length) {
      throw new SimUserError("PRODUCT_OPTIONS_INPUT_MISSING", ["input", "productOptions"], "Product options input is required when updating variants.");
    }
    if (id === null) {
      const product = this.createProduct(store, input, { emit: false });
      this.emit(store, "products/create", { productId: product.id });
      return product;
    }
    const product = this.requireProduct(store, id);
    this.updateProduct(store, id, input, { emit: false });
    if (input.options) {
      const wanted = input.options.map((o) => o.name);
      if (wanted.join("|") !== product.options.map((o) => o.name).join("|")) {
        product.options = this.buildOptions(input.options);
      } else {
        product.options.forEach((option, index) => {
          option.values = input.options![index].values.map((value) => option.values.find((v) => v.name === value) ?? { id: this.id(), name: value });
        });
      }
    }
    if (input.variants) {
      const existing = store.variantsOf(product);
      const keep = new Set<number>();
      const plans = input.variants.map((variantInput) => {
        const key = (variantInput.options ?? []).join(" / ");
        const match =
          (variantInput.id !== undefined ? existing.find((v) => v.id === variantInput.id) : undefined) ??
          existing.find((v) => !keep.has(v.id) && v.selectedOptions.map((o) => o.value).join(" / ") === key);
        if (variantInput.id !== undefined && !match) {
          throw new SimUserError("PRODUCT_VARIANT_DOES_NOT_EXIST", ["input", "variants"], "Product variant does not exist");
        }
        if (match) keep.add(match.id);
        return { variantInput, match };
      });
      for (const variant of existing) if (!keep.has(variant.id)) this.removeVariantQuietly(store, product, variant.id);
      // The input's order becomes the variants' order, new ones included.
      const ordered = plans.map(({ variantInput, match }) =>
        match ? this.updateVariant(store, product, { ...variantInput, id: match.id }).id : this.addVariant(store, product, variantInput).id,
      );
      product.variantIds = ordered;
      store.variantsOf(product).forEach((v, index) => (v.position = index + 1));
    }
    product.updatedAt = this.timestamp();
    this.emit(store, "products/update", { productId: product.id });
    return product;
  }

  private removeVariantQuietly(store: SimStore, product: SimProduct, variantId: number) {
    store.variants.delete(variantId); // its inventory item goes with it
    product.variantIds = product.variantIds.filter((v) => v !== variantId);
  }

  // ---- inventory -----------------------------------------------------------------------------

  requireItem(store: SimStore, itemId: number): SimInventoryItem {
    const item = store.inventoryItems.get(itemId);
    if (!item) throw new SimUserError("INVALID_INVENTORY_ITEM", ["inventoryItemId"], "The specified inventory item could not be found.");
    return item;
  }

  /**
   * The level a write at `locationId` changes. Up to 2026-07 an item not stocked there is refused
   * (ITEM_NOT_STOCKED_AT_LOCATION); from 2026-10 (`stockAnywhere`) the write is taken into an
   * inactive level (https://shopify.dev/changelog/removal-of-itemnotstockedatlocation-error).
   */
  requireLevel(store: SimStore, item: SimInventoryItem, locationId: number, { stockAnywhere = false } = {}): SimLevel {
    if (!store.locations.has(locationId)) throw new SimUserError("INVALID_LOCATION", ["locationId"], "The specified location could not be found.");
    const level = item.levels.get(locationId);
    if (level) return level;
    if (!stockAnywhere) throw new SimUserError("ITEM_NOT_STOCKED_AT_LOCATION", ["locationId"], "The specified inventory item is not stocked at the location.");
    item.inactiveLevels ??= new Map();
    let inactive = item.inactiveLevels.get(locationId);
    if (!inactive) item.inactiveLevels.set(locationId, (inactive = emptyLevel(this.timestamp())));
    return inactive;
  }

  /** The merchant stops stocking an item at a location (inventoryDeactivate): its level there goes. */
  unstock(store: SimStore, item: SimInventoryItem, locationId: number) {
    // Copied out before the array they read through is replaced.
    const kept = item.levels.entriesList().filter(([id]) => id !== locationId)
      .map(([id, level]) => [id, { available: level.available, committed: level.committed, incoming: level.incoming, reserved: level.reserved, updatedAt: level.updatedAt }] as const);
    item.levelNumbers = [];
    for (const [id, level] of kept) item.levels.set(id, level);
  }

  quantity(level: SimLevel, name: string): number {
    if (name === "on_hand") return onHand(level);
    if (name === "available" || name === "committed" || name === "incoming" || name === "reserved") return level[name];
    return 0;
  }

  /** Sets `available` or `on_hand`; the other follows (committed stays). */
  setQuantity(store: SimStore, item: SimInventoryItem, locationId: number, name: "available" | "on_hand", quantity: number, { stockAnywhere = false } = {}) {
    const level = this.requireLevel(store, item, locationId, { stockAnywhere });
    const delta = quantity - this.quantity(level, name);
    level.available += delta;
    level.updatedAt = this.timestamp();
    if (item.levels.has(locationId)) this.emitLevel(store, item, locationId);
    return delta;
  }

  adjustQuantity(store: SimStore, item: SimInventoryItem, locationId: number, name: string, delta: number, { stockAnywhere = false } = {}) {
    const level = this.requireLevel(store, item, locationId, { stockAnywhere });
    if (name === "available" || name === "on_hand") level.available += delta;
    else if (name === "committed" || name === "incoming" || name === "reserved") level[name] += delta;
    level.updatedAt = this.timestamp();
    if (item.levels.has(locationId)) this.emitLevel(store, item, locationId);
    return this.quantity(level, name);
  }

  /**
   * inventoryMoveQuantities: `quantity` units from one state (or location) to another, validated
   * by the caller; one inventory_levels/update per level touched.
   */
  moveQuantity(store: SimStore, item: SimInventoryItem, from: { locationId: number; name: string }, to: { locationId: number; name: string }, quantity: number) {
    const fromLevel = this.requireLevel(store, item, from.locationId);
    const toLevel = this.requireLevel(store, item, to.locationId);
    const shift = (level: SimLevel, name: string, delta: number) => {
      if (name === "available" || name === "committed" || name === "incoming" || name === "reserved") level[name] += delta;
      level.updatedAt = this.timestamp();
    };
    shift(fromLevel, from.name, -quantity);
    shift(toLevel, to.name, quantity);
    this.emitLevel(store, item, from.locationId);
    if (to.locationId !== from.locationId) this.emitLevel(store, item, to.locationId);
    return { fromAfter: this.quantity(fromLevel, from.name), toAfter: this.quantity(toLevel, to.name) };
  }

  private emitLevel(store: SimStore, item: SimInventoryItem, locationId: number) {
    this.emit(store, "inventory_levels/update", { inventoryItemId: item.id, locationId });
  }

  // ---- orders --------------------------------------------------------------------------------

  findCustomerByEmail(store: SimStore, email: string): SimCustomer | null {
    const wanted = email.trim().toLowerCase();
    for (const customer of store.customers.values()) if (customer.email?.toLowerCase() === wanted) return customer;
    return null;
  }

  /** customerCreate: e-mail addresses are unique per store (case-insensitive), as on Shopify. */
  createCustomer(store: SimStore, input: { email?: string | null; firstName?: string | null; lastName?: string | null }): SimCustomer {
    const email = input.email?.trim() || null;
    if (!email && !input.firstName && !input.lastName) throw new SimUserError(null, ["email"], "A name, phone number, or email address must be present");
    if (email && this.findCustomerByEmail(store, email)) throw new SimUserError(null, ["email"], "Email has already been taken");
    const now = this.timestamp();
    const customer: SimCustomer = { id: this.id(), email, firstName: input.firstName ?? null, lastName: input.lastName ?? null, createdAt: now, updatedAt: now };
    store.customers.set(customer.id, customer);
    return customer;
  }

  /** The customer with this e-mail, created with these names when there is none (names of an existing one stay). */
  customerFor(store: SimStore, input: { email: string; firstName: string | null; lastName: string | null }): SimCustomer {
    return this.findCustomerByEmail(store, input.email) ?? this.createCustomer(store, input);
  }

  /**
   * orderCreate (https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/orderCreate): lines by
   * variant or custom; inventory untouched unless asked (BYPASS is the default); the customer
   * associated by id, or upserted by e-mail.
   */
  createOrder(store: SimStore, input: {
    lines: { variantId?: number; sku?: string | null; title?: string | null; quantity: number; price?: string | null }[];
    currencyCode?: string | null; email?: string | null; customerId?: number | null;
    financialStatus: SimOrder["financialStatus"]; tags?: string[]; sourceName?: string | null; sourceIdentifier?: string | null; note?: string | null;
    inventoryBehaviour: "BYPASS" | "DECREMENT_IGNORING_POLICY" | "DECREMENT_OBEYING_POLICY";
  }): SimOrder {
    if (input.lines.length === 0) throw new SimUserError("INVALID", ["order", "lineItems"], "Line items must have at least one line item");
    const now = this.timestamp();
    // orderCreate names no location: its fulfillment orders go to the store's default location.
    const location = store.primaryLocation();
    const lineItems: SimLineItem[] = input.lines.map((line, index) => {
      if (!Number.isInteger(line.quantity) || line.quantity < 1) throw new SimUserError("INVALID", ["order", "lineItems", String(index), "quantity"], "Quantity must be greater than or equal to 1");
      if (line.variantId !== undefined) {
        const variant = store.variants.get(line.variantId);
        if (!variant) throw new SimUserError("INVALID", ["order", "lineItems", String(index), "variantId"], "Variant does not exist");
        const product = store.products.get(variant.productId)!;
        return { id: this.id(), variantId: variant.id, productId: product.id, sku: variant.sku, title: product.title, quantity: line.quantity, currentQuantity: line.quantity, price: line.price ?? variant.price, locationId: location.id };
      }
      if (!line.title) throw new SimUserError("INVALID", ["order", "lineItems", String(index), "title"], "Title can't be blank for a custom line item");
      return { id: this.id(), variantId: null, productId: null, sku: line.sku ?? null, title: line.title, quantity: line.quantity, currentQuantity: line.quantity, price: line.price ?? "0.00", locationId: location.id };
    });
    const customer = input.customerId ? store.customers.get(input.customerId) ?? null : null;
    const order: SimOrder = {
      id: this.id(), name: `#${++store.orderNumber}`, email: input.email ?? customer?.email ?? null,
      customer: customer ? { firstName: customer.firstName, lastName: customer.lastName, email: customer.email } : null,
      customerId: customer?.id ?? null, currencyCode: input.currencyCode ?? store.currencyCode, tags: input.tags ?? [],
      sourceName: input.sourceName ?? null, sourceIdentifier: input.sourceIdentifier ?? null, note: input.note ?? null,
      financialStatus: input.financialStatus, locationId: null, lineItems, refunds: [], cancelledAt: null, createdAt: now, updatedAt: now,
    };
    store.orders.set(order.id, order);
    if (input.inventoryBehaviour !== "BYPASS") {
      for (const line of lineItems) {
        if (line.variantId === null) continue;
        const item = store.variants.get(line.variantId)!.inventoryItem;
        if (item.tracked && item.levels.has(line.locationId)) this.adjustQuantity(store, item, line.locationId, "available", -line.quantity);
      }
    }
    this.emit(store, "orders/create", { orderId: order.id });
    if (order.financialStatus === "PAID") this.emit(store, "orders/paid", { orderId: order.id });
    return order;
  }

  placeOrder(
    store: SimStore,
    { lines, paid = true, locationId, email = null, customer = null }: {
      lines: { sku?: string; variantId?: number; quantity: number }[];
      paid?: boolean;
      locationId?: number;
      email?: string | null;
      customer?: SimOrder["customer"];
    },
  ): SimOrder {
    const register = locationId === undefined ? null : store.locations.get(locationId);
    if (register === undefined) throw new SimUserError("INVALID_LOCATION", ["locationId"], "Unknown location");
    if (lines.length === 0) throw new SimUserError("INVALID", ["lines"], "An order needs at least one line");
    const now = this.timestamp();
    const sold = lines.map((line) => {
      const variant = line.variantId !== undefined
        ? store.variants.get(line.variantId)
        : [...store.variants.values()].find((v) => v.sku === line.sku);
      if (!variant) throw new SimUserError("INVALID", ["lines"], `No variant for ${line.sku ?? line.variantId}`);
      if (!Number.isInteger(line.quantity) || line.quantity < 1) throw new SimUserError("INVALID", ["quantity"], "Quantity must be a positive integer");
      return { variant, quantity: line.quantity };
    });
    const routed = register ? sold.map(() => register.id) : routeOnlineOrder(store, sold);
    const lineItems = sold.map(({ variant, quantity }, index) => {
      const product = store.products.get(variant.productId)!;
      return {
        id: this.id(), variantId: variant.id, productId: product.id, sku: variant.sku, title: product.title,
        quantity, currentQuantity: quantity, price: variant.price, locationId: routed[index],
      };
    });
    const buyerEmail = customer?.email ?? email;
    const order: SimOrder = {
      id: this.id(), name: `#${++store.orderNumber}`, email, customer,
      customerId: buyerEmail ? this.customerFor(store, { email: buyerEmail, firstName: customer?.firstName ?? null, lastName: customer?.lastName ?? null }).id : null,
      currencyCode: store.currencyCode, tags: [], sourceName: "web", sourceIdentifier: null, note: null,
      financialStatus: paid ? "PAID" : "PENDING", locationId: register?.id ?? null, lineItems, refunds: [],
      cancelledAt: null, createdAt: now, updatedAt: now,
    };
    store.orders.set(order.id, order);
    // A sale takes stock from its line's location at once (Shopify: available → committed until
    // fulfilled; the simulator fulfils immediately, so available and on_hand both drop).
    for (const line of lineItems) {
      const variant = store.variants.get(line.variantId)!;
      const item = variant.inventoryItem;
      if (item.tracked && item.levels.has(line.locationId)) this.adjustQuantity(store, item, line.locationId, "available", -line.quantity);
    }
    this.emit(store, "orders/create", { orderId: order.id });
    if (paid) this.emit(store, "orders/paid", { orderId: order.id });
    return order;
  }

  markPaid(store: SimStore, orderId: number) {
    const order = this.requireOrder(store, orderId);
    if (order.financialStatus !== "PENDING") throw new SimUserError("INVALID", ["orderId"], "Order is not pending");
    order.financialStatus = "PAID";
    order.updatedAt = this.timestamp();
    this.emit(store, "orders/paid", { orderId: order.id });
  }

  requireOrder(store: SimStore, orderId: number): SimOrder {
    const order = store.orders.get(orderId);
    if (!order) throw new SimUserError("NOT_FOUND", ["orderId"], "Order does not exist");
    return order;
  }

  refund(store: SimStore, orderId: number, lines: { lineItemId: number; quantity: number; restock: boolean }[]) {
    const order = this.requireOrder(store, orderId);
    for (const line of lines) {
      const lineItem = order.lineItems.find((l) => l.id === line.lineItemId);
      if (!lineItem) throw new SimUserError("INVALID", ["lineItemId"], "Unknown line item");
      if (line.quantity < 1 || line.quantity > lineItem.currentQuantity) throw new SimUserError("INVALID", ["quantity"], "Refund quantity exceeds the line's quantity");
    }
    const refund = { id: this.id(), createdAt: this.timestamp(), cancel: false, lines };
    for (const line of lines) {
      const lineItem = order.lineItems.find((l) => l.id === line.lineItemId)!;
      lineItem.currentQuantity -= line.quantity;
      const variant = lineItem.variantId !== null ? store.variants.get(lineItem.variantId) : undefined;
      const item = variant?.inventoryItem;
      if (line.restock && item?.tracked && item.levels.has(lineItem.locationId)) this.adjustQuantity(store, item, lineItem.locationId, "available", line.quantity);
    }
    order.refunds.push(refund);
    order.financialStatus = order.lineItems.every((l) => l.currentQuantity === 0) ? "REFUNDED" : "PARTIALLY_REFUNDED";
    order.updatedAt = this.timestamp();
    this.emit(store, "refunds/create", { orderId: order.id, refundId: refund.id });
    return refund;
  }

  cancelOrder(store: SimStore, orderId: number, { restock = true } = {}) {
    const order = this.requireOrder(store, orderId);
    if (order.cancelledAt) throw new SimUserError("INVALID", ["orderId"], "Order is already cancelled");
    order.cancelledAt = this.timestamp();
    // As Shopify does, cancelling refunds what is left of each line; with restock, the refund's
    // lines have restock_type "cancel" and put the stock back (refunds/create, then orders/cancelled).
    const lines = order.lineItems.filter((line) => line.currentQuantity > 0).map((line) => ({ lineItemId: line.id, quantity: line.currentQuantity, restock }));
    if (lines.length > 0) {
      const refund = { id: this.id(), createdAt: order.cancelledAt, cancel: true, lines };
      for (const line of order.lineItems) {
        const variant = line.variantId !== null ? store.variants.get(line.variantId) : undefined;
        const item = variant?.inventoryItem;
        if (restock && line.currentQuantity > 0 && item?.tracked && item.levels.has(line.locationId)) {
          this.adjustQuantity(store, item, line.locationId, "available", line.currentQuantity);
        }
        line.currentQuantity = 0;
      }
      order.refunds.push(refund);
      this.emit(store, "refunds/create", { orderId: order.id, refundId: refund.id });
    }
    order.updatedAt = order.cancelledAt;
    this.emit(store, "orders/cancelled", { orderId: order.id });
  }

  // ---- collections ---------------------------------------------------------------------------

  createCollection(store: SimStore, input: { title: string; handle?: string; descriptionHtml?: string; sortOrder?: string; productIds?: number[] }) {
    if (!input.title.trim()) throw new SimUserError(null, ["title"], "Title can't be blank");
    const productIds = input.productIds ?? [];
    for (const productId of productIds) this.requireProduct(store, productId);
    const collection = {
      id: this.id(), title: input.title, handle: handleize(input.handle ?? input.title),
      descriptionHtml: input.descriptionHtml ?? "", sortOrder: input.sortOrder ?? "MANUAL",
      productIds: [...new Set(productIds)], updatedAt: this.timestamp(),
    };
    store.collections.set(collection.id, collection);
    this.emit(store, "collections/create", { collectionId: collection.id });
    return collection;
  }

  requireCollection(store: SimStore, id: number) {
    const collection = store.collections.get(id);
    if (!collection) throw new SimUserError(null, ["id"], "Collection does not exist");
    return collection;
  }

  updateCollection(store: SimStore, id: number, input: { title?: string; descriptionHtml?: string }) {
    const collection = this.requireCollection(store, id);
    if (input.title !== undefined) {
      if (!input.title.trim()) throw new SimUserError(null, ["title"], "Title can't be blank");
      collection.title = input.title;
    }
    if (input.descriptionHtml !== undefined) collection.descriptionHtml = input.descriptionHtml;
    collection.updatedAt = this.timestamp();
    this.emit(store, "collections/update", { collectionId: collection.id });
    return collection;
  }

  addToCollection(store: SimStore, id: number, productIds: number[]) {
    const collection = this.requireCollection(store, id);
    for (const productId of productIds) this.requireProduct(store, productId);
    collection.productIds = [...new Set([...collection.productIds, ...productIds])];
    collection.updatedAt = this.timestamp();
    this.emit(store, "collections/update", { collectionId: collection.id });
    return collection;
  }

  removeFromCollection(store: SimStore, id: number, productIds: number[]) {
    const collection = this.requireCollection(store, id);
    const removed = new Set(productIds);
    collection.productIds = collection.productIds.filter((p) => !removed.has(p));
    collection.updatedAt = this.timestamp();
    this.emit(store, "collections/update", { collectionId: collection.id });
    return collection;
  }
}

export function normalizeMoney(value: string | number): string {
  const amount = Number(value);
  if (!Number.isFinite(amount)) throw new SimUserError("INVALID", ["price"], `Invalid money value: ${value}`);
  if (amount < 0) throw new SimUserError("NEGATIVE_PRICE_VALUE", ["price"], "Price must be greater than or equal to 0");
  return internedMoney(amount.toFixed(2));
}

const moneyStrings = new Map<string, string>();

/** Catalogues repeat a few thousand prices; one string each saves a fifth of a big store's memory. */
function internedMoney(text: string): string {
  const known = moneyStrings.get(text);
  if (known !== undefined) return known;
  if (moneyStrings.size < 100_000) moneyStrings.set(text, text);
  return text;
}

export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b));
}

/**
 * Shopify's default order routing for an online order (help.shopify.com, "Order routing"): first
 * "minimize split fulfillments", so the first active location, in the store's order, holding every
 * line in stock takes the whole order; failing one, each line goes to the first location holding
 * it, then to the first stocking it at all, then to the default location. The simulator has no
 * addresses, so the market and distance rules have nothing to rank.
 */
export function routeOnlineOrder(store: SimStore, lines: { variant: SimVariant; quantity: number }[]): number[] {
  // The default location ranks first, then the others as they were added (no distance to rank by).
  const locations = [...store.locations.values()].filter((location) => location.isActive).sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
  const holds = (locationId: number, { variant, quantity }: { variant: SimVariant; quantity: number }) => {
    const item = variant.inventoryItem;
    const level = item.levels.get(locationId);
    return level !== undefined && (!item.tracked || level.available >= quantity);
  };
  const whole = locations.find((location) => lines.every((line) => holds(location.id, line)));
  if (whole) return lines.map(() => whole.id);
  const fallback = store.primaryLocation().id;
  return lines.map((line) => (locations.find((location) => holds(location.id, line))
    ?? locations.find((location) => line.variant.inventoryItem.levels.has(location.id)))?.id ?? fallback);
}

export type MetafieldInput = { namespace?: string | null; key: string; type?: string | null; value: string };
