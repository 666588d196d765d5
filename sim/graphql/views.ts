import { GraphQLError } from "graphql";
import { gid, gidType, parseGid } from "../ids";
import { PLAN_LIMITS, readsProtectedCustomerFields, resolveNamespace, type SimMetafield, type SimMetafieldDefinition, type SimCustomer, type SimLevel, type SimCollection, type SimInventoryItem, type SimLineItem, type SimLocation, type SimOrder, type SimProduct, type SimRefund, type SimStore, type SimVariant, onHand } from "../store";
import type { BulkOperations } from "../bulk";
import type { SimWorld } from "../world";
import { bulkOperationView } from "../bulk-view";
import { type ConnectionArgs, connection } from "./connection";
import { matchesSearch, parseSearch } from "./search";
import type { IdempotencyKeys } from "./idempotency";
import type { SimulatedApiVersion } from "../schema/admin-schema";

export type Context = {
  world: SimWorld;
  store: SimStore;
  origin: string;
  /** The version in the request's URL path: it selects the schema and version-specific semantics. */
  apiVersion: SimulatedApiVersion;
  bulk?: BulkOperations;
  idempotency?: IdempotencyKeys;
  /** Records created this recently are not in `query:` searches yet (AdminApiChaos.searchIndexLagMs). */
  searchIndexLagMs?: number;
};

/**
 * The records a `query:` search can find: those Shopify's search index holds already, created at
 * least the lag ago. Without a query the list is read whole, index or not.
 */
function indexed<T extends { createdAt: string }>(records: Iterable<T>, context: Pick<Context, "world" | "searchIndexLagMs">): T[] {
  const lag = context.searchIndexLagMs ?? 0;
  if (lag <= 0) return [...records];
  const indexedUntil = context.world.now().getTime() - lag;
  return [...records].filter((record) => Date.parse(record.createdAt) <= indexedUntil);
}

type Args<T = object> = ConnectionArgs & T & { query?: string | null };

/** A malformed or foreign ID is an error on Shopify; a well-formed unknown ID is null. */
export function requireGid(value: string, type: string, argument = "id"): number {
  const id = parseGid(value);
  if (id === null || gidType(value) !== type) {
    throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: "argumentLiteralsIncompatible", argumentName: argument } });
  }
  return id;
}

export function shopView(store: SimStore) {
  return {
    id: store.gid,
    name: store.name,
    email: store.email,
    myshopifyDomain: store.domain,
    currencyCode: store.currencyCode,
    ianaTimezone: store.ianaTimezone,
    plan: { displayName: PLAN_LIMITS[store.plan].displayName, partnerDevelopment: store.development, shopifyPlus: store.plan === "plus" },
  };
}

export function locationView(store: SimStore, location: SimLocation) {
  return {
    __typename: "Location",
    id: gid("Location", location.id),
    name: location.name,
    isActive: location.isActive,
    isPrimary: location.isPrimary,
    fulfillsOnlineOrders: true,
    inventoryLevel: ({ inventoryItemId, includeInactive }: { inventoryItemId: string; includeInactive?: boolean }) => {
      const item = store.inventoryItems.get(requireGid(inventoryItemId, "InventoryItem", "inventoryItemId"));
      return item ? levelViewAt(store, item, location.id, includeInactive) : null;
    },
  };
}

/** The item's level at a location: the stocked one, or (2026-10's includeInactive) an inactive one. */
function levelViewAt(store: SimStore, item: SimInventoryItem, locationId: number, includeInactive = false) {
  if (item.levels.has(locationId)) return levelView(store, item, locationId);
  const inactive = includeInactive ? item.inactiveLevels?.get(locationId) : undefined;
  return inactive ? levelView(store, item, locationId, inactive) : null;
}

export function levelView(store: SimStore, item: SimInventoryItem, locationId: number, level: SimLevel = item.levels.get(locationId)!) {
  return {
    __typename: "InventoryLevel",
    id: `gid://shopify/InventoryLevel/${item.id}?inventory_item_id=${item.id}&location_id=${locationId}`,
    item: () => itemView(store, item),
    location: () => locationView(store, store.locations.get(locationId)!),
    updatedAt: level.updatedAt,
    quantities: ({ names }: { names: string[] }) =>
      names.map((name) => ({
        id: `gid://shopify/InventoryQuantity/${item.id}?location_id=${locationId}&name=${name}`,
        name,
        quantity: quantityNamed(level, name),
        updatedAt: level.updatedAt,
      })),
  };
}

