import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { simulatorWithStore } from "../../sim/test-helpers";
import { PRODUCT_UPDATE } from "./documents";
import { ShopifyThrottledError, ShopifyUnauthorizedError, ShopifyUserErrors } from "./errors";
import { AdminGateway } from "./gateway.server";

let store: Awaited<ReturnType<typeof simulatorWithStore>>;

const CREATE = `#graphql
  mutation GatewayTestCreate { productCreate(product: { title: "Paced" }) { product { id } userErrors { field message } } }
`;

function gatewayFor(accessToken = store.accessToken, sleep?: (ms: number) => Promise<void>) {
  return new AdminGateway({ shop: store.shop, accessToken, apiVersion: "2025-01", adminOrigin: store.sim.origin, ...(sleep ? { sleep } : {}) });
}

beforeAll(async () => {
  store = await simulatorWithStore({ shop: "gateway.myshopify.com", plan: "standard" });
});

afterAll(async () => {
  await store?.sim.close();
});

describe("AdminGateway against the simulator", () => {
  test("paces a long burst from throttleStatus so Shopify never has to throttle it", async () => {
    // 230 mutations of 10 points overdraw the 2,000-point bucket: unpaced, the simulator throttles after ~200.
    const gateway = gatewayFor();
    for (let i = 0; i < 230; i++) await gateway.mutate(CREATE, {}, "productCreate");
    expect(gateway.stats.throttled).toBe(0);
    expect(gateway.stats.waitedMs).toBeGreaterThan(0);
    expect((await store.sim.control.stats(store.shop)).api.throttled).toBe(0);
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
});
