import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { gid } from "../ids";
import { type InventoryPolicy, type ProductStatus, type WeightUnit, resolveNamespace } from "../store";
import { MAX_VARIANTS_PER_PRODUCT, type MetafieldInput, type ProductInput, SimUserError, type VariantInput } from "../world";
import { bulkOperationView } from "../bulk-view";
import { connection } from "./connection";
import { optionalIdempotencyKey, requiredIdempotencyKey } from "./idempotency";
import {
  type Context, collectionView, customerView, searchCustomers, itemView, locationView, nodeView, orderView, productView, refundView, requireGid, searchOrders, searchProducts,
  searchVariants, shopView, variantView, metafieldDefinitionView,
} from "./views";

type Json = Record<string, unknown>;
type Resolver = (args: Json, context: Context, info: GraphQLResolveInfo) => unknown;

/**
 * From 2026-04, inventory writes must name the quantity they expect (changeFromQuantity, null
 * included) and carry an @idempotent key; at 2026-01 both are optional.
 */
function changeFromAndKeyRequired(context: Context): boolean {
  return context.apiVersion >= "2026-04";
}

/** From 2026-10 a write at a location the item is not stocked at is taken (an inactive level). */
function stocksAnywhere(context: Context): boolean {
  return context.apiVersion >= "2026-10";
}

/**
 * Inventory mutations: an @idempotent key seen before returns its first result instead of writing
 * again (sim/graphql/idempotency.ts); the key is optional at 2026-01, required from 2026-04.
 */
function idempotentInventory(run: Resolver): Resolver {
  return (args, context, info) => {
    const key = changeFromAndKeyRequired(context) ? requiredIdempotencyKey(info) : optionalIdempotencyKey(info);
    if (key === null) return run(args, context, info);
    return context.idempotency!.run(context.store.domain, key, args, () => run(args, context, info) as Json);
  };
}

/** 2026-04+: changeFromQuantity must be present on every quantity, null included (a top-level error otherwise). */
function requireChangeFromQuantity(items: Json[], inputType: string) {
  if (items.some((item) => !("changeFromQuantity" in item))) {
    throw new GraphQLError(`${inputType} must include the following argument: changeFromQuantity.`, { extensions: { code: "INVALID_FIELD_ARGUMENTS" } });
  }
}

/**
 * A write's ledger document (InventoryChangeInput, InventoryMoveQuantityTerminalInput): "Required
 * for all quantity names except `available`. Cannot use gid://shopify/* format."; at `available` none
 * is allowed (INVALID_AVAILABLE_DOCUMENT).
 */
function checkLedgerDocument(name: string, uri: unknown, field: string[]) {
  if (name === "available") {
    if (uri !== undefined && uri !== null) throw new SimUserError("INVALID_AVAILABLE_DOCUMENT", field, "A ledger document URI is not allowed when adjusting available.");
    return;
  }
  if (typeof uri !== "string" || uri === "") throw new SimUserError("INVALID_QUANTITY_DOCUMENT", field, "A ledger document URI is required except when adjusting available.");
  if (uri.startsWith("gid://shopify/")) throw new SimUserError("INTERNAL_LEDGER_DOCUMENT", field, "Internal (gid://shopify/) ledger documents are not allowed to be adjusted via API.");
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(uri)) throw new SimUserError("INVALID_LEDGER_DOCUMENT", field, "The specified ledger document is invalid.");
}

/**
 * States units can be moved between. Shopify also has `damaged`, `quality_control` and
 * `safety_stock`; the simulator keeps no such quantities and refuses them (sim/README.md).
 */
const MOVABLE_STATES = new Set(["available", "reserved"]);

/** Mutations report validation problems as userErrors in their payload, never as top-level errors. */
function withUserErrors(run: (args: Json, context: Context) => Json): Resolver {
  return (args, context) => {
    try {
      return { ...run(args, context), userErrors: [] };
    } catch (error) {
      if (!(error instanceof SimUserError)) throw error;
      return { userErrors: [{ code: error.code, field: error.field, message: error.message }] };
    }
  };
}

function optionValues(values: unknown): string[] | undefined {
  if (!Array.isArray(values)) return undefined;
  return values.map((value) => String((value as Json).name));
}