const QUANTITY_NAMES = new Set(["available", "on_hand", "committed", "incoming", "reserved", "damaged", "quality_control", "safety_stock"]);

export function quantityNamed(level: SimLevel, name: string): number {
  if (!QUANTITY_NAMES.has(name)) throw new GraphQLError(`Invalid quantity name: ${name}`, { extensions: { code: "BAD_REQUEST" } });
  if (name === "on_hand") return onHand(level);
  if (name === "available" || name === "committed" || name === "incoming" || name === "reserved") return level[name];
  return 0;
}

export function itemView(store: SimStore, item: SimInventoryItem) {
  const variant = store.variants.get(item.variantId)!;
  return {
    __typename: "InventoryItem",
    id: gid("InventoryItem", item.id),
    sku: variant.sku,
    tracked: item.tracked,
    unitCost: item.unitCost === undefined ? null : { amount: item.unitCost, currencyCode: store.currencyCode },
    measurement: { id: gid("InventoryItemMeasurement", item.id), weight: item.weight ?? { value: 0, unit: "KILOGRAMS" } },
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    variant: () => variantView(store, variant),
    inventoryLevel: ({ locationId, includeInactive }: { locationId: string; includeInactive?: boolean }) =>
      levelViewAt(store, item, requireGid(locationId, "Location", "locationId"), includeInactive),
    inventoryLevels: (args: Args) =>
      connection(
        [...item.levels.keys()].sort((a, b) => a - b).map((id) => ({ id })),
        args,
        ({ id }) => levelView(store, item, id),
      ),
  };
}

export function variantView(store: SimStore, variant: SimVariant) {
  const product = store.products.get(variant.productId)!;
  const item = variant.inventoryItem;
  const title = variant.selectedOptions.map((o) => o.value).join(" / ");
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", variant.id),
    title,
    displayName: `${product.title} - ${title}`,
    sku: variant.sku,
    price: variant.price,
    compareAtPrice: variant.compareAtPrice,
    barcode: variant.barcode,
    position: variant.position,
    taxable: variant.taxable,
    inventoryPolicy: variant.inventoryPolicy ?? "DENY",
    selectedOptions: variant.selectedOptions,
    createdAt: variant.createdAt,
    updatedAt: variant.updatedAt,
    inventoryQuantity: item.tracked ? [...item.levels.values()].reduce((sum, level) => sum + level.available, 0) : null,
    inventoryItem: () => itemView(store, item),
    product: () => productView(store, product),
  };
}

function metafieldView(metafields: Map<string, SimMetafield> | undefined, { namespace, key }: { namespace?: string | null; key: string }) {
  const metafield = metafields?.get(`${resolveNamespace(namespace)}.${key}`);
  return metafield ? { __typename: "Metafield", id: gid("Metafield", metafield.id), namespace: metafield.namespace, key: metafield.key, type: metafield.type, value: metafield.value } : null;
}

/** A metafields connection: every one, or those of a namespace, or those named `namespace.key` in `keys`. */
function metafieldsView(metafields: Map<string, SimMetafield> | undefined, args: Args & { namespace?: string | null; keys?: string[] | null }) {
  const namespace = args.namespace == null ? null : resolveNamespace(args.namespace);
  const keys = args.keys == null ? null : new Set(args.keys.map((name) => { const dot = name.lastIndexOf("."); return `${resolveNamespace(name.slice(0, dot))}.${name.slice(dot + 1)}`; }));
  const chosen = [...(metafields?.values() ?? [])].filter((m) => (namespace === null || m.namespace === namespace) && (keys === null || keys.has(`${m.namespace}.${m.key}`)));
  return connection(chosen, args, (m) => metafieldView(metafields, m)!);
}

export function metafieldDefinitionView(definition: SimMetafieldDefinition) {
  return {
    __typename: "MetafieldDefinition", id: gid("MetafieldDefinition", definition.id), name: definition.name, namespace: definition.namespace, key: definition.key,
    ownerType: definition.ownerType, type: { name: definition.type },
  };
}

