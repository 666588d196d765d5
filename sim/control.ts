import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { HttpError, readJson, sendJson } from "./http";
import { gid, parseGid } from "./ids";
import { seedCatalogue } from "./seed";
import { snapshotStore } from "./snapshot";
import type { SimStore } from "./store";
import { SimUserError, type SimWorld } from "./world";
import type { AdminApiChaos } from "./graphql/handler";
import type { WebhookChaos, WebhookDispatcher } from "./webhooks/dispatcher";
import type { AdminApi } from "./graphql/handler";

export type Chaos = AdminApiChaos & WebhookChaos;

export const NO_CHAOS: Chaos = {
  throttledRate: 0, serverErrorRate: 0, lostResponseRate: 0, lostResponseNext: 0, lostResponseFields: [], latencyMs: 0, latencyJitterMs: 0, bulkMutationLineMs: 0, bulkPaused: false, searchIndexLagMs: 0,
  latencyTailRate: 0, latencyTailMs: 0, mutationLatencyMs: 0, bulkQueueMs: 0,
  duplicateRate: 0, reorderWindowMs: 0, delayMs: 0, dropRate: 0, webhookTailRate: 0, webhookTailMs: 0,
};

const idLike = z.union([z.number().int(), z.string()]);
const toId = (value: z.infer<typeof idLike>, type: string) => {
  const id = typeof value === "number" ? value : parseGid(value, type) ?? (/^\d+$/.test(value) ? Number(value) : null);
  if (id === null) throw new HttpError(400, `Invalid ${type} id: ${value}`);
  return id;
};

const schemas = {
  collection: z.object({ title: z.string().optional(), productIds: z.array(idLike).optional(), addProductIds: z.array(idLike).optional(), removeProductIds: z.array(idLike).optional() }),
  createStore: z.object({
    domain: z.string(),
    name: z.string().optional(),
    plan: z.enum(["standard", "advanced", "plus"]).optional(),
    currencyCode: z.string().regex(/^[A-Z]{3}$/).optional(),
    locations: z.array(z.string().min(1)).min(1).optional(),
    development: z.boolean().optional(),
    // An IANA zone name, as the merchant picks it in Shopify's admin (Settings > General).
    ianaTimezone: z.string().refine((zone) => { try { new Intl.DateTimeFormat("en", { timeZone: zone }); return true; } catch { return false; } }, "not an IANA time zone").optional(),
    // Shopify's figures are { storeVariants: 50000, perDay: 1000 } over a day; tests give smaller ones and a shorter day.
    variantCreationLimit: z.object({ storeVariants: z.number().int().min(0), perDay: z.number().int().min(0), dayMs: z.number().int().min(1).optional() }).nullable().optional(),
  }),
  install: z.object({ scopes: z.array(z.string()).default([]) }),
  seed: z.object({
    products: z.number().int().min(0).max(100_000),
    variantsPerProduct: z.number().int().min(1).max(8).optional(),
    seed: z.number().int().optional(),
    skuPrefix: z.string().optional(),
    duplicateSkus: z.number().int().min(0).optional(),
    missingSkus: z.number().int().min(0).optional(),
    maxQuantity: z.number().int().min(0).optional(),
    imagesPerProduct: z.number().int().min(0).max(10).optional(),
    status: z.enum(["ACTIVE", "DRAFT"]).optional(),
  }),
  variant: z.object({
    sku: z.string().nullable().optional(),
    price: z.union([z.string(), z.number()]).transform(String).optional(),
    compareAtPrice: z.union([z.string(), z.number()]).transform(String).nullable().optional(),
    barcode: z.string().nullable().optional(),
    options: z.array(z.string()).optional(),
    tracked: z.boolean().optional(),
    inventoryPolicy: z.enum(["DENY", "CONTINUE"]).optional(),
    cost: z.union([z.string(), z.number()]).transform(String).nullable().optional(),
    weight: z.object({ value: z.number().min(0), unit: z.enum(["GRAMS", "KILOGRAMS", "OUNCES", "POUNDS"]) }).optional(),
  }),
  product: z.object({
    title: z.string().optional(),
    handle: z.string().optional(),
    descriptionHtml: z.string().optional(),
    vendor: z.string().optional(),
    productType: z.string().optional(),
    status: z.enum(["ACTIVE", "DRAFT", "ARCHIVED", "UNLISTED"]).optional(),
    tags: z.array(z.string()).optional(),
    options: z.array(z.object({ name: z.string(), values: z.array(z.string()).min(1) })).optional(),
    images: z.array(z.object({ url: z.string().url(), alt: z.string().optional() })).optional(),
    seo: z.object({ title: z.string().nullable().optional(), description: z.string().nullable().optional() }).optional(),
    metafields: z.array(z.object({ namespace: z.string(), key: z.string(), type: z.string(), value: z.string() })).optional(),
  }),
  metafieldDefinition: z.object({ name: z.string(), namespace: z.string(), key: z.string(), type: z.string(), ownerType: z.enum(["PRODUCT"]).default("PRODUCT") }),
  inventory: z.object({
    sku: z.string().optional(),
    inventoryItemId: idLike.optional(),
    location: z.string().optional(),
    available: z.number().int().optional(),
    delta: z.number().int().optional(),
    /** false: the merchant stops stocking the item at the location (Shopify's inventoryDeactivate). */
    stocked: z.literal(false).optional(),
  }),
  order: z.object({
    lines: z.array(z.object({ sku: z.string().optional(), variantId: idLike.optional(), quantity: z.number().int() })).min(1),
    paid: z.boolean().default(true),
    location: z.string().optional(),
    email: z.string().nullable().optional(),
    customer: z.object({ firstName: z.string().nullable(), lastName: z.string().nullable(), email: z.string().nullable() }).nullable().optional(),
  }),
  customer: z.object({ email: z.string().nullable().optional(), firstName: z.string().nullable().optional(), lastName: z.string().nullable().optional() }),
  refund: z.object({ lines: z.array(z.object({ lineItemId: idLike, quantity: z.number().int(), restock: z.boolean().default(true) })).min(1) }),
  cancel: z.object({ restock: z.boolean().default(true) }),
  plan: z.object({ plan: z.enum(["standard", "advanced", "plus"]) }),
};