function toVariantInput(input: Json): VariantInput {
  const inventoryItem = input.inventoryItem as Json | undefined;
  return {
    ...(input.id !== undefined && input.id !== null ? { id: requireGid(String(input.id), "ProductVariant") } : {}),
    ...(input.sku !== undefined ? { sku: input.sku as string | null } : {}),
    ...(inventoryItem?.sku !== undefined ? { sku: inventoryItem.sku as string | null } : {}),
    ...(inventoryItem?.tracked !== undefined ? { tracked: Boolean(inventoryItem.tracked) } : {}),
    ...(inventoryItem?.cost !== undefined ? { cost: inventoryItem.cost === null ? null : String(inventoryItem.cost) } : {}),
    ...((inventoryItem?.measurement as Json | undefined)?.weight ? { weight: (inventoryItem!.measurement as Json).weight as { value: number; unit: WeightUnit } } : {}),
    ...(input.inventoryPolicy !== undefined ? { inventoryPolicy: input.inventoryPolicy as InventoryPolicy } : {}),
    ...(input.price !== undefined ? { price: String(input.price) } : {}),
    ...(input.compareAtPrice !== undefined ? { compareAtPrice: input.compareAtPrice === null ? null : String(input.compareAtPrice) } : {}),
    ...(input.barcode !== undefined ? { barcode: input.barcode as string | null } : {}),
    ...(input.taxable !== undefined ? { taxable: Boolean(input.taxable) } : {}),
    ...(input.optionValues ? { options: optionValues(input.optionValues) } : {}),
  };
}

function toProductInput(input: Json, files?: unknown): ProductInput {
  const options = (input.productOptions as Json[] | undefined)?.map((option) => ({
    name: String(option.name),
    values: ((option.values as Json[] | undefined) ?? []).map((value) => String(value.name)),
  }));
  const media = (files as Json[] | undefined)?.map((file) => ({ url: String(file.originalSource), alt: (file.alt as string | undefined) ?? "" }));
  return {
    ...(input.title !== undefined ? { title: String(input.title) } : {}),
    ...(input.handle !== undefined ? { handle: String(input.handle) } : {}),
    ...(input.descriptionHtml !== undefined ? { descriptionHtml: String(input.descriptionHtml) } : {}),
    ...(input.vendor !== undefined ? { vendor: String(input.vendor) } : {}),
    ...(input.productType !== undefined ? { productType: String(input.productType) } : {}),
    ...(input.status !== undefined ? { status: input.status as ProductStatus } : {}),
    ...(input.tags !== undefined ? { tags: input.tags as string[] } : {}),
    ...(input.seo ? { seo: input.seo as { title?: string | null; description?: string | null } } : {}),
    ...(options ? { options } : {}),
    ...(media ? { images: media } : {}),
  };
}