export function productView(store: SimStore, product: SimProduct) {
  const variants = store.variantsOf(product);
  return {
    __typename: "Product",
    id: gid("Product", product.id),
    title: product.title,
    handle: product.handle,
    descriptionHtml: product.descriptionHtml,
    vendor: product.vendor,
    productType: product.productType,
    status: product.status,
    tags: product.tags,
    seo: { title: product.seo?.title ?? null, description: product.seo?.description ?? null },
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    hasOnlyDefaultVariant: variants.length === 1 && variants[0].selectedOptions[0]?.value === "Default Title",
    totalInventory: () =>
      variants.reduce((sum, v) => sum + [...v.inventoryItem.levels.values()].reduce((s, l) => s + l.available, 0), 0),
    options: ({ first }: { first?: number | null }) =>
      product.options.slice(0, first ?? undefined).map((option) => ({
        id: gid("ProductOption", option.id),
        name: option.name,
        position: option.position,
        values: option.values.map((v) => v.name),
        optionValues: option.values.map((v) => ({ id: gid("ProductOptionValue", v.id), name: v.name })),
      })),
    variants: (args: Args) => connection(variants, args, (v) => variantView(store, v)),
    metafield: (args: { namespace?: string | null; key: string }) => metafieldView(product.metafields, args),
    metafields: (args: Args & { namespace?: string | null; keys?: string[] | null }) => metafieldsView(product.metafields, args),
    collections: (args: Args) =>
      connection([...store.collections.values()].filter((c) => c.productIds.includes(product.id)), args, (c) => collectionView(store, c)),
    media: (args: Args) =>
      connection(product.media, args, (media) => ({
        __typename: "MediaImage",
        id: gid("MediaImage", media.id),
        alt: media.alt,
        mediaContentType: "IMAGE",
        status: "READY",
        image: { id: gid("ImageSource", media.id), url: media.url, altText: media.alt, width: 1024, height: 1024 },
      })),
  };
}

export function collectionView(store: SimStore, collection: SimCollection) {
  return {
    __typename: "Collection",
    id: gid("Collection", collection.id),
    title: collection.title,
    handle: collection.handle,
    descriptionHtml: collection.descriptionHtml,
    sortOrder: collection.sortOrder,
    updatedAt: collection.updatedAt,
    productsCount: { count: collection.productIds.length, precision: "EXACT" },
    // Collection order is the merchant's (manual) order, so this pages by position, not by id.
    products: (args: Args) =>
      connection(
        collection.productIds.map((id, index) => ({ id: index + 1, productId: id })),
        args,
        ({ productId }) => productView(store, store.products.get(productId)!),
      ),
  };
}

function lineItemView(store: SimStore, line: SimLineItem, currencyCode = store.currencyCode) {
  return {
    originalUnitPriceSet: { shopMoney: { amount: line.price, currencyCode } },
    id: gid("LineItem", line.id),
    title: line.title,
    name: line.title,
    sku: line.sku,
    quantity: line.quantity,
    currentQuantity: line.currentQuantity,
    variant: () => (line.variantId !== null && store.variants.has(line.variantId) ? variantView(store, store.variants.get(line.variantId)!) : null),
    product: () => (line.productId !== null && store.products.has(line.productId) ? productView(store, store.products.get(line.productId)!) : null),
  };
}

export function orderView(store: SimStore, order: SimOrder) {
  const location = order.locationId === null ? undefined : store.locations.get(order.locationId);
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    name: order.name,
    email: protectedField(store, "Order", "email", order.email),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt,
    currencyCode: order.currencyCode,
    displayFinancialStatus: order.financialStatus,
    // The simulator fulfils orders at once (sim/README.md).
    displayFulfillmentStatus: "FULFILLED",
    test: false,
    tags: order.tags,
    sourceName: order.sourceName,
    sourceIdentifier: order.sourceIdentifier,
    customer: () => (order.customerId !== null && store.customers.has(order.customerId) ? customerView(store, store.customers.get(order.customerId)!) : null),
    retailLocation: () => (location ? locationView(store, location) : null),
    lineItems: (args: Args) => connection(order.lineItems, args, (line) => lineItemView(store, line, order.currencyCode)),
    metafield: (args: { namespace?: string | null; key: string }) => metafieldView(order.metafields, args),
    fulfillmentOrders: (args: Args) => connection(fulfillmentOrdersOf(order), args, (fulfillmentOrder) => fulfillmentOrderView(store, order, fulfillmentOrder)),
    refunds: (args: Args) => order.refunds.slice(0, typeof args.first === "number" ? args.first : undefined).map((refund) => refundView(store, order, refund)),
  };
}

