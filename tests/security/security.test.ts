import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BROWSER_USER_AGENT, bearerHeaders, postSignedWebhook, sessionToken, TEST_API_KEY, TEST_API_SECRET } from "../setup/test-app";
import { signSessionToken } from "../../sim/session-token";
import { embeddedAppUrl } from "../../sim/admin-frame";
import { signWebhook } from "../../sim/webhooks/dispatcher";
import { connectStores, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";

// Issue 9's security suite: every attack against the real app, its database and the simulator,
// counted. Each row says how many inputs were tried, how many were refused, and how many records
// changed that should not have (data lost). The table is printed and saved in test-results/.
const PRIMARY = "sec-primary.myshopify.com";
const DEPENDENT = "sec-dependent.myshopify.com";
const OTHER_PRIMARY = "sec-other-primary.myshopify.com";
const OTHER_DEPENDENT = "sec-other-dependent.myshopify.com";
const NEWCOMER = "sec-newcomer.myshopify.com";
const SIBLING = "sec-sibling.myshopify.com";
const INJECTIONS = [
  `<img src=x onerror="alert('title')">`,
  `'; DROP TABLE "Store"; --`,
  `Robert"); DELETE FROM "ProductLink" WHERE ("1"="1`,
  `{{7*7}} \${7*7} <script>alert(1)</script>`,
];
let network: SyncNetwork;

type Row = { attack: string; tried: number; rejected: number; lost: number };
const rows: Row[] = [];

/** Everything an attack must leave as it was: the network, its links, log, jobs and sessions. */
async function fingerprint() {
  const p = network.prisma;
  const [stores, connections, invites, links, log, jobs, sessions] = await Promise.all([
    p.store.findMany({ orderBy: { shop: "asc" }, select: { shop: true, role: true, keyLookupHash: true, uninstalledAt: true } }),
    p.connection.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true } }),
    p.invite.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true } }),
    p.productLink.count(),
    p.syncLog.count(),
    p.job.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true } }),
    p.session.count(),
  ]);
  return { stores, connections, invites, links, log, jobs, sessions };
}

/** How many parts of the fingerprint changed. */
function changed(before: Awaited<ReturnType<typeof fingerprint>>, after: Awaited<ReturnType<typeof fingerprint>>) {
  return (Object.keys(before) as (keyof typeof before)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).length;
}

/**
 * Runs the attempts of one row; each returns whether it was refused. `parallel`: all at once.
 * `mayQueueWork`: the row's inputs may queue jobs that change nothing (a signed body under another
 * header whose own check is that nothing of the target changed), so jobs are not compared.
 */
async function attack(name: string, attempts: Array<() => Promise<boolean>>, { parallel = false, mayQueueWork = false } = {}) {
  const before = await fingerprint();
  let rejected = 0;
  const accepted: number[] = [];
  const outcomes = parallel ? await Promise.all(attempts.map((attempt) => attempt())) : [];
  for (const [index, attempt] of attempts.entries()) {
    if (parallel ? outcomes[index] : await attempt()) rejected++;
    else accepted.push(index);
  }
  const after = await fingerprint();
  if (mayQueueWork) after.jobs = before.jobs;
  const lost = changed(before, after);
  rows.push({ attack: name, tried: attempts.length, rejected, lost });
  expect({ rejected, lost, accepted }, name).toEqual({ rejected: attempts.length, lost: 0, accepted: [] });
}

