import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { simulatorWithStore } from "../../sim/test-helpers";
import { INVENTORY_LEVELS, PRODUCT_UPDATE } from "./documents";
import { DEFAULT_API_VERSION, STALE_QUANTITY_CODE, SUPPORTED_API_VERSIONS } from "./api-version";
import { ShopifyQueryTooCostlyError, ShopifyResourceLimitError, ShopifyThrottledError, ShopifyUnauthorizedError, ShopifyUnavailableError, ShopifyUserErrors } from "./errors";
import fc from "fast-check";
import { AdminGateway, parentsFirst } from "./gateway.server";

let store: Awaited<ReturnType<typeof simulatorWithStore>>;

const CREATE = `#graphql
  mutation GatewayTestCreate { productCreate(product: { title: "Paced" }) { product { id } userErrors { field message } } }
`;

function gatewayFor(accessToken = store.accessToken, sleep?: (ms: number) => Promise<void>, apiVersion: string = DEFAULT_API_VERSION) {
  return new AdminGateway({ shop: store.shop, accessToken, apiVersion, adminOrigin: store.sim.origin, ...(sleep ? { sleep } : {}) });
}

beforeAll(async () => {
  store = await simulatorWithStore({ shop: "gateway.myshopify.com", plan: "standard" });
});

afterAll(async () => {
  await store?.sim.close();
});

