import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminHostParam, signSessionToken } from "../../sim/session-token";
import {
  BROWSER_USER_AGENT,
  TEST_API_KEY,
  TEST_API_SECRET,
  bearerHeaders,
  postSignedWebhook,
  sessionToken,
  startAppWithSimulator,
  type TestApp,
  type TestNetwork,
} from "../setup/test-app";
import { createPrismaClient } from "../../app/db/prisma-client.server";

const shop = "auth-test.myshopify.com";
let network: TestNetwork;
let app: TestApp;

beforeAll(async () => {
  network = await startAppWithSimulator();
  app = network.app;
  await network.sim.control.createStore({ domain: shop });
});

afterAll(async () => {
  await network?.stop();
});

async function storedSessions() {
  const prisma = createPrismaClient(app.databaseUrl);
  try {
    return await prisma.session.findMany({ where: { shop }, orderBy: { id: "asc" } });
  } finally {
    await prisma.$disconnect();
  }
}

function documentUrl(path: string, token: string) {
  const url = new URL(path, app.origin);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", adminHostParam(shop));
  url.searchParams.set("id_token", token);
  return url;
}

describe("the embedded dashboard", () => {
  test("on first open, exchanges the session token for offline and online tokens, then renders", async () => {
    const response = await fetch(documentUrl("/app", sessionToken(shop)), {
      headers: { "User-Agent": BROWSER_USER_AGENT },
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Welcome to Tandem");

    const sessions = await storedSessions();
    const offline = sessions.find((s) => s.id === `offline_${shop}`);
    const online = sessions.find((s) => s.isOnline);
    const installation = network.sim.world.stores.get(shop)!.installation!;
    expect(offline?.accessToken).toBe(installation.accessToken);
    expect(installation.onlineTokens.map((token) => token.accessToken)).toContain(online?.accessToken);
    expect(online?.userId).toBe(1n);
    expect(offline?.scope).toBe(installation.scopes.join(","));
  });

  test("answers a data request that carries a bearer session token", async () => {
    const response = await fetch(new URL("/app.data", app.origin), { headers: bearerHeaders(shop) });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(shop);
  });

  test("rejects a data request whose token is signed with another secret", async () => {
    const forged = signSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: "not-the-secret" });
    const response = await fetch(new URL("/app.data", app.origin), {
      headers: { Authorization: `Bearer ${forged}`, "User-Agent": BROWSER_USER_AGENT },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("X-Shopify-Retry-Invalid-Session-Request")).toBe("1");
  });

  test("rejects an expired token and one meant for another app", async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    for (const token of [sessionToken(shop, { exp: past, nbf: past - 60, iat: past - 60 }), sessionToken(shop, { aud: "other-app" })]) {
      const response = await fetch(new URL("/app.data", app.origin), {
        headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_USER_AGENT },
      });
      expect(response.status).toBe(401);
    }
  });

  test("sends a document request without id_token to the session-token bounce page", async () => {
    const url = documentUrl("/app", "x");
    url.searchParams.delete("id_token");
    const response = await fetch(url, { headers: { "User-Agent": BROWSER_USER_AGENT }, redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("/auth/session-token");
  });
});

describe("the app/uninstalled webhook", () => {
  const uninstalled = (secret: string) =>
    postSignedWebhook(app.origin, { path: "/webhooks/app/uninstalled", topic: "app/uninstalled", shop, body: { myshopify_domain: shop }, secret });

  test("rejects a forged signature and keeps the sessions", async () => {
    const response = await uninstalled("forged-secret");
    expect(response.status).toBe(401);
    expect(await storedSessions()).toHaveLength(2);
  });

  test("deletes the shop's sessions when signed with the app secret, and again harmlessly", async () => {
    for (let delivery = 0; delivery < 2; delivery++) {
      const response = await uninstalled(TEST_API_SECRET);
      expect(response.status).toBe(200);
    }
    expect(await storedSessions()).toEqual([]);
  });
});

describe("the login page (outside the admin)", () => {
  const post = (fields: Record<string, string>) => fetch(new URL("/auth/login", app.origin), {
    method: "POST", redirect: "manual", headers: { "User-Agent": BROWSER_USER_AGENT, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields),
  });

  test("opening the app without a store or a session lands on it", async () => {
    const response = await fetch(new URL("/app", app.origin), { redirect: "manual", headers: { "User-Agent": BROWSER_USER_AGENT } });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get("location")!, app.origin).pathname).toBe("/auth/login");
  });

  test("asks for the store's domain, in the browser's language", async () => {
    const english = await fetch(new URL("/auth/login", app.origin), { headers: { "User-Agent": BROWSER_USER_AGENT } });
    expect(english.status).toBe(200);
    expect(await english.text()).toMatch(/Log in to Tandem[\s\S]*Store domain[\s\S]*your-store\.myshopify\.com/);
    const french = await fetch(new URL("/auth/login", app.origin), { headers: { "User-Agent": BROWSER_USER_AGENT, "Accept-Language": "fr-FR,fr;q=0.9" } });
    expect(await french.text()).toMatch(/Se connecter à Tandem[\s\S]*Domaine de la boutique/);
  });

  test("a missing or invalid domain is marked on the field; a valid one goes to Shopify to open or install Tandem", async () => {
    const missing = await post({ shop: "" });
    expect(missing.status).toBe(200);
    expect(await missing.text()).toContain("Enter your store&#x27;s domain to log in");
    const invalid = await post({ shop: "not a store!" });
    expect(await invalid.text()).toContain("Enter a valid store domain, such as your-store.myshopify.com");
    const valid = await post({ shop: "auth-test" });
    expect(valid.status).toBe(302);
    expect(valid.headers.get("location")).toBe(`https://admin.shopify.com/store/auth-test/oauth/install?client_id=${TEST_API_KEY}`);
  });
});