async function appAlive() {
  const response = await fetch(new URL("/app.data", network.app.origin), { headers: bearerHeaders(PRIMARY) });
  return response.status === 200;
}

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  for (const shop of [PRIMARY, DEPENDENT, SIBLING, OTHER_PRIMARY, OTHER_DEPENDENT, NEWCOMER]) await control.createStore({ domain: shop });
  await control.seed(PRIMARY, { products: 5, variantsPerProduct: 1, seed: 11, skuPrefix: "SEC" });
  for (const [index, title] of INJECTIONS.entries()) {
    await control.createProduct(PRIMARY, { title, variants: [{ sku: `${title.slice(0, 12)}-${index}`, price: "5.00" }] });
  }
  await control.seed(OTHER_PRIMARY, { products: 2, variantsPerProduct: 1, seed: 12, skuPrefix: "OTH" });
  await connectStores(network, PRIMARY, [{ shop: DEPENDENT }, { shop: SIBLING }]);
  await connectStores(network, OTHER_PRIMARY, [{ shop: OTHER_DEPENDENT }]);
  await network.startWorker();
  await network.idle();
  expect((await network.post(NEWCOMER, "/app/onboarding", { intent: "choose-role", role: "dependent" })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  if (rows.length > 0) {
    const table = ["| attack | inputs tried | rejected | data lost |", "| --- | --- | --- | --- |", ...rows.map((r) => `| ${r.attack} | ${r.tried} | ${r.rejected} | ${r.lost} |`)].join("\n");
    console.log(`\nSecurity suite\n${table}\n`);
    fs.mkdirSync("test-results", { recursive: true });
    fs.writeFileSync(path.resolve("test-results", "security.md"), `${table}\n`);
  }
  await network?.stop();
});

const WEBHOOKS = [
  { path: "/webhooks/products", topic: "products/update" },
  { path: "/webhooks/collections", topic: "collections/update" },
  { path: "/webhooks/inventory", topic: "inventory_levels/update" },
  { path: "/webhooks/orders", topic: "orders/paid" },
  { path: "/webhooks/app/uninstalled", topic: "app/uninstalled" },
  { path: "/webhooks/app_subscriptions", topic: "app_subscriptions/update" },
  { path: "/webhooks/compliance", topic: "shop/redact" },
];

describe("webhooks", () => {
  test("a bad signature is refused on every webhook route", async () => {
    const body = { admin_graphql_api_id: "gid://shopify/Product/1", myshopify_domain: PRIMARY, shop_domain: PRIMARY };
    await attack("webhook with a forged HMAC (every route)", WEBHOOKS.flatMap(({ path: route, topic }) => [
      async () => (await postSignedWebhook(network.app.origin, { path: route, topic, shop: PRIMARY, body, secret: "guessed-secret" })).status === 401,
      // No signature at all.
      async () => [400, 401].includes((await fetch(new URL(route, network.app.origin), { method: "POST", body: JSON.stringify(body), headers: { "X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": PRIMARY } })).status),
    ]));
  });

  test("a correctly signed body sent again, or changed after signing, does nothing more", async () => {
    const product = (await network.sim.control.snapshot(PRIMARY)).products[0];
    const body = { admin_graphql_api_id: product.id, title: product.title };
    const first = await postSignedWebhook(network.app.origin, { path: "/webhooks/products", topic: "products/update", shop: PRIMARY, body, eventId: "sec-replayed" });
    expect(first.status).toBe(200);
    await network.idle();
    const productJobs = () => network.prisma.job.count({ where: { kind: "sync-product", payload: { contains: product.id } } });
    // One job per dependent of the primary.
    const jobsOfFirst = await productJobs();
    expect(jobsOfFirst).toBe(2);
    const raw = JSON.stringify(body);
    await attack("webhook replayed (same event id) or altered after signing", [
      ...Array.from({ length: 5 }, () => async () => {
        const replay = await postSignedWebhook(network.app.origin, { path: "/webhooks/products", topic: "products/update", shop: PRIMARY, body, eventId: "sec-replayed" });
        return replay.status === 200 && (await productJobs()) === jobsOfFirst;
      }),
      async () => {
        const altered = await fetch(new URL("/webhooks/products", network.app.origin), {
          method: "POST",
          body: raw.replace(product.title, "Altered"),
          headers: { "Content-Type": "application/json", "X-Shopify-Topic": "products/update", "X-Shopify-Hmac-Sha256": signWebhook(raw, TEST_API_SECRET), "X-Shopify-Shop-Domain": PRIMARY, "X-Shopify-Event-Id": "sec-altered" },
        });
        return altered.status === 401;
      },
    ]);
  });

  test("a signed webhook for a shop that has not installed Tandem changes nothing", async () => {
    await attack("webhook for a shop without Tandem (wrong shop)", ["sec-stranger.myshopify.com", "sec-never-installed.myshopify.com"].map((shop) => async () => {
      const response = await postSignedWebhook(network.app.origin, { path: "/webhooks/products", topic: "products/update", shop, body: { admin_graphql_api_id: "gid://shopify/Product/1" } });
      return response.status < 500 && (await network.prisma.job.count({ where: { OR: [{ lane: shop }, { primaryShop: shop }] } })) === 0;
    }));
  });
});