describe("AdminGateway against the simulator", () => {
  test("a resource limit's 429 is not retried: it names Shopify's words and the wait Retry-After gives", async () => {
    const ORDER = `#graphql
      mutation GatewayTestOrder { orderCreate(order: { lineItems: [{ title: "Gift", quantity: 1, priceSet: { shopMoney: { amount: "1.00", currencyCode: USD } } }] }) { order { id } userErrors { field message } } }
    `;
    store.sim.world.stores.get(store.shop)!.development = true;
    try {
      const gateway = gatewayFor();
      for (let i = 0; i < 5; i++) await gateway.mutate(ORDER, {}, "orderCreate", { notRepeatable: true });
      const before = gateway.stats.requests;
      const refused = await gateway.mutate(ORDER, {}, "orderCreate", { notRepeatable: true }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ShopifyResourceLimitError);
      expect(refused).toMatchObject({ retryable: true, detail: expect.stringContaining("Exceeded order API rate limit") });
      expect((refused as ShopifyResourceLimitError).retryAfterMs).toBeGreaterThanOrEqual(1000);
      expect((refused as ShopifyResourceLimitError).retryAfterMs).toBeLessThanOrEqual(60_000);
      expect(gateway.stats.requests - before).toBe(1);
    } finally {
      store.sim.world.stores.get(store.shop)!.development = false;
    }
  });

  test("paces a long burst from throttleStatus so Shopify never has to throttle it", async () => {
    // Mutations of 10 points, sent back to back, overdraw the 2,000-point bucket (100 restored a
    // second): unpaced, the simulator throttles after ~200 on a fast machine, later on a slow one.
    // The burst goes on until the gateway had to wait, then 20 more, paced.
    const gateway = gatewayFor();
    let sent = 0;
    for (let paced = 0; sent < 2_000 && paced < 20; sent++) {
      await gateway.mutate(CREATE, {}, "productCreate");
      if (gateway.stats.waitedMs > 0) paced++;
    }
    expect(sent).toBeLessThan(2_000);
    expect(gateway.stats.throttled).toBe(0);
    expect(gateway.stats.waitedMs).toBeGreaterThan(0);
    expect((await store.sim.control.stats(store.shop)).api.throttled).toBe(0);
  }, 60_000);

  test("background requests leave half of the bucket to the rest, which still gets it at once", async () => {
    const fresh = await simulatorWithStore({ shop: "gateway-background.myshopify.com", plan: "standard" });
    try {
      const background = new AdminGateway({ shop: fresh.shop, accessToken: fresh.accessToken, apiVersion: DEFAULT_API_VERSION, adminOrigin: fresh.sim.origin });
      // Back to back, mutations of 10 points would take the 2,000-point bucket below half (150 of
      // them on a fast machine, more on a slow one): they go on until the gateway held them back, then 20 more.
      let sent = 0;
      for (let held = 0; sent < 2_000 && held < 20; sent++) {
        await background.mutate(CREATE, {}, "productCreate", { background: true });
        if (background.stats.waitedMs > 0) held++;
      }
      expect(sent).toBeLessThan(2_000);
      expect(background.stats.waitedMs).toBeGreaterThan(0);
      const { throttleStatus } = await fresh.sim.control.stats(fresh.shop);
      expect(throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(throttleStatus.maximumAvailable / 2 - 10);
      // Foreground work of the same store spends the reserve without waiting.
      const foreground = new AdminGateway({ shop: fresh.shop, accessToken: fresh.accessToken, apiVersion: DEFAULT_API_VERSION, adminOrigin: fresh.sim.origin });
      for (let i = 0; i < 40; i++) await foreground.mutate(CREATE, {}, "productCreate");
      expect(foreground.stats.waitedMs).toBe(0);
    } finally {
      await fresh.sim.close();
    }
  }, 60_000);

  test("waits out THROTTLED answers and gives up with a retryable error only when they never stop", async () => {
    await store.sim.control.setChaos({ throttledRate: 1 });
    try {
      const waits: number[] = [];
      const gateway = gatewayFor(undefined, async (ms) => void waits.push(ms));
      const error = await gateway.request(`#graphql
        query GatewayTestShop { shop { name } }
      `).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShopifyThrottledError);
      expect((error as ShopifyThrottledError).retryable).toBe(true);
      expect(waits.length).toBe(7);
      expect(waits.every((ms) => ms >= 100)).toBe(true);
    } finally {
      await store.sim.control.setChaos({ throttledRate: 0 });
    }
  });

  test("userErrors become ShopifyUserErrors; a refused token is not retried", async () => {
    const gateway = gatewayFor();
    const refused = await gateway.mutate(PRODUCT_UPDATE, { product: { id: "gid://shopify/Product/999999999", title: "x" } }, "productUpdate").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ShopifyUserErrors);
    expect((refused as ShopifyUserErrors).retryable).toBe(false);
    const unauthorized = await gatewayFor("shpat_wrong").request(`#graphql
      query GatewayTestShopName { shop { name } }
    `).catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(ShopifyUnauthorizedError);
    expect((unauthorized as ShopifyUnauthorizedError).message).toContain("uninstalled");
  });

  describe.each(SUPPORTED_API_VERSIONS)("inventory writes at %s", (apiVersion) => {
    // A store of its own: the burst above leaves the other one's bucket empty.
    let inventory: Awaited<ReturnType<typeof simulatorWithStore>>;
    beforeAll(async () => {
      inventory = await simulatorWithStore({ shop: "gateway-inventory.myshopify.com" });
      await inventory.sim.control.seed(inventory.shop, { products: 2, variantsPerProduct: 1, seed: 9 });
    });
    afterAll(() => inventory.sim.close());

    const gateway = () => new AdminGateway({ shop: inventory.shop, accessToken: inventory.accessToken, apiVersion, adminOrigin: inventory.sim.origin, sleep: async () => {} });
    async function warehouseLevel() {
      const snapshot = await inventory.sim.control.snapshot(inventory.shop);
      const variant = snapshot.products[0].variants[0];
      return { item: variant.inventoryItemId, location: snapshot.locations.find((l) => l.name === "Warehouse")!.id, available: variant.quantities.Warehouse.available };
    }

    test("a stale expected quantity is refused with a stale-quantity code, a current one is written", async () => {
      const writer = gateway();
      const { item, location, available } = await warehouseLevel();
      const write = (changeFromQuantity: number) => writer.setInventoryQuantities({
        name: "available", reason: "correction", referenceDocumentUri: "tandem://test", quantities: [{ inventoryItemId: item, locationId: location, quantity: 40, changeFromQuantity }],
      });
      const stale = await write(available + 1).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(ShopifyUserErrors);
      expect((stale as ShopifyUserErrors).hasCode(STALE_QUANTITY_CODE)).toBe(true);
      await write(available);
      expect((await warehouseLevel()).available).toBe(40);
    });

    test("an adjustment whose answers are all lost moves stock once (same idempotency key on every retry)", async () => {
      const writer = gateway();
      const { item, location, available } = await warehouseLevel();
      await inventory.sim.control.setChaos({ lostResponseRate: 1 });
      let error: unknown;
      try {
        error = await writer.adjustInventoryQuantities({
          name: "available", reason: "correction", referenceDocumentUri: "tandem://test", changes: [{ inventoryItemId: item, locationId: location, delta: -1, changeFromQuantity: null }],
        }, crypto.randomUUID()).catch((e: unknown) => e);
      } finally {
        await inventory.sim.control.setChaos({ lostResponseRate: 0 });
      }
      expect(error).toBeInstanceOf(ShopifyUnavailableError);
      const sends = writer.stats.requests;
      expect(sends).toBe(4);
      expect((await warehouseLevel()).available).toBe(available - 1);
      expect((await inventory.sim.control.stats(inventory.shop)).api.versions).toEqual({ [apiVersion]: expect.any(Number) });
    });
  });

  test("sizes pages by the cost Shopify reports: a page over its limit is cut and sent again, a small one grows", async () => {
    // A store of its own, its bucket full: the sizes below do not depend on the other tests' spending.
    const fresh = await simulatorWithStore({ shop: "gateway-pages.myshopify.com", plan: "standard" });
    try {
      await fresh.sim.control.seed(fresh.shop, { products: 12, variantsPerProduct: 5, seed: 4, skuPrefix: "PAGED" });
      const itemIds = (await fresh.sim.control.snapshot(fresh.shop)).products.flatMap((p) => p.variants.map((v) => v.inventoryItemId));
      expect(itemIds).toHaveLength(60);
      type Page = { nodes: Array<{ id: string } | null> };
      const gateway = new AdminGateway({ shop: fresh.shop, accessToken: fresh.accessToken, apiVersion: DEFAULT_API_VERSION, adminOrigin: fresh.sim.origin });
      const read = async (firstPageSize: number, levels = 20) => {
        const sizes: number[] = [];
        const pages = await gateway.requestInPages<Page, string>(INVENTORY_LEVELS, itemIds, (ids) => (sizes.push(ids.length), { ids, levels }), { firstPageSize });
        expect(pages.flatMap((page) => page.nodes.map((node) => node?.id))).toEqual(itemIds);
        return sizes;
      };
      // 20 levels an item: 63 points each, 12 items a page under 800. Told 250, the first page takes
      // all 60 items and asks for 3,780 points: refused, then cut to 12 by the cost Shopify reported.
      expect(await read(250)).toEqual([60, 12, 12, 12, 12, 12]);
      // Told 1, the second page is already the size the reported cost allows.
      expect(await read(1)).toEqual([1, 12, 12, 12, 12, 11]);
      // At 1 level (6 points an item) every item fits one page.
      expect(await read(1, 1)).toEqual([1, 59]);
      // One item over the limit cannot be cut: the error says what Shopify said.
      const single = gateway.requestInPages(INVENTORY_LEVELS, itemIds.slice(0, 1), (ids) => ({ ids, levels: 400 }), { firstPageSize: 1 });
      await expect(single).rejects.toBeInstanceOf(ShopifyQueryTooCostlyError);
      await expect(single).rejects.toMatchObject({ requestedCost: 1203, maxCost: 1000 });
    } finally {
      await fresh.sim.close();
    }
  });

  test("a bulk query asked for while the store runs five of ours waits for room, then runs (LIMIT_REACHED never fails it)", async () => {
    const busy = await simulatorWithStore({ shop: "gateway-bulk.myshopify.com" });
    try {
      await busy.sim.control.seed(busy.shop, { products: 3, variantsPerProduct: 1, seed: 4 });
      await busy.sim.control.setChaos({ bulkPaused: true });
      for (let i = 0; i < 5; i++) {
        const { body } = await busy.graphql(`mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") { userErrors { code } } }`);
        expect(body.data!.bulkOperationRunQuery.userErrors).toEqual([]);
      }
      // The gateway's pauses between its polls, shortened; what the test waits on is the listing's count below.
      const gateway = new AdminGateway({ shop: busy.shop, accessToken: busy.accessToken, apiVersion: DEFAULT_API_VERSION, adminOrigin: busy.sim.origin, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))) });
      let settled = false;
      const url = gateway.runBulkQuery("{ products { edges { node { id title } } } }", { pollMs: 20 }).finally(() => (settled = true));
      // Refused, then watching the running ones: the listing is asked for more than once.
      await expect.poll(async () => (await busy.sim.control.stats(busy.shop)).api.operations.TandemRunningBulkOperations?.requests ?? 0).toBeGreaterThan(1);
      expect(settled).toBe(false);
      await busy.sim.control.setChaos({ bulkPaused: false });
      const lines = await fetch((await url)!).then((r) => r.text());
      expect(lines.trim().split("\n").map((line) => JSON.parse(line).title).sort()).toHaveLength(3);
    } finally {
      await busy.sim.close();
    }
  });
});

