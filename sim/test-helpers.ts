import { type Simulator, type SimulatorOptions, startSimulator } from "./server";

export const SIM_TEST_APP = { apiKey: "sim-test-key", apiSecret: "sim-test-secret", appUrl: "http://127.0.0.1:9", handle: "tandem" };

/** A simulator with one installed store, and a function that sends Admin GraphQL to it. */
export async function simulatorWithStore(options: Partial<SimulatorOptions> & { shop?: string; plan?: "standard" | "advanced" | "plus" } = {}) {
  const shop = options.shop ?? "sim-test.myshopify.com";
  const sim: Simulator = await startSimulator({ app: SIM_TEST_APP, timeScale: 0.001, ...options });
  await sim.control.createStore({ domain: shop, plan: options.plan ?? "standard", locations: ["Warehouse", "Shop"] });
  const { accessToken } = await sim.control.install(shop, ["read_products", "write_products"]);
  const graphql = async (query: string, variables: Record<string, unknown> = {}, token = accessToken, version?: string) => {
    const response = await fetch(sim.graphqlUrl(shop, version), {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphqlBody };
  };
  return { sim, shop, accessToken, graphql };
}

export type GraphqlBody = {
  data?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }> | string;
  extensions?: { cost: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } } };
};