describe("a signed body under other headers (the signature covers the body only)", () => {
  const sendAs = (route: string, topic: string, shop: string, body: Record<string, unknown>) => postSignedWebhook(network.app.origin, { path: route, topic, shop, body });

  test("a body naming its shop, sent for another shop, is refused on every route that receives one", async () => {
    const naming = [
      { path: "/webhooks/compliance", topic: "shop/redact", body: { shop_id: 1, shop_domain: DEPENDENT } },
      { path: "/webhooks/compliance", topic: "customers/redact", body: { shop_id: 1, shop_domain: DEPENDENT, customer: { id: 1, email: "a@example.com" }, orders_to_redact: [] } },
      { path: "/webhooks/compliance", topic: "customers/data_request", body: { shop_id: 1, shop_domain: DEPENDENT, customer: { id: 1 }, orders_requested: [] } },
      { path: "/webhooks/app/uninstalled", topic: "app/uninstalled", body: { id: 1, domain: DEPENDENT, myshopify_domain: DEPENDENT } },
    ];
    await attack("signed body naming its shop, sent for another shop (every route with one)", [OTHER_DEPENDENT, OTHER_PRIMARY, PRIMARY].flatMap((victim) => naming.map(({ path: route, topic, body }) => async () => (await sendAs(route, topic, victim, body)).status === 401)));
    // Positive control: the same body for its own shop is taken (data_request changes nothing).
    expect((await sendAs("/webhooks/compliance", "customers/data_request", DEPENDENT, naming[2].body)).status).toBe(200);
  });

  test("a body naming no shop, sent for another shop or under another topic, changes nothing of the store it names", async () => {
    const product = (await network.sim.control.snapshot(PRIMARY)).products[0];
    const variant = product.variants[0];
    const catalogue = async (shop: string) => JSON.stringify((await network.sim.control.snapshot(shop)).products.map((p) => [p.title, p.status, p.variants.map((v) => [v.sku, v.price, v.quantities])]));
    const victims = [OTHER_PRIMARY, OTHER_DEPENDENT];
    const before = await Promise.all(victims.map(catalogue));
    const movements = await network.prisma.stockMovement.count();
    const unpaidOrder = { admin_graphql_api_id: "gid://shopify/Order/770077", financial_status: "pending", location_id: null, line_items: [{ admin_graphql_api_id: "gid://shopify/LineItem/770077", sku: variant.sku, quantity: 1 }] };
    const unchanged = async () => {
      await network.idle();
      return JSON.stringify(await Promise.all(victims.map(catalogue))) === JSON.stringify(before) && (await network.prisma.stockMovement.count()) === movements;
    };
    await attack("signed body naming no shop, under another shop or topic (every route)", [
      ...victims.map((victim) => async () => (await sendAs("/webhooks/products", "products/update", victim, { admin_graphql_api_id: product.id, title: product.title })).status < 500 && unchanged()),
      ...victims.map((victim) => async () => (await sendAs("/webhooks/products", "products/delete", victim, { id: Number(product.id.split("/").pop()) })).status < 500 && unchanged()),
      ...victims.map((victim) => async () => (await sendAs("/webhooks/collections", "collections/update", victim, { admin_graphql_api_id: "gid://shopify/Collection/1", title: "x" })).status < 500 && unchanged()),
      ...victims.map((victim) => async () => (await sendAs("/webhooks/inventory", "inventory_levels/update", victim, { inventory_item_id: Number(variant.inventoryItemId.split("/").pop()), location_id: 1, available: 0, updated_at: new Date().toISOString() })).status < 500 && unchanged()),
      ...victims.map((victim) => async () => (await sendAs("/webhooks/orders", "orders/paid", victim, unpaidOrder)).status < 500 && unchanged()),
      ...victims.map((victim) => async () => (await sendAs("/webhooks/app_subscriptions", "app_subscriptions/update", victim, { app_subscription: { admin_graphql_api_id: "gid://shopify/AppSubscription/1", name: "Tandem Plus", status: "CANCELLED" } })).status < 500 && unchanged()),
      // Another topic, the store's own: an unpaid order's body as orders/paid is no sale.
      // (An order's body as refunds/create is unreadable: acknowledged and logged, tests/sync/webhook-faults.test.ts.)
      async () => (await sendAs("/webhooks/orders", "orders/paid", DEPENDENT, unpaidOrder)).status < 500 && unchanged(),
    ], { mayQueueWork: true });
  });
});