/**
 * An order's fulfillment orders: one per location its lines were routed to, named after its first
 * line (the simulator fulfils at once, so each is CLOSED and never moves).
 */
function fulfillmentOrdersOf(order: SimOrder): { id: number; locationId: number; lines: SimLineItem[] }[] {
  const byLocation = new Map<number, SimLineItem[]>();
  for (const line of order.lineItems) byLocation.set(line.locationId, [...(byLocation.get(line.locationId) ?? []), line]);
  return [...byLocation].map(([locationId, lines]) => ({ id: lines[0].id, locationId, lines }));
}

function fulfillmentOrderView(store: SimStore, order: SimOrder, fulfillmentOrder: { id: number; locationId: number; lines: SimLineItem[] }) {
  const location = store.locations.get(fulfillmentOrder.locationId);
  return {
    __typename: "FulfillmentOrder",
    id: gid("FulfillmentOrder", fulfillmentOrder.id),
    orderId: gid("Order", order.id),
    status: "CLOSED",
    assignedLocation: { name: location?.name ?? "", location: () => (location ? locationView(store, location) : null) },
    lineItems: (args: Args) => connection(fulfillmentOrder.lines, args, (line) => ({
      __typename: "FulfillmentOrderLineItem",
      id: gid("FulfillmentOrderLineItem", line.id),
      sku: line.sku,
      totalQuantity: line.quantity,
      lineItem: lineItemView(store, line, order.currencyCode),
    })),
  };
}

export function refundView(store: SimStore, order: SimOrder, refund: SimRefund) {
  return {
    __typename: "Refund",
    id: gid("Refund", refund.id),
    createdAt: refund.createdAt,
    // Refund lines have no id of their own: the connection's cursors number them.
    refundLineItems: (lineArgs: Args) => connection(refund.lines.map((line, index) => ({ ...line, id: index + 1 })), lineArgs, (refunded) => {
      const line = order.lineItems.find((l) => l.id === refunded.lineItemId)!;
      return {
        quantity: refunded.quantity,
        // Shopify records a cancellation's restock as CANCEL, a return's as RETURN.
        restockType: refunded.restock ? (refund.cancel ? "CANCEL" : "RETURN") : "NO_RESTOCK",
        restocked: refunded.restock,
        location: () => (refunded.restock && store.locations.has(line.locationId) ? locationView(store, store.locations.get(line.locationId)!) : null),
        lineItem: lineItemView(store, line),
      };
    }),
  };
}

/**
 * A protected customer field (name, e-mail, address, phone) as an app without Shopify's approval
 * for them reads it: an access error on that field, the rest of the answer intact
 * (https://shopify.dev/docs/apps/launch/protected-customer-data; assumption: the error's code is
 * ACCESS_DENIED, as Shopify's other access errors).
 */
function protectedField<T>(store: SimStore, object: string, field: string, value: T): () => T {
  return () => {
    if (readsProtectedCustomerFields(store)) return value;
    throw new GraphQLError(`This app is not approved to access the ${field} field of the ${object} object. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.`, {
      extensions: { code: "ACCESS_DENIED" },
    });
  };
}

export function customerView(store: SimStore, customer: SimCustomer) {
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  return {
    __typename: "Customer",
    id: gid("Customer", customer.id),
    email: protectedField(store, "Customer", "email", customer.email),
    defaultEmailAddress: protectedField(store, "Customer", "defaultEmailAddress", customer.email === null ? null : { emailAddress: customer.email }),
    firstName: protectedField(store, "Customer", "firstName", customer.firstName),
    lastName: protectedField(store, "Customer", "lastName", customer.lastName),
    // Shopify: the full name, else the e-mail address; ••• when the app may not read what it would show.
    displayName: () => (readsProtectedCustomerFields(store) ? name || customer.email || "" : name || customer.email ? "•••" : ""),
    createdAt: customer.createdAt,
  };
}

export const customerSearchFields = {
  email: (c: SimCustomer) => c.email,
  first_name: (c: SimCustomer) => c.firstName,
  last_name: (c: SimCustomer) => c.lastName,
  id: (c: SimCustomer) => c.id,
};