export const queryResolvers: Record<string, Resolver> = {
  shop: (_args, { store }) => shopView(store),
  locations: (args, { store }) =>
    connection([...store.locations.values()].filter((l) => l.isActive || args.includeInactive), args, (l) => locationView(store, l)),
  location: (args, { store }) => {
    if (!args.id) return locationView(store, store.primaryLocation());
    const location = store.locations.get(requireGid(String(args.id), "Location"));
    return location ? locationView(store, location) : null;
  },
  products: (args, context) => connection(searchProducts(context.store, args.query as string | undefined, context), args, (p) => productView(context.store, p)),
  product: (args, { store }) => {
    const product = store.products.get(requireGid(String(args.id), "Product"));
    return product ? productView(store, product) : null;
  },
  productByIdentifier: (args, { world, store }) => {
    const identifier = args.identifier as { id?: string; handle?: string; customId?: { namespace?: string | null; key: string; value: string } };
    const id = identifier.id ? requireGid(String(identifier.id), "Product") : identifier.handle ? store.handles.get(identifier.handle) : identifier.customId ? world.findByCustomId(store, "PRODUCT", identifier.customId) : null;
    const product = id === null || id === undefined ? undefined : store.products.get(id);
    return product ? productView(store, product) : null;
  },
  productVariants: (args, context) => connection(searchVariants(context.store, args.query as string | undefined, context), args, (v) => variantView(context.store, v)),
  productVariant: (args, { store }) => {
    const variant = store.variants.get(requireGid(String(args.id), "ProductVariant"));
    return variant ? variantView(store, variant) : null;
  },
  inventoryItem: (args, { store }) => {
    const item = store.inventoryItems.get(requireGid(String(args.id), "InventoryItem"));
    return item ? itemView(store, item) : null;
  },
  node: (args, context) => nodeView(context.store, String(args.id), context),
  nodes: (args, context) => (args.ids as string[]).map((id) => nodeView(context.store, id, context)),
  currentBulkOperation: (args, { store, bulk, origin }) => {
    const op = bulk?.current(store, (args.type as "QUERY" | "MUTATION" | undefined) ?? "QUERY");
    return op ? bulkOperationView(origin, op) : null;
  },
  // Newest first by default (https://shopify.dev/docs/api/admin-graphql/2026-10/queries/bulkOperations).
  bulkOperations: (args, { store, bulk, origin }) =>
    connection(requireBulk(bulk).search(store, args.query as string | undefined), { ...args, reverse: !args.reverse }, (op) => bulkOperationView(origin, op)),
  collections: (args, { store }) => connection(store.collections.values(), args, (c) => collectionView(store, c)),
  metafieldDefinitions: (args, { store }) =>
    connection(
      [...store.metafieldDefinitions.values()].filter((d) =>
        d.ownerType === args.ownerType && (args.namespace == null || d.namespace === resolveNamespace(args.namespace as string)) && (args.key == null || d.key === args.key)),
      args,
      metafieldDefinitionView,
    ),
  collection: (args, { store }) => {
    const collection = store.collections.get(requireGid(String(args.id), "Collection"));
    return collection ? collectionView(store, collection) : null;
  },
  orders: (args, context) => connection(searchOrders(context.store, args.query as string | undefined, context), args, (o) => orderView(context.store, o)),
  order: (args, { store }) => {
    const order = store.orders.get(requireGid(String(args.id), "Order"));
    return order ? orderView(store, order) : null;
  },
  orderByIdentifier: (args, { world, store }) => {
    const identifier = args.identifier as { id?: string; customId?: { namespace?: string | null; key: string; value: string } };
    const id = identifier.id ? requireGid(String(identifier.id), "Order") : identifier.customId ? world.findByCustomId(store, "ORDER", identifier.customId) : null;
    const order = id === null ? undefined : store.orders.get(id);
    return order ? orderView(store, order) : null;
  },
  refund: (args, { store }) => {
    const id = requireGid(String(args.id), "Refund");
    for (const order of store.orders.values()) {
      const refund = order.refunds.find((r) => r.id === id);
      if (refund) return refundView(store, order, refund);
    }
    return null;
  },
  customers: (args, context) => connection(searchCustomers(context.store, args.query as string | undefined, context), args, (c) => customerView(context.store, c)),
  currentAppInstallation: (_args, { store }) => ({
    id: gid("AppInstallation", store.id),
    activeSubscriptions: (store.installation?.subscriptions ?? [])
      .filter((s) => s.status === "ACTIVE")
      .map((s) => ({ ...s, id: gid("AppSubscription", s.id) })),
  }),
};