describe("session tokens", () => {
  const now = Math.floor(Date.now() / 1000);
  const badTokens = {
    "signed with another secret": signSessionToken({ shop: PRIMARY, apiKey: TEST_API_KEY, apiSecret: "not-the-secret" }),
    "for another app (audience)": sessionToken(PRIMARY, { aud: "another-app" }),
    expired: sessionToken(PRIMARY, { exp: now - 3600, nbf: now - 3700, iat: now - 3700 }),
    "not valid yet": sessionToken(PRIMARY, { nbf: now + 3600, iat: now + 3600, exp: now + 3660 }),
    "not a JWT": "not.a.token",
  };
  const routes = [
    "/app.data", "/app/settings.data", "/app/sync-log.data", "/app/products.data", "/app/sync.data", "/app/onboarding.data", "/app/plan.data", "/app/sync-log.csv",
    "/api/product-sync?productId=gid://shopify/Product/1",
  ];

  test("bad signature, wrong audience, expired or malformed: refused on every route", async () => {
    await attack("session token forged, expired, wrong audience or malformed (every route)", Object.values(badTokens).flatMap((token) => routes.map((route) => async () => {
      const response = await fetch(new URL(route, network.app.origin), { headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_USER_AGENT } });
      return response.status === 401 || response.status === 400;
    })));
    // Page loads: the admin opens the app's document with the token in its URL (id_token).
    const pages = ["/app", "/app/settings", "/app/plan", "/app/onboarding", "/app/sync-log", "/app/products"];
    const connection = await network.prisma.connection.findFirstOrThrow({ where: { primaryShop: PRIMARY } });
    const pageLoad = (route: string, token: string) => {
      const url = new URL(embeddedAppUrl({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: network.app.origin, handle: "tandem" }, PRIMARY, { path: route }));
      url.searchParams.set("id_token", token);
      return fetch(url, { headers: { "User-Agent": BROWSER_USER_AGENT }, redirect: "manual" });
    };
    // Positive control: a good token opens the page, with the store's own data in it.
    const opened = await pageLoad("/app/settings", sessionToken(PRIMARY));
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain(connection.dependentShop);
    await attack("page loaded with a bad session token (every page)", Object.values(badTokens).flatMap((token) => pages.map((route) => async () => {
      const response = await pageLoad(route, token);
      const html = await response.text();
      return response.status !== 200 || (!html.includes(connection.dependentShop) && !html.includes("TNDM-"));
    })));
    await attack("action posted with a bad session token", Object.values(badTokens).map((token) => async () => {
      const response = await fetch(new URL("/app/settings.data", network.app.origin), {
        method: "POST", body: new URLSearchParams({ intent: "regenerate-key" }),
        headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_USER_AGENT, "Content-Type": "application/x-www-form-urlencoded" },
      });
      return response.status === 401 || response.status === 400;
    }));
  });
});