async function body<T extends z.ZodTypeAny>(request: IncomingMessage, schema: T): Promise<z.infer<T>> {
  const result = schema.safeParse(await readJson(request));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new HttpError(422, `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return result.data;
}

function locationByName(store: SimStore, name?: string) {
  if (!name) return store.primaryLocation();
  const location = [...store.locations.values()].find((l) => l.name === name) ?? store.locations.get(Number(parseGid(name, "Location")));
  if (!location) throw new HttpError(422, `Unknown location ${name} in ${store.domain}`);
  return location;
}

export type ControlDeps = { world: SimWorld; webhooks: WebhookDispatcher; adminApi: AdminApi; chaos: Chaos; reset(): void };

type Handler = (request: IncomingMessage, match: RegExpMatchArray) => Promise<unknown> | unknown;

/** The simulator's control API under /_control (documented in sim/README.md). Returns JSON. */
export function controlRoutes(deps: ControlDeps): Array<{ method: string; pattern: RegExp; handle: Handler }> {
  const { world } = deps;
  const store = (match: RegExpMatchArray) => {
    const found = world.stores.get(match[1]);
    if (!found) throw new HttpError(404, `Unknown shop ${match[1]}`);
    return found;
  };
  const summary = (s: SimStore) => ({
    domain: s.domain, name: s.name, plan: s.plan, currencyCode: s.currencyCode, installed: Boolean(s.installation),
    products: s.products.size, variants: s.variants.size,
    locations: [...s.locations.values()].map((l) => ({ id: gid("Location", l.id), name: l.name, isPrimary: l.isPrimary })),
  });
  const SHOP = "([a-z0-9-]+\\.myshopify\\.com)";
  const route = (method: string, path: string, handle: Handler) => ({ method, pattern: new RegExp(`^/_control${path}$`), handle });

  return [
    route("GET", "/health", () => {
      // With --expose-gc (the benchmark starts it so), measure after a full collection.
      (globalThis as { gc?: () => void }).gc?.();
      const memory = process.memoryUsage();
      return { ok: true, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed };
    }),
    route("GET", "/stores", () => [...world.stores.values()].map(summary)),
    route("POST", "/stores", async (request) => summary(world.createStore(await body(request, schemas.createStore)))),
    route("POST", "/reset", () => {
      deps.reset();
      return { ok: true };
    }),
    route("GET", "/chaos", () => deps.chaos),
    route("PUT", "/chaos", async (request) => {
      const update = await body(request, z.object({
        throttledRate: z.number().min(0).max(1), serverErrorRate: z.number().min(0).max(1), lostResponseRate: z.number().min(0).max(1), lostResponseNext: z.number().int().min(0), lostResponseFields: z.array(z.string()), latencyMs: z.number().min(0),
        latencyJitterMs: z.number().min(0), duplicateRate: z.number().min(0).max(1), reorderWindowMs: z.number().min(0),
        delayMs: z.number().min(0), dropRate: z.number().min(0).max(1), bulkMutationLineMs: z.number().min(0), bulkPaused: z.union([z.boolean(), z.array(z.string())]), searchIndexLagMs: z.number().min(0),
        latencyTailRate: z.number().min(0).max(1), latencyTailMs: z.number().min(0), mutationLatencyMs: z.number().min(0), bulkQueueMs: z.number().min(0),
        webhookTailRate: z.number().min(0).max(1), webhookTailMs: z.number().min(0),
      }).partial());
      Object.assign(deps.chaos, update);
      return deps.chaos;
    }),
    // The latest 500 deliveries, or with ?topics=a,b every delivery of those topics.
    route("GET", "/webhooks", (request) => {
      const topics = new URL(request.url ?? "/", "http://control").searchParams.get("topics")?.split(",").filter(Boolean);
      return { stats: deps.webhooks.stats, deliveries: topics ? deps.webhooks.log.filter((record) => topics.includes(record.topic)) : deps.webhooks.log.slice(-500) };
    }),
    route("POST", "/webhooks/idle", async () => {
      await deps.webhooks.idle();
      return deps.webhooks.stats;
    }),
    route("GET", `/stores/${SHOP}`, (_r, m) => summary(store(m))),
    route("GET", `/stores/${SHOP}/stats`, (_r, m) => ({
      api: deps.adminApi.statsFor(store(m).domain), throttleStatus: deps.adminApi.bucketFor(store(m)).status(), bulkOperations: deps.adminApi.bulk.countsFor(store(m).domain),
    })),
    // Whether Shopify approved the app for protected customer fields in this store (default: yes).
    route("PUT", `/stores/${SHOP}/protected-customer-data`, async (request, m) => {
      const { fields } = await body(request, z.object({ fields: z.boolean() }));
      const installation = store(m).installation;
      if (!installation) throw new HttpError(409, `${store(m).domain} has no app installed`);
      installation.protectedCustomerFields = fields;
      return { fields };
    }),
    route("PUT", `/stores/${SHOP}/plan`, async (request, m) => {
      store(m).plan = (await body(request, schemas.plan)).plan;
      return summary(store(m));
    }),
    route("POST", `/stores/${SHOP}/install`, async (request, m) => {
      const { scopes } = await body(request, schemas.install);
      return { shop: store(m).domain, accessToken: world.install(store(m), scopes) };
    }),
    route("POST", `/stores/${SHOP}/uninstall`, (_r, m) => {
      world.uninstall(store(m));
      return summary(store(m));
    }),
    route("POST", `/stores/${SHOP}/seed`, async (request, m) => {
      const result = seedCatalogue(world, store(m), await body(request, schemas.seed));
      return { products: result.productIds.length, variants: result.variants };
    }),
    route("GET", `/stores/${SHOP}/snapshot`, (_r, m) => snapshotStore(store(m))),
    route("POST", `/stores/${SHOP}/metafield-definitions`, async (request, m) => {
      const definition = world.createMetafieldDefinition(store(m), await body(request, schemas.metafieldDefinition));
      return { id: gid("MetafieldDefinition", definition.id) };
    }),
    route("POST", `/stores/${SHOP}/products`, async (request, m) => {
      const { metafields, ...input } = await body(request, schemas.product.extend({ variants: z.array(schemas.variant).optional() }));
      world.checkMetafields(store(m), "PRODUCT", null, metafields ?? []);
      const product = world.createProduct(store(m), input, { emit: false });
      world.setMetafields(store(m), "PRODUCT", product, metafields ?? []);
      world.emit(store(m), "products/create", { productId: product.id });
      return { id: gid("Product", product.id), variants: product.variantIds.map((id) => gid("ProductVariant", id)) };
    }),
    route("PATCH", `/stores/${SHOP}/products/([^/]+)`, async (request, m) => {
      const { optionNames, metafields, ...input } = await body(request, schemas.product.extend({ optionNames: z.array(z.string().min(1)).optional() }));
      const id = toId(decodeURIComponent(m[2]), "Product");
      if (metafields) world.setMetafields(store(m), "PRODUCT", world.requireProduct(store(m), id), metafields);
      if (optionNames) world.renameOptions(store(m), id, optionNames, { emit: Object.keys(input).length === 0 });
      const product = Object.keys(input).length > 0 || !optionNames ? world.updateProduct(store(m), id, input) : world.requireProduct(store(m), id);
      return { id: gid("Product", product.id) };
    }),
    route("DELETE", `/stores/${SHOP}/products/([^/]+)`, (_r, m) => {
      world.deleteProduct(store(m), toId(decodeURIComponent(m[2]), "Product"));
      return { ok: true };
    }),
    route("POST", `/stores/${SHOP}/products/([^/]+)/variants`, async (request, m) => {
      const product = world.requireProduct(store(m), toId(decodeURIComponent(m[2]), "Product"));
      const variant = world.addVariant(store(m), product, await body(request, schemas.variant));
      world.emit(store(m), "products/update", { productId: product.id });
      return { id: gid("ProductVariant", variant.id) };
    }),
    route("PATCH", `/stores/${SHOP}/variants/([^/]+)`, async (request, m) => {
      const variant = store(m).variants.get(toId(decodeURIComponent(m[2]), "ProductVariant"));
      if (!variant) throw new HttpError(404, "Unknown variant");
      const product = store(m).products.get(variant.productId)!;
      world.updateVariant(store(m), product, { ...(await body(request, schemas.variant)), id: variant.id });
      world.emit(store(m), "products/update", { productId: product.id });
      return { id: gid("ProductVariant", variant.id) };
    }),
    route("DELETE", `/stores/${SHOP}/variants/([^/]+)`, (_r, m) => {
      const variant = store(m).variants.get(toId(decodeURIComponent(m[2]), "ProductVariant"));
      if (!variant) throw new HttpError(404, "Unknown variant");
      const product = store(m).products.get(variant.productId)!;
      world.removeVariant(store(m), product, variant.id);
      world.emit(store(m), "products/update", { productId: product.id });
      return { ok: true };
    }),
    route("POST", `/stores/${SHOP}/inventory`, async (request, m) => {
      const input = await body(request, schemas.inventory);
      const s = store(m);
      const variant = input.sku !== undefined ? [...s.variants.values()].find((v) => v.sku === input.sku) : undefined;
      const itemId = input.inventoryItemId !== undefined ? toId(input.inventoryItemId, "InventoryItem") : variant?.inventoryItem.id;
      if (itemId === undefined) throw new HttpError(422, "sku or inventoryItemId: no such inventory item");
      const item = world.requireItem(s, itemId);
      const location = locationByName(s, input.location);
      if (input.stocked === false) {
        world.unstock(s, item, location.id);
        return { inventoryItemId: gid("InventoryItem", item.id), location: location.name, available: null };
      }
      if (input.available !== undefined) world.setQuantity(s, item, location.id, "available", input.available);
      else if (input.delta !== undefined) world.adjustQuantity(s, item, location.id, "available", input.delta);
      else throw new HttpError(422, "available or delta is required");
      return { inventoryItemId: gid("InventoryItem", item.id), location: location.name, available: item.levels.get(location.id)!.available };
    }),
    route("POST", `/stores/${SHOP}/collections`, async (request, m) => {
      const input = await body(request, schemas.collection);
      const collection = world.createCollection(store(m), { title: input.title ?? "", productIds: (input.productIds ?? []).map((id) => toId(id, "Product")) });
      return { id: gid("Collection", collection.id) };
    }),
    route("PATCH", `/stores/${SHOP}/collections/([^/]+)`, async (request, m) => {
      const input = await body(request, schemas.collection);
      const s = store(m);
      const id = toId(decodeURIComponent(m[2]), "Collection");
      if (input.title !== undefined) world.updateCollection(s, id, { title: input.title });
      if (input.addProductIds) world.addToCollection(s, id, input.addProductIds.map((p) => toId(p, "Product")));
      if (input.removeProductIds) world.removeFromCollection(s, id, input.removeProductIds.map((p) => toId(p, "Product")));
      return { id: gid("Collection", id) };
    }),
    route("POST", `/stores/${SHOP}/orders`, async (request, m) => {
      const input = await body(request, schemas.order);
      const s = store(m);
      const order = world.placeOrder(s, {
        lines: input.lines.map((l) => ({ ...(l.sku !== undefined ? { sku: l.sku } : {}), ...(l.variantId !== undefined ? { variantId: toId(l.variantId, "ProductVariant") } : {}), quantity: l.quantity })),
        paid: input.paid,
        // With a location, a sale at that POS register; without, an online order (Shopify routes it).
        locationId: input.location === undefined ? undefined : locationByName(s, input.location).id,
        email: input.email ?? null,
        customer: input.customer ?? null,
      });
      return { id: gid("Order", order.id), name: order.name, lineItems: order.lineItems.map((l) => ({ id: gid("LineItem", l.id), sku: l.sku, quantity: l.quantity })) };
    }),
    route("GET", `/stores/${SHOP}/orders`, (_r, m) => [...store(m).orders.values()].map((o) => ({
      id: gid("Order", o.id), name: o.name, email: o.email, customerId: o.customerId === null ? null : gid("Customer", o.customerId),
      financialStatus: o.financialStatus, currencyCode: o.currencyCode, tags: o.tags, sourceName: o.sourceName, sourceIdentifier: o.sourceIdentifier, note: o.note,
      lineItems: o.lineItems.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity, price: l.price, variantId: l.variantId === null ? null : gid("ProductVariant", l.variantId) })),
    }))),
    route("POST", `/stores/${SHOP}/customers`, async (request, m) => {
      const customer = world.createCustomer(store(m), await body(request, schemas.customer));
      return { id: gid("Customer", customer.id) };
    }),
    route("GET", `/stores/${SHOP}/customers`, (_r, m) => [...store(m).customers.values()].map((c) => ({
      id: gid("Customer", c.id), email: c.email, firstName: c.firstName, lastName: c.lastName,
    }))),
    route("POST", `/stores/${SHOP}/orders/([^/]+)/pay`, (_r, m) => {
      world.markPaid(store(m), toId(decodeURIComponent(m[2]), "Order"));
      return { ok: true };
    }),
    route("POST", `/stores/${SHOP}/orders/([^/]+)/refunds`, async (request, m) => {
      const input = await body(request, schemas.refund);
      const refund = world.refund(store(m), toId(decodeURIComponent(m[2]), "Order"), input.lines.map((l) => ({ ...l, lineItemId: toId(l.lineItemId, "LineItem") })));
      return { id: gid("Refund", refund.id) };
    }),
    route("POST", `/stores/${SHOP}/orders/([^/]+)/cancel`, async (request, m) => {
      world.cancelOrder(store(m), toId(decodeURIComponent(m[2]), "Order"), await body(request, schemas.cancel));
      return { ok: true };
    }),
  ];
}

export async function runControlRoute(routes: ReturnType<typeof controlRoutes>, request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
  for (const candidate of routes) {
    if (candidate.method !== request.method) continue;
    const match = pathname.match(candidate.pattern);
    if (!match) continue;
    try {
      sendJson(response, 200, await candidate.handle(request, match));
    } catch (error) {
      if (error instanceof SimUserError) sendJson(response, 422, { error: error.message, code: error.code, field: error.field });
      else throw error;
    }
    return true;
  }
  return false;
}