export function searchCustomers(store: SimStore, query: string | null | undefined, context: Pick<Context, "world" | "searchIndexLagMs">): Iterable<SimCustomer> {
  const terms = parseSearch(query);
  if (terms.every((group) => group.length === 0)) return store.customers.values();
  return indexed(store.customers.values(), context).filter((c) => matchesSearch(c, terms, customerSearchFields, (item) => `${item.firstName ?? ""} ${item.lastName ?? ""} ${item.email ?? ""}`));
}

export const orderSearchFields = {
  tag: (o: SimOrder) => o.tags,
  email: (o: SimOrder) => o.email,
  updated_at: (o: SimOrder) => o.updatedAt,
  created_at: (o: SimOrder) => o.createdAt,
  financial_status: (o: SimOrder) => o.financialStatus.toLowerCase(),
  id: (o: SimOrder) => o.id,
  name: (o: SimOrder) => o.name,
};

export function searchOrders(store: SimStore, query: string | null | undefined, context: Pick<Context, "world" | "searchIndexLagMs">): Iterable<SimOrder> {
  const terms = parseSearch(query);
  if (terms.every((group) => group.length === 0)) return store.orders.values();
  return indexed(store.orders.values(), context).filter((o) => matchesSearch(o, terms, orderSearchFields, (item) => item.name));
}

export const productSearchFields = (store: SimStore) => ({
  sku: (p: SimProduct) => store.variantsOf(p).map((v) => v.sku ?? "").filter(Boolean),
  status: (p: SimProduct) => p.status,
  tag: (p: SimProduct) => p.tags,
  title: (p: SimProduct) => p.title,
  handle: (p: SimProduct) => p.handle,
  updated_at: (p: SimProduct) => p.updatedAt,
  created_at: (p: SimProduct) => p.createdAt,
  id: (p: SimProduct) => p.id,
  product_type: (p: SimProduct) => p.productType,
  vendor: (p: SimProduct) => p.vendor,
});

export const variantSearchFields = (store: SimStore) => ({
  sku: (v: SimVariant) => v.sku,
  product_id: (v: SimVariant) => v.productId,
  updated_at: (v: SimVariant) => v.updatedAt,
  id: (v: SimVariant) => v.id,
  title: (v: SimVariant) => store.products.get(v.productId)?.title,
});

export function searchProducts(store: SimStore, query: string | null | undefined, context: Pick<Context, "world" | "searchIndexLagMs">): Iterable<SimProduct> {
  const terms = parseSearch(query);
  if (terms.every((group) => group.length === 0)) return store.products.values();
  const fields = productSearchFields(store);
  return indexed(store.products.values(), context).filter((p) => matchesSearch(p, terms, fields, (item) => item.title));
}

export function searchVariants(store: SimStore, query: string | null | undefined, context: Pick<Context, "world" | "searchIndexLagMs">): Iterable<SimVariant> {
  const terms = parseSearch(query);
  if (terms.every((group) => group.length === 0)) return store.variants.values();
  const fields = variantSearchFields(store);
  return indexed(store.variants.values(), context).filter((v) => matchesSearch(v, terms, fields, (item) => store.products.get(item.productId)?.title ?? ""));
}

/** Resolves any supported global ID to its view, or null. */
export function nodeView(store: SimStore, value: string, context?: Context) {
  const id = parseGid(value);
  if (id === null) throw new GraphQLError(`Invalid global id '${value}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
  switch (gidType(value)) {
    case "Product": return store.products.has(id) ? productView(store, store.products.get(id)!) : null;
    case "ProductVariant": return store.variants.has(id) ? variantView(store, store.variants.get(id)!) : null;
    case "InventoryItem": return store.inventoryItems.has(id) ? itemView(store, store.inventoryItems.get(id)!) : null;
    case "Location": return store.locations.has(id) ? locationView(store, store.locations.get(id)!) : null;
    case "Collection": return store.collections.has(id) ? collectionView(store, store.collections.get(id)!) : null;
    case "Order": return store.orders.has(id) ? orderView(store, store.orders.get(id)!) : null;
    case "BulkOperation": {
      const op = context?.bulk?.operations.get(id);
      return op && op.shop === store.domain ? bulkOperationView(context!.origin, op) : null;
    }
    default: return null;
  }
}