describe("another store's ids (IDOR)", () => {
  test("no route with an id acts on, or shows, another network's records", async () => {
    const connection = await network.prisma.connection.findFirstOrThrow({ where: { primaryShop: PRIMARY, dependentShop: DEPENDENT } });
    const invited = await network.post(PRIMARY, "/app/settings", { intent: "invite", addresses: "sec-invitee" });
    expect(invited.shown).toContain("Invitation sent");
    const invite = await network.prisma.invite.findFirstOrThrow({ where: { primaryShop: PRIMARY, dependentShop: "sec-invitee.myshopify.com" } });
    const job = await network.prisma.job.findFirstOrThrow({ where: { primaryShop: PRIMARY, kind: "sync-all" } });
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { primaryShop: PRIMARY } });
    const product = (await network.sim.control.snapshot(PRIMARY)).products[0];
    const copy = await network.prisma.productLink.findFirstOrThrow({ where: { primaryShop: PRIMARY, primaryProductId: product.id } });
    const refusedPost = (shop: string, route: string, fields: Record<string, string>, refusal: string) => async () => {
      const response = await network.post(shop, route, fields);
      return response.status === 200 && response.shown.includes(refusal);
    };
    const block = (shop: string, productId: string) => async () => {
      const answer = await fetch(new URL(`/api/product-sync?productId=${encodeURIComponent(productId)}`, network.app.origin), { headers: bearerHeaders(shop) });
      const body = (await answer.json()) as { synced: boolean };
      const sync = await fetch(new URL("/api/product-sync", network.app.origin), { method: "POST", body: new URLSearchParams({ intent: "sync-now", productId }), headers: bearerHeaders(shop) });
      return body.synced === false && sync.status === 409;
    };
    await attack("another network's connection, invite, task, log entry or product", [
      ...["pause", "resume", "disconnect"].map((intent) => refusedPost(OTHER_PRIMARY, "/app/settings", { intent, connectionId: connection.id }, "This connection does not exist.")),
      refusedPost(OTHER_DEPENDENT, "/app/settings", { intent: "disconnect", connectionId: connection.id, products: "delete" }, "This connection does not exist."),
      refusedPost(OTHER_PRIMARY, "/app/settings", { intent: "revoke-invite", inviteId: invite.id }, "This invitation does not exist."),
      ...["accept-invite", "decline-invite"].map((intent) => refusedPost(NEWCOMER, "/app/onboarding", { intent, inviteId: invite.id }, "This invitation does not exist.")),
      ...["retry", "cancel"].map((intent) => refusedPost(OTHER_PRIMARY, "/app/sync", { intent, jobId: job.id }, "That task was not found.")),
      async () => (await network.load(OTHER_PRIMARY, `/app/sync-log/${entry.id}`)).status === 404,
      async () => !(await network.load(OTHER_PRIMARY, `/app/sync-log?job=${job.id}`)).text.includes(entry.id),
      block(OTHER_PRIMARY, product.id),
      block(OTHER_DEPENDENT, copy.dependentProductId),
    ]);
  });
});

describe("another store's ids, each beside the owner's own use of it (positive control)", () => {
  test("location ids, collection ids, log cursors, CSV task filters and a sibling's connection", async () => {
    const locationsOf = async (shop: string) => (await network.sim.control.snapshot(shop)).locations.map((l) => l.id);
    const [primaryLocation] = await locationsOf(PRIMARY);
    const [dependentLocation] = await locationsOf(DEPENDENT);
    const [otherPrimaryLocation] = await locationsOf(OTHER_PRIMARY);
    const [otherDependentLocation] = await locationsOf(OTHER_DEPENDENT);
    const ownCollection = await network.sim.control.createCollection(PRIMARY, { title: "Own collection" });
    const foreignCollection = await network.sim.control.createCollection(OTHER_PRIMARY, { title: "Foreign collection" });
    const entry = await network.prisma.syncLog.findFirstOrThrow({ where: { primaryShop: PRIMARY }, orderBy: { createdAt: "asc" } });
    const job = await network.prisma.job.findFirstOrThrow({ where: { primaryShop: PRIMARY, kind: "sync-all", lane: DEPENDENT } });
    const siblingConnection = await network.prisma.connection.findFirstOrThrow({ where: { dependentShop: SIBLING, status: "connected" } });
    const csv = async (shop: string, query: string) => (await fetch(new URL(`/app/sync-log.csv?${query}`, network.app.origin), { headers: bearerHeaders(shop) })).text();
    const refusedPost = (shop: string, route: string, fields: Record<string, string>, refusal: RegExp) => async () => {
      const response = await network.post(shop, route, fields);
      return response.status === 200 && refusal.test(response.shown);
    };

    // Positive controls first: each id works for the store it belongs to.
    expect((await network.post(DEPENDENT, "/app/settings", { intent: "save-location-mapping", [`location:${primaryLocation}`]: dependentLocation })).shown).toMatch(/Location mapping saved/);
    expect((await network.post(PRIMARY, "/app/settings", { intent: "save-selection", tag: "", collectionId: ownCollection.id })).shown).toMatch(/collection/i);
    expect((await network.prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY } })).selectionCollectionId).toBe(ownCollection.id);
    expect((await network.post(PRIMARY, "/app/settings", { intent: "save-selection", tag: "", collectionId: "" })).status).toBe(200);
    expect((await network.load(PRIMARY, `/app/sync-log?cursor=${entry.id}`)).status).toBe(200);
    expect(await csv(PRIMARY, `job=${job.id}`)).toContain(DEPENDENT);
    // The saved mapping started a Sync all of the dependent: done before the attempts are counted.
    await network.idle();

    await attack("another store's location, collection, log cursor, CSV task or sibling connection", [
      refusedPost(DEPENDENT, "/app/settings", { intent: "save-location-mapping", [`location:${otherPrimaryLocation}`]: dependentLocation }, /not one of|location/i),
      refusedPost(DEPENDENT, "/app/settings", { intent: "save-location-mapping", [`location:${primaryLocation}`]: otherDependentLocation }, /not one of|location/i),
      refusedPost(PRIMARY, "/app/settings", { intent: "save-selection", tag: "", collectionId: foreignCollection.id }, /That collection is not in this store/),
      async () => {
        const page = await network.load(OTHER_PRIMARY, `/app/sync-log?cursor=${entry.id}`);
        return page.status < 500 && !page.text.includes(PRIMARY) && !page.text.includes(DEPENDENT);
      },
      async () => {
        const rows = await csv(OTHER_PRIMARY, `job=${job.id}`);
        return !rows.includes(DEPENDENT) && !rows.includes(PRIMARY);
      },
      ...["pause", "resume", "disconnect"].map((intent) => refusedPost(DEPENDENT, "/app/settings", { intent, connectionId: siblingConnection.id, products: "delete" }, /This connection does not exist|only the primary|primary store/i)),
    ]);
    expect(await network.prisma.connection.findUniqueOrThrow({ where: { id: siblingConnection.id } })).toMatchObject({ status: "connected" });
  });
});

