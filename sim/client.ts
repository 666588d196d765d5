import type { AdminApiStats } from "./graphql/handler";

export type SimOrderSummary = {
  id: string; name: string; email: string | null; customerId: string | null; financialStatus: string; currencyCode: string;
  tags: string[]; sourceName: string | null; sourceIdentifier: string | null; note: string | null;
  lineItems: { sku: string | null; title: string; quantity: number; price: string; variantId: string | null }[];
};
import type { StoreSnapshot } from "./snapshot";
import type { Chaos } from "./control";
import type { SeedOptions } from "./seed";
import type { WebhookStats } from "./webhooks/dispatcher";

export type StoreSummary = {
  domain: string;
  name: string;
  plan: string;
  currencyCode: string;
  installed: boolean;
  products: number;
  variants: number;
  locations: { id: string; name: string; isPrimary: boolean }[];
};

export class SimControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Typed client of the simulator's /_control API, for tests, benchmarks and the sandbox. */
export class SimControlClient {
  constructor(readonly origin: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.origin}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T & { error?: string; errors?: string };
    if (!response.ok) throw new SimControlError(response.status, `${method} ${path}: ${json.error ?? json.errors ?? response.statusText}`);
    return json;
  }

  createStore(input: { domain: string; name?: string; plan?: "standard" | "advanced" | "plus"; currencyCode?: string; locations?: string[]; development?: boolean; variantCreationLimit?: { storeVariants: number; perDay: number; dayMs?: number } | null; ianaTimezone?: string }) {
    return this.call<StoreSummary>("POST", "/stores", input);
  }
  stores() {
    return this.call<StoreSummary[]>("GET", "/stores");
  }
  install(shop: string, scopes: string[] = []) {
    return this.call<{ shop: string; accessToken: string }>("POST", `/stores/${shop}/install`, { scopes });
  }
  uninstall(shop: string) {
    return this.call<StoreSummary>("POST", `/stores/${shop}/uninstall`);
  }
  /** Whether Shopify approved the app for customers' names, e-mails and addresses in this store. */
  setProtectedCustomerFields(shop: string, fields: boolean) {
    return this.call<{ fields: boolean }>("PUT", `/stores/${shop}/protected-customer-data`, { fields });
  }
  setPlan(shop: string, plan: "standard" | "advanced" | "plus") {
    return this.call<StoreSummary>("PUT", `/stores/${shop}/plan`, { plan });
  }
  seed(shop: string, options: SeedOptions) {
    return this.call<{ products: number; variants: number }>("POST", `/stores/${shop}/seed`, options);
  }
  snapshot(shop: string) {
    return this.call<StoreSnapshot>("GET", `/stores/${shop}/snapshot`);
  }
  createMetafieldDefinition(shop: string, input: { name: string; namespace: string; key: string; type: string }) {
    return this.call<{ id: string }>("POST", `/stores/${shop}/metafield-definitions`, input);
  }
  createProduct(shop: string, input: Record<string, unknown>) {
    return this.call<{ id: string; variants: string[] }>("POST", `/stores/${shop}/products`, input);
  }
  updateProduct(shop: string, id: string, input: Record<string, unknown>) {
    return this.call<{ id: string }>("PATCH", `/stores/${shop}/products/${encodeURIComponent(id)}`, input);
  }
  deleteProduct(shop: string, id: string) {
    return this.call<{ ok: true }>("DELETE", `/stores/${shop}/products/${encodeURIComponent(id)}`);
  }
  addVariant(shop: string, productId: string, input: Record<string, unknown>) {
    return this.call<{ id: string }>("POST", `/stores/${shop}/products/${encodeURIComponent(productId)}/variants`, input);
  }
  updateVariant(shop: string, id: string, input: Record<string, unknown>) {
    return this.call<{ id: string }>("PATCH", `/stores/${shop}/variants/${encodeURIComponent(id)}`, input);
  }
  deleteVariant(shop: string, id: string) {
    return this.call<{ ok: true }>("DELETE", `/stores/${shop}/variants/${encodeURIComponent(id)}`);
  }
  setInventory(shop: string, input: { sku?: string; inventoryItemId?: string; location?: string; available?: number; delta?: number; stocked?: false }) {
    return this.call<{ inventoryItemId: string; location: string; available: number | null }>("POST", `/stores/${shop}/inventory`, input);
  }
  createCollection(shop: string, input: { title: string; productIds?: string[] }) {
    return this.call<{ id: string }>("POST", `/stores/${shop}/collections`, input);
  }
  updateCollection(shop: string, id: string, input: { title?: string; addProductIds?: string[]; removeProductIds?: string[] }) {
    return this.call<{ id: string }>("PATCH", `/stores/${shop}/collections/${encodeURIComponent(id)}`, input);
  }
  placeOrder(shop: string, input: { lines: { sku?: string; variantId?: string; quantity: number }[]; paid?: boolean; location?: string; email?: string | null; customer?: { firstName: string | null; lastName: string | null; email: string | null } | null }) {
    return this.call<{ id: string; name: string; lineItems: { id: string; sku: string | null; quantity: number }[] }>("POST", `/stores/${shop}/orders`, input);
  }
  orders(shop: string) {
    return this.call<SimOrderSummary[]>("GET", `/stores/${shop}/orders`);
  }
  createCustomer(shop: string, input: { email?: string | null; firstName?: string | null; lastName?: string | null }) {
    return this.call<{ id: string }>("POST", `/stores/${shop}/customers`, input);
  }
  customers(shop: string) {
    return this.call<{ id: string; email: string | null; firstName: string | null; lastName: string | null }[]>("GET", `/stores/${shop}/customers`);
  }
  markPaid(shop: string, orderId: string) {
    return this.call<{ ok: true }>("POST", `/stores/${shop}/orders/${encodeURIComponent(orderId)}/pay`);
  }
  refund(shop: string, orderId: string, lines: { lineItemId: string; quantity: number; restock?: boolean }[]) {
    return this.call<{ id: string }>("POST", `/stores/${shop}/orders/${encodeURIComponent(orderId)}/refunds`, { lines });
  }
  cancelOrder(shop: string, orderId: string, restock = true) {
    return this.call<{ ok: true }>("POST", `/stores/${shop}/orders/${encodeURIComponent(orderId)}/cancel`, { restock });
  }
  chaos() {
    return this.call<Chaos>("GET", "/chaos");
  }
  setChaos(chaos: Partial<Chaos>) {
    return this.call<Chaos>("PUT", "/chaos", chaos);
  }
  webhooksIdle() {
    return this.call<WebhookStats>("POST", "/webhooks/idle");
  }
  /** The latest 500 deliveries, or every delivery of these topics. */
  webhookLog(topics?: string[]) {
    return this.call<{ stats: WebhookStats; deliveries: Array<{ webhookId: string; eventId: string; topic: string; shop: string; status: string; attempts: number; duplicate: boolean; subject: string | null; triggeredAtMs: number; firstAttemptAtMs: number | null }> }>(
      "GET", topics ? `/webhooks?topics=${encodeURIComponent(topics.join(","))}` : "/webhooks");
  }
  stats(shop: string) {
    return this.call<{
      api: AdminApiStats;
      throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
      bulkOperations: { QUERY: number; MUTATION: number; mutationLines: number };
    }>("GET", `/stores/${shop}/stats`);
  }
  reset() {
    return this.call<{ ok: true }>("POST", "/reset");
  }
}