export const mutationResolvers: Record<string, Resolver> = {
  // With an identifier, an upsert (2025-04+): the product it names is updated, or a new one made
  // (https://shopify.dev/changelog/productset-and-customerset-mutations-now-support-upserts).
  productSet: withUserErrors((args, { world, store }) => {
    const input = args.input as Json;
    const identifier = args.identifier as { id?: string; handle?: string; customId?: { namespace?: string | null; key: string; value: string } } | null | undefined;
    let id = input.id ? requireGid(String(input.id), "Product") : null;
    if (identifier?.id) {
      id = requireGid(String(identifier.id), "Product");
      if (!store.products.has(id)) throw new SimUserError("PRODUCT_DOES_NOT_EXIST", ["identifier", "id"], "Product does not exist");
    } else if (identifier?.handle) id = store.handles.get(identifier.handle) ?? null;
    else if (identifier?.customId) id = world.findByCustomId(store, "PRODUCT", identifier.customId);
    const metafields = (input.metafields as MetafieldInput[] | undefined) ?? [];
    world.checkMetafields(store, "PRODUCT", id, metafields);
    const variants = (input.variants as Json[] | undefined)?.map((v) => toVariantInput(v));
    const product = world.setProduct(store, id, { ...toProductInput(input, input.files), ...(variants ? { variants } : {}) });
    world.setMetafields(store, "PRODUCT", product, metafields);
    return { product: productView(store, product) };
  }),
  metafieldDefinitionCreate: withUserErrors((args, { world, store }) => {
    const definition = args.definition as { name: string; namespace?: string | null; key: string; type: string; ownerType: string };
    return { createdDefinition: metafieldDefinitionView(world.createMetafieldDefinition(store, definition)) };
  }),
  productCreate: withUserErrors((args, { world, store }) => {
    const input = (args.product ?? {}) as Json;
    const product = world.createProduct(store, toProductInput(input, args.media ? (args.media as Json[]).map((m) => ({ originalSource: m.originalSource, alt: m.alt })) : undefined));
    return { product: productView(store, product) };
  }),
  productUpdate: withUserErrors((args, { world, store }) => {
    const input = (args.product ?? {}) as Json;
    if (!input.id) throw new SimUserError(null, ["id"], "Product id is required");
    const media = args.media ? (args.media as Json[]).map((m) => ({ originalSource: m.originalSource, alt: m.alt })) : undefined;
    const product = world.updateProduct(store, requireGid(String(input.id), "Product"), toProductInput(input, media));
    return { product: productView(store, product) };
  }),
  productDelete: withUserErrors((args, { world, store }) => {
    const id = requireGid(String((args.input as Json).id), "Product");
    world.deleteProduct(store, id);
    return { deletedProductId: gid("Product", id) };
  }),
  productVariantsBulkCreate: withUserErrors((args, { world, store }) => {
    const product = world.requireProduct(store, requireGid(String(args.productId), "Product"));
    if (args.strategy === "REMOVE_STANDALONE_VARIANT") {
      const only = store.variantsOf(product);
      if (only.length === 1 && only[0].selectedOptions[0]?.value === "Default Title") world.removeVariant(store, product, only[0].id);
    }
    const created = (args.variants as Json[]).map((v) => world.addVariant(store, product, toVariantInput(v)));
    world.emit(store, "products/update", { productId: product.id });
    return { product: productView(store, product), productVariants: created.map((v) => variantView(store, v)) };
  }),
  productVariantsBulkUpdate: withUserErrors((args, { world, store }) => {
    const product = world.requireProduct(store, requireGid(String(args.productId), "Product"));
    const inputs = (args.variants as Json[]).map((v) => {
      if (!v.id) throw new SimUserError("PRODUCT_VARIANT_ID_MISSING", ["variants", "id"], "Product variant is missing ID attribute.");
      return toVariantInput(v) as VariantInput & { id: number };
    });
    const updated = inputs.map((input) => world.updateVariant(store, product, input));
    world.emit(store, "products/update", { productId: product.id });
    return { product: productView(store, product), productVariants: updated.map((v) => variantView(store, v)) };
  }),
  productVariantsBulkDelete: withUserErrors((args, { world, store }) => {
    const product = world.requireProduct(store, requireGid(String(args.productId), "Product"));
    for (const id of args.variantsIds as string[]) world.removeVariant(store, product, requireGid(id, "ProductVariant"));
    world.emit(store, "products/update", { productId: product.id });
    return { product: productView(store, product) };
  }),
  inventorySetQuantities: idempotentInventory(withUserErrors((args, context) => {
    const { world, store } = context;
    const input = args.input as Json;
    const name = String(input.name);
    if (name !== "available" && name !== "on_hand") throw new SimUserError("INVALID_NAME", ["input", "name"], "The quantity name must be either 'available' or 'on_hand'.");
    const quantities = input.quantities as Json[];
    if (changeFromAndKeyRequired(context)) requireChangeFromQuantity(quantities, "InventoryQuantityInput");
    // Validate everything first: Shopify applies all quantities or none.
    const planned = quantities.map((q, index) => {
      const item = world.requireItem(store, requireGid(String(q.inventoryItemId), "InventoryItem", "inventoryItemId"));
      const locationId = requireGid(String(q.locationId), "Location", "locationId");
      const stocked = item.levels.get(locationId);
      // Checked only here: at 2026-10 the level an unstocked item gets is made by the write itself.
      if (!stocked && (!stocksAnywhere(context) || !store.locations.has(locationId))) world.requireLevel(store, item, locationId);
      const quantity = Number(q.quantity);
      // 2026-01 still has compareQuantity and ignoreCompareQuantity (not simulated): a quantity that
      // names neither nor changeFromQuantity is refused there as Shopify refuses it.
      if (!("changeFromQuantity" in q)) {
        throw new SimUserError("COMPARE_QUANTITY_REQUIRED", ["input", "quantities", String(index), "compareQuantity"], "The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.");
      }
      const current = stocked ? world.quantity(stocked, name) : (item.inactiveLevels?.get(locationId)?.available ?? 0);
      if (q.changeFromQuantity !== null && q.changeFromQuantity !== current) {
        throw new SimUserError("CHANGE_FROM_QUANTITY_STALE", ["input", "quantities", String(index), "changeFromQuantity"], "The changeFromQuantity value does not match persisted value.");
      }
      return { item, locationId, quantity };
    });
    const changes = planned.map(({ item, locationId, quantity }) => {
      const delta = world.setQuantity(store, item, locationId, name, quantity, { stockAnywhere: stocksAnywhere(context) });
      return { name, delta, quantityAfterChange: quantity, item: () => itemView(store, item), location: () => locationView(store, store.locations.get(locationId)!) };
    });
    return { inventoryAdjustmentGroup: adjustmentGroup(world.id(), world.timestamp(), input, changes) };
  })),
  inventoryAdjustQuantities: idempotentInventory(withUserErrors((args, context) => {
    const { world, store } = context;
    const input = args.input as Json;
    const name = String(input.name);
    if (changeFromAndKeyRequired(context)) requireChangeFromQuantity(input.changes as Json[], "InventoryChangeInput");
    const documents = new Set((input.changes as Json[]).map((change) => change.ledgerDocumentUri ?? null));
    if (documents.size > 1) throw new SimUserError("MAX_ONE_LEDGER_DOCUMENT", ["input", "changes"], "All changes must have the same ledger document URI or, in the case of adjusting available, no ledger document URI.");
    const planned = (input.changes as Json[]).map((change, index) => {
      checkLedgerDocument(name, change.ledgerDocumentUri, ["input", "changes", String(index), "ledgerDocumentUri"]);
      const item = world.requireItem(store, requireGid(String(change.inventoryItemId), "InventoryItem", "inventoryItemId"));
      const locationId = requireGid(String(change.locationId), "Location", "locationId");
      const stocked = item.levels.get(locationId);
      if (!stocked && (!stocksAnywhere(context) || !store.locations.has(locationId))) world.requireLevel(store, item, locationId);
      const current = stocked ? world.quantity(stocked, name) : (item.inactiveLevels?.get(locationId)?.available ?? 0);
      if (change.changeFromQuantity !== undefined && change.changeFromQuantity !== null && change.changeFromQuantity !== current) {
        throw new SimUserError("CHANGE_FROM_QUANTITY_STALE", ["input", "changes", String(index), "changeFromQuantity"], "The changeFromQuantity argument no longer matches the persisted quantity.");
      }
      return { item, locationId, delta: Number(change.delta) };
    });
    const changes = planned.map(({ item, locationId, delta }) => {
      const after = world.adjustQuantity(store, item, locationId, name, delta, { stockAnywhere: stocksAnywhere(context) });
      return { name, delta, quantityAfterChange: after, item: () => itemView(store, item), location: () => locationView(store, store.locations.get(locationId)!) };
    });
    return { inventoryAdjustmentGroup: adjustmentGroup(world.id(), world.timestamp(), input, changes) };
  })),
  inventoryMoveQuantities: idempotentInventory(withUserErrors((args, context) => {
    const { world, store } = context;
    const input = args.input as Json;
    const changes = input.changes as Json[];
    if (changeFromAndKeyRequired(context)) requireChangeFromQuantity(changes.flatMap((change) => [change.from as Json, change.to as Json]), "InventoryMoveQuantityTerminalInput");
    const documents = new Set(changes.flatMap((change) => [(change.from as Json).ledgerDocumentUri, (change.to as Json).ledgerDocumentUri]).filter((uri) => uri !== undefined && uri !== null));
    if (documents.size > 2) throw new SimUserError("MAXIMUM_LEDGER_DOCUMENT_URIS", ["input", "changes"], "Only a maximum of 2 ledger document URIs across all changes is allowed.");
    // Validate everything first: Shopify applies all changes or none.
    const planned = changes.map((change, index) => {
      const at = (...rest: string[]) => ["input", "changes", String(index), ...rest];
      const quantity = Number(change.quantity);
      if (quantity < 0) throw new SimUserError("INVALID_QUANTITY_NEGATIVE", at("quantity"), "The quantity can't be negative.");
      const item = world.requireItem(store, requireGid(String(change.inventoryItemId), "InventoryItem", "inventoryItemId"));
      const sides = (["from", "to"] as const).map((side) => {
        const terminal = change[side] as Json;
        const name = String(terminal.name);
        if (!MOVABLE_STATES.has(name)) throw new SimUserError("INVALID_QUANTITY_NAME", at(side, "name"), "The specified quantity name is invalid.");
        checkLedgerDocument(name, terminal.ledgerDocumentUri, at(side, "ledgerDocumentUri"));
        const locationId = requireGid(String(terminal.locationId), "Location", "locationId");
        const level = world.requireLevel(store, item, locationId);
        const current = world.quantity(level, name);
        if (terminal.changeFromQuantity !== undefined && terminal.changeFromQuantity !== null && terminal.changeFromQuantity !== current) {
          throw new SimUserError("CHANGE_FROM_QUANTITY_STALE", at(side, "changeFromQuantity"), "The changeFromQuantity argument no longer matches the persisted quantity.");
        }
        return { name, locationId, current };
      });
      const [from, to] = sides;
      if (from.name === to.name && from.locationId === to.locationId) throw new SimUserError("SAME_QUANTITY_NAME", at("to", "name"), "The quantity names for each change can't be the same.");
      if (from.name !== to.name && from.locationId !== to.locationId) throw new SimUserError("DIFFERENT_LOCATIONS", at("to", "locationId"), "The quantities can't be moved between different locations.");
      // Assumption (no public figure): a state other than available cannot be moved below zero.
      if (from.name !== "available" && from.current < quantity) throw new SimUserError("INVALID_QUANTITY_NEGATIVE", at("quantity"), "The quantity can't be negative.");
      return { item, from, to, quantity };
    });
    const result = planned.flatMap(({ item, from, to, quantity }) => {
      const { fromAfter, toAfter } = world.moveQuantity(store, item, from, to, quantity);
      const view = (locationId: number) => ({ item: () => itemView(store, item), location: () => locationView(store, store.locations.get(locationId)!) });
      return [
        { name: from.name, delta: -quantity, quantityAfterChange: fromAfter, ...view(from.locationId) },
        { name: to.name, delta: quantity, quantityAfterChange: toAfter, ...view(to.locationId) },
      ];
    });
    return { inventoryAdjustmentGroup: adjustmentGroup(world.id(), world.timestamp(), input, result) };
  })),
  customerCreate: withUserErrors((args, { world, store }) => {
    const input = args.input as Json;
    const customer = world.createCustomer(store, {
      email: input.email as string | null | undefined, firstName: input.firstName as string | null | undefined, lastName: input.lastName as string | null | undefined,
    });
    return { customer: customerView(store, customer) };
  }),
  orderCreate: withUserErrors((args, { world, store }) => {
    const input = args.order as Json;
    const options = (args.options as Json | undefined) ?? {};
    const customerInput = input.customer as { toAssociate?: Json; toUpsert?: Json } | undefined;
    if (customerInput?.toAssociate && customerInput.toUpsert) {
      throw new SimUserError("REDUNDANT_CUSTOMER_FIELDS", ["order", "customer"], "Only one of toAssociate or toUpsert can be given.");
    }
    let customerId: number | null = null;
    if (customerInput?.toAssociate) {
      const { id, email } = customerInput.toAssociate;
      const customer = id ? store.customers.get(requireGid(String(id), "Customer")) : email ? world.findCustomerByEmail(store, String(email)) : undefined;
      if (!customer) throw new SimUserError("INVALID", ["order", "customer", "toAssociate"], "Customer does not exist");
      customerId = customer.id;
    } else if (customerInput?.toUpsert) {
      const upsert = customerInput.toUpsert;
      const existing = upsert.email ? world.findCustomerByEmail(store, String(upsert.email)) : null;
      if (existing) {
        // An upsert updates the names it is given (which is why Tandem associates existing customers instead).
        if (upsert.firstName !== undefined) existing.firstName = upsert.firstName as string | null;
        if (upsert.lastName !== undefined) existing.lastName = upsert.lastName as string | null;
        customerId = existing.id;
      } else {
        customerId = world.createCustomer(store, { email: upsert.email as string | null, firstName: upsert.firstName as string | null, lastName: upsert.lastName as string | null }).id;
      }
    }
    const metafields = (input.metafields as MetafieldInput[] | undefined) ?? [];
    world.checkMetafields(store, "ORDER", null, metafields);
    const order = world.createOrder(store, {
      lines: ((input.lineItems as Json[] | undefined) ?? []).map((line) => ({
        ...(line.variantId ? { variantId: requireGid(String(line.variantId), "ProductVariant", "variantId") } : {}),
        sku: (line.sku as string | undefined) ?? null, title: (line.title as string | undefined) ?? null, quantity: Number(line.quantity),
        price: ((line.priceSet as { shopMoney?: { amount?: unknown } } | undefined)?.shopMoney?.amount as string | undefined) ?? null,
      })),
      currencyCode: (input.currency as string | undefined) ?? null,
      email: (input.email as string | undefined) ?? null,
      customerId,
      financialStatus: input.financialStatus === "PAID" ? "PAID" : "PENDING",
      tags: (input.tags as string[] | undefined) ?? [],
      sourceName: (input.sourceName as string | undefined) ?? null,
      sourceIdentifier: (input.sourceIdentifier as string | undefined) ?? null,
      note: (input.note as string | undefined) ?? null,
      inventoryBehaviour: (options.inventoryBehaviour as "BYPASS" | undefined) ?? "BYPASS",
    });
    world.setMetafields(store, "ORDER", order, metafields);
    return { order: orderView(store, order) };
  }),
  collectionCreate: withUserErrors((args, { world, store }) => {
    const input = args.input as Json;
    const collection = world.createCollection(store, {
      title: String(input.title ?? ""),
      ...(input.handle ? { handle: String(input.handle) } : {}),
      ...(input.descriptionHtml ? { descriptionHtml: String(input.descriptionHtml) } : {}),
      ...(input.sortOrder ? { sortOrder: String(input.sortOrder) } : {}),
      productIds: ((input.products as string[] | undefined) ?? []).map((id) => requireGid(id, "Product")),
    });
    return { collection: collectionView(store, collection) };
  }),
  collectionUpdate: withUserErrors((args, { world, store }) => {
    const input = args.input as Json;
    if (!input.id) throw new SimUserError(null, ["input", "id"], "Collection id is required");
    const collection = world.updateCollection(store, requireGid(String(input.id), "Collection"), {
      ...(input.title !== undefined ? { title: String(input.title) } : {}),
      ...(input.descriptionHtml !== undefined ? { descriptionHtml: String(input.descriptionHtml) } : {}),
    });
    return { collection: collectionView(store, collection) };
  }),
  collectionAddProducts: withUserErrors((args, { world, store }) => {
    const collection = world.addToCollection(store, requireGid(String(args.id), "Collection"), (args.productIds as string[]).map((id) => requireGid(id, "Product")));
    return { collection: collectionView(store, collection) };
  }),
  collectionRemoveProducts: withUserErrors((args, { world, store }) => {
    world.removeFromCollection(store, requireGid(String(args.id), "Collection"), (args.productIds as string[]).map((id) => requireGid(id, "Product")));
    return { job: { id: gid("Job", world.id()), done: true } };
  }),
  appSubscriptionCancel: withUserErrors((args, { world, store }) => {
    const id = requireGid(String(args.id), "AppSubscription");
    const subscription = store.installation?.subscriptions.find((s) => s.id === id);
    if (!subscription) throw new SimUserError(null, ["id"], "Subscription not found");
    if (subscription.status !== "ACTIVE") throw new SimUserError(null, ["id"], `Cannot cancel a ${subscription.status.toLowerCase()} subscription`);
    subscription.status = "CANCELLED";
    world.emit(store, "app_subscriptions/update", { subscriptionId: subscription.id });
    return { appSubscription: { ...subscription, id: gid("AppSubscription", subscription.id) } };
  }),
  bulkOperationRunQuery: withUserErrors((args, { store, bulk, origin, apiVersion }) => ({
    // groupObjects defaults to false (2026-01+): children no longer follow their parent.
    bulkOperation: bulkOperationView(origin, requireBulk(bulk).runQuery(store, String(args.query), origin, { apiVersion, groupObjects: Boolean(args.groupObjects) })),
  })),
  bulkOperationRunMutation: withUserErrors((args, { store, bulk, origin, apiVersion }) => ({
    bulkOperation: bulkOperationView(origin, requireBulk(bulk).runMutation(store, String(args.mutation), String(args.stagedUploadPath), origin, apiVersion)),
  })),
  stagedUploadsCreate: withUserErrors((args, { bulk, origin }) => ({
    stagedTargets: (args.input as Json[]).map((input) => {
      if (input.resource !== "BULK_MUTATION_VARIABLES") throw new SimUserError(null, ["input", "resource"], "Only BULK_MUTATION_VARIABLES uploads are simulated");
      const { url, key } = requireBulk(bulk).stageUpload();
      return {
        url: `${origin}${url}`,
        resourceUrl: null,
        parameters: [
          { name: "Content-Type", value: String(input.mimeType) },
          { name: "success_action_status", value: "201" },
          { name: "acl", value: "private" },
          { name: "key", value: key },
        ],
      };
    }),
  })),
  appSubscriptionCreate: withUserErrors((args, { world, store, origin }) => {
    if (!store.installation) throw new SimUserError(null, null, "App is not installed");
    const lineItem = (args.lineItems as Json[])[0];
    const pricing = ((lineItem?.plan as Json | undefined)?.appRecurringPricingDetails ?? null) as Json | null;
    if (!pricing) throw new SimUserError(null, ["lineItems"], "A recurring pricing line item is required");
    const price = pricing.price as Json;
    const subscription = {
      id: world.id(), name: String(args.name), status: "PENDING" as const, test: Boolean(args.test),
      trialDays: Number(args.trialDays ?? 0), returnUrl: String(args.returnUrl),
      price: { amount: String(price.amount), currencyCode: String(price.currencyCode) },
      createdAt: world.timestamp(), currentPeriodEnd: null,
    };
    store.installation.subscriptions.push(subscription);
    return {
      appSubscription: { ...subscription, id: gid("AppSubscription", subscription.id) },
      confirmationUrl: `${origin}/admin/${store.domain}/charges/${subscription.id}/confirm`,
    };
  }),
};