describe("connection keys", () => {
  test("guessing is throttled: after 5 wrong keys even the right one waits", async () => {
    const key = (await network.load(PRIMARY, "/app/settings")).text.match(/TNDM(-[0-9A-Z]{4}){8}/)![0];
    const guesses = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? `TNDM${"-ABCD".repeat(7)}-${String(1000 + i)}` : `guess-${i}`));
    await attack("wrong connection keys (then the right one, while throttled)", [
      ...guesses.map((guess) => async () => (await network.post(NEWCOMER, "/app/onboarding", { intent: "connect-key", key: guess })).shown.match(/not a connection key|No primary store has this key|Too many wrong keys/) !== null),
      async () => (await network.post(NEWCOMER, "/app/onboarding", { intent: "connect-key", key })).shown.includes("Too many wrong keys"),
    ]);
  });

  test("20 wrong keys sent at once are throttled all the same: five are tried, fifteen wait", async () => {
    const guesser = "sec-parallel-guesser.myshopify.com";
    await network.sim.control.createStore({ domain: guesser });
    expect((await network.post(guesser, "/app/onboarding", { intent: "choose-role", role: "dependent" })).status).toBe(200);
    const answers: string[] = [];
    await attack("20 wrong connection keys at once", Array.from({ length: 20 }, (_, i) => async () => {
      const shown = (await network.post(guesser, "/app/onboarding", { intent: "connect-key", key: `TNDM${"-EFGH".repeat(7)}-${String(2000 + i)}` })).shown;
      answers.push(shown.includes("Too many wrong keys") ? "throttled" : shown.includes("No primary store has this key") ? "unknown" : shown);
      return shown.match(/No primary store has this key|Too many wrong keys/) !== null;
    }), { parallel: true });
    expect(answers.filter((a) => a === "unknown")).toHaveLength(5);
    expect(await network.prisma.keyAttempt.count({ where: { shop: guesser, succeeded: false } })).toBe(5);
  });
});

