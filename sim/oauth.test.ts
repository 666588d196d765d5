import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signSessionToken } from "./session-token";
import { SIM_TEST_APP, simulatorWithStore } from "./test-helpers";

let env: Awaited<ReturnType<typeof simulatorWithStore>>;
beforeAll(async () => {
  env = await simulatorWithStore({ shop: "oauth.myshopify.com" });
});
afterAll(() => env.sim.close());

function exchange(body: Record<string, string>) {
  return fetch(`${env.sim.origin}/shops/${env.shop}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
}

const request = (overrides: Record<string, string> = {}) => ({
  client_id: SIM_TEST_APP.apiKey,
  client_secret: SIM_TEST_APP.apiSecret,
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
  subject_token: signSessionToken({ shop: "oauth.myshopify.com", apiKey: SIM_TEST_APP.apiKey, apiSecret: SIM_TEST_APP.apiSecret, userId: "42" }),
  subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
  requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
  ...overrides,
});

describe("token exchange", () => {
  test("gives an online token for the user that the Admin API accepts", async () => {
    const response = await exchange(request());
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; expires_in: number; associated_user: { id: number } };
    expect(body.associated_user.id).toBe(42);
    expect(body.expires_in).toBe(86_399);
    const { body: result } = await env.graphql("{ shop { myshopifyDomain } }", {}, body.access_token);
    expect(result.data).toEqual({ shop: { myshopifyDomain: "oauth.myshopify.com" } });
  });

  test("gives the store's offline token", async () => {
    const response = await exchange(request({ requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token" }));
    expect(await response.json()).toEqual({ access_token: env.accessToken, scope: "read_products,write_products" });
  });

  test("refuses wrong client credentials, forged or foreign session tokens", async () => {
    expect((await exchange(request({ client_secret: "nope" }))).status).toBe(401);
    const forged = signSessionToken({ shop: "oauth.myshopify.com", apiKey: SIM_TEST_APP.apiKey, apiSecret: "other-secret" });
    const forgedResponse = await exchange(request({ subject_token: forged }));
    expect(forgedResponse.status).toBe(400);
    expect(await forgedResponse.json()).toEqual({ error: "invalid_subject_token", error_description: "bad signature" });
    const foreign = signSessionToken({ shop: "elsewhere.myshopify.com", apiKey: SIM_TEST_APP.apiKey, apiSecret: SIM_TEST_APP.apiSecret });
    expect((await exchange(request({ subject_token: foreign }))).status).toBe(400);
  });
});