function requireBulk(bulk: Context["bulk"]) {
  if (!bulk) throw new Error("bulk operations are not available in this context");
  return bulk;
}

function adjustmentGroup(id: number, createdAt: string, input: Json, changes: unknown[]) {
  return { id: gid("InventoryAdjustmentGroup", id), createdAt, reason: input.reason, referenceDocumentUri: input.referenceDocumentUri ?? null, changes };
}

/**
 * Input lists allowed beyond 250 items: a product's variants, up to the 2,048 a product may have
 * (https://shopify.dev/changelog/dynamic-complexity-cost-for-productset-mutation and its
 * productVariantsBulkCreate/Update counterpart).
 */
const LONGER_INPUT_LISTS: Record<string, number> = {
  "productSet.input.variants": MAX_VARIANTS_PER_PRODUCT,
  "productVariantsBulkCreate.variants": MAX_VARIANTS_PER_PRODUCT,
  "productVariantsBulkUpdate.variants": MAX_VARIANTS_PER_PRODUCT,
};

export function assertInputSizes(value: unknown, path: string[]): void {
  if (Array.isArray(value)) {
    const limit = LONGER_INPUT_LISTS[path.filter((part) => !/^\d+$/.test(part)).join(".")] ?? 250;
    if (value.length > limit) {
      throw new GraphQLError(`The input array size of ${value.length} is greater than the maximum allowed of ${limit}.`, {
        extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" },
        path,
      });
    }
    value.forEach((item, index) => assertInputSizes(item, [...path, String(index)]));
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) assertInputSizes(item, [...path, key]);
  }
}