describe("oversized and malformed bodies", () => {
  test("are refused without crashing the app", async () => {
    const big = "x".repeat(6 * 1024 * 1024);
    const refusedOrCut = async (request: () => Promise<Response>, statuses: number[]) => {
      try {
        return statuses.includes((await request()).status) && (await appAlive());
      } catch {
        // The server may close the connection while a too-large body is still being sent.
        return appAlive();
      }
    };
    const signedJson = (raw: string) => ({
      method: "POST", body: raw,
      headers: { "Content-Type": "application/json", "X-Shopify-Topic": "products/update", "X-Shopify-Hmac-Sha256": signWebhook(raw, TEST_API_SECRET), "X-Shopify-Shop-Domain": PRIMARY, "X-Shopify-Event-Id": crypto.randomUUID() },
    });
    await attack("oversized, unlengthed or malformed bodies", [
      () => refusedOrCut(() => fetch(new URL("/app/settings.data", network.app.origin), { method: "POST", body: new URLSearchParams({ intent: "invite", addresses: big }), headers: bearerHeaders(PRIMARY) }), [413]),
      () => refusedOrCut(() => fetch(new URL("/webhooks/products", network.app.origin), signedJson(JSON.stringify({ admin_graphql_api_id: "gid://shopify/Product/1", padding: big }))), [413]),
      () => refusedOrCut(() => fetch(new URL("/webhooks/orders", network.app.origin), { ...signedJson("{}"), body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("{}")); c.close(); } }), duplex: "half" } as RequestInit), [411]),
      // Signed, but not JSON, or JSON without what the topic needs.
      () => refusedOrCut(() => fetch(new URL("/webhooks/products", network.app.origin), signedJson("{not json")), [400]),
      () => refusedOrCut(() => fetch(new URL("/webhooks/products", network.app.origin), signedJson("[]")), [400]),
      () => refusedOrCut(() => fetch(new URL("/webhooks/orders", network.app.origin), { ...signedJson(JSON.stringify({ line_items: "nope" })), headers: { ...signedJson(JSON.stringify({ line_items: "nope" })).headers, "X-Shopify-Topic": "orders/paid" } }), [200, 400]),
      // Form fields the forms never send, or far too long.
      // Too long for its field: marked there with its limit.
      async () => (await network.post(PRIMARY, "/app/settings", { intent: "invite", addresses: "a".repeat(6000) })).shown.includes('"addresses":"Too long: at most 5000 characters (this has 6000)"'),
      async () => (await network.post(PRIMARY, "/app/settings", { intent: "pause", connectionId: "x".repeat(500) })).shown.includes("That request was not understood"),
      async () => (await network.post(PRIMARY, "/app/sync", { intent: "drop-tables" })).shown.includes("That request was not understood"),
      async () => (await network.load(PRIMARY, "/app/sync-log?pageSize=100000")).status === 400,
      // A page cursor or direction not of ours: the first page instead.
      async () => (await network.load(PRIMARY, "/app/products?direction=sideways")).status === 200,
      async () => (await fetch(new URL("/api/product-sync?productId=1%20OR%201%3D1", network.app.origin), { headers: bearerHeaders(PRIMARY) })).status === 400,
    ]);
  });
});

describe("injection strings", () => {
  test("in titles, SKUs and store addresses are stored as typed and shown as text", async () => {
    const primary = (await network.sim.control.snapshot(PRIMARY)).products;
    const dependent = (await network.sim.control.snapshot(DEPENDENT)).products;
    const page = (await network.page(PRIMARY, "/app/products?sku=")).html;
    const attempts = INJECTIONS.map((title) => async () => {
      const original = primary.find((p) => p.title === title)!;
      const copied = dependent.find((p) => p.title === title);
      // Copied exactly, and never written into the page as markup (React writes text).
      return copied?.variants[0].sku === original.variants[0].sku && !(title.includes("<") && page.includes(title));
    });
    await attack("SQL/HTML injection in titles and SKUs (synced, then shown)", attempts);
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;img src=x");
    expect(await network.prisma.store.count()).toBeGreaterThanOrEqual(5);

    await attack("SQL/HTML injection as a store address", [`'; DROP TABLE "Store"; --`, `<script>alert(1)</script>.myshopify.com`, `https://evil.example.com/admin`].map((address) => async () =>
      (await network.post(PRIMARY, "/app/settings", { intent: "invite", addresses: address })).shown.includes("myshopify.com address")));
  });
});