describe("parentsFirst", () => {
  /** A product → variants → levels tree as bulk lines, in Shopify's grouped order. */
  const tree = fc.array(fc.array(fc.nat(3), { maxLength: 4 }), { maxLength: 6 }).map((products) => products.flatMap((variants, p) => [
    { id: `P${p}` },
    ...variants.flatMap((levels, v) => [{ id: `P${p}V${v}`, __parentId: `P${p}` }, ...Array.from({ length: levels }, (_, l) => ({ id: `P${p}V${v}L${l}`, __parentId: `P${p}V${v}` }))]),
  ]));

  test("gives every line once, each after its parent, whatever order the lines came in", async () => {
    await fc.assert(fc.asyncProperty(tree.chain((lines) => fc.shuffledSubarray(lines, { minLength: lines.length }).map((shuffled) => ({ lines, shuffled }))), async ({ lines, shuffled }) => {
      const out: Record<string, unknown>[] = [];
      for await (const line of parentsFirst((async function* () { yield* shuffled; })())) out.push(line);
      expect(out.map((line) => line.id).sort()).toEqual(lines.map((line) => line.id).sort());
      const at = new Map(out.map((line, index) => [line.id, index]));
      for (const line of out) if (typeof line.__parentId === "string") expect(at.get(line.__parentId)!).toBeLessThan(at.get(line.id)!);
    }));
  });

  test("drops a line whose parent never comes", async () => {
    const out: Record<string, unknown>[] = [];
    for await (const line of parentsFirst((async function* () { yield { id: "V1", __parentId: "P9" }; yield { id: "P1" }; })())) out.push(line);
    expect(out).toEqual([{ id: "P1" }]);
  });
});
