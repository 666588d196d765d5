import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { choosePlan, connectStores, startCharge, type SyncNetwork, startSyncNetwork } from "../setup/sync-network";
import { postSignedWebhook } from "../setup/test-app";

const PRIMARY = "plan-primary.myshopify.com";
const FIRST = "plan-first.myshopify.com";
const SECOND = "plan-second.myshopify.com";
const THIRD = "plan-third.myshopify.com";
const PRODUCTS = 105;
let network: SyncNetwork;

const planOf = async (shop: string) => (await network.prisma.store.findUniqueOrThrow({ where: { shop } })).plan;
const productCount = async (shop: string) => (await network.sim.control.snapshot(shop)).products.length;

async function syncAllAndWait(shop: string) {
  const started = await network.post(shop, "/app/sync", { intent: "sync-all" });
  expect(started.shown).toContain("Sync all started");
  await network.idle(120_000);
}

beforeAll(async () => {
  network = await startSyncNetwork();
  const { control } = network.sim;
  for (const shop of [PRIMARY, FIRST, SECOND, THIRD]) await control.createStore({ domain: shop });
  await control.seed(PRIMARY, { products: PRODUCTS, variantsPerProduct: 1, seed: 11, skuPrefix: "PLAN" });
  await network.ensureWorker();
  // Everyone starts on Free: 100 products, 2 dependents.
  await connectStores(network, PRIMARY, [{ shop: FIRST }, { shop: SECOND }]);
  await network.idle(120_000);
}, 240_000);

afterAll(async () => {
  await network?.stop();
});

describe("plan limits", () => {
  test("on Free, 100 products sync and the others are logged with the plan and the fix", async () => {
    expect(await productCount(FIRST)).toBe(100);
    expect(await network.prisma.productLink.count({ where: { dependentShop: FIRST } })).toBe(100);
    const overLimit = await network.prisma.syncLog.findMany({ where: { dependentShop: FIRST, message: { contains: "Not synced" } } });
    // Each product over the limit is logged (again by a run that redid its batch after a lapsed lease).
    expect(new Set(overLimit.map((entry) => entry.primaryProductId)).size).toBe(PRODUCTS - 100);
    expect(overLimit[0].message).toContain("Free plan");
    expect(overLimit[0].fix).toContain("Upgrade the plan");
    const job = await network.prisma.job.findFirstOrThrow({ where: { kind: "sync-all", lane: FIRST }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(job.result!)).toMatchObject({ overPlanLimit: PRODUCTS - 100 });
    const page = await network.page(FIRST, "/app/plan");
    expect(page.status).toBe(200);
    expect(page.html).toContain("Current plan: Free");
    expect(page.html).toContain("100 of 100 products used.");
    // The primary counts each of its products once, however many dependents it is linked in.
    expect((await network.page(PRIMARY, "/app/plan")).html).toContain("100 of 100 products used.");
  });

  test("a Free primary cannot connect a third dependent, and says how to fix it", async () => {
    await network.post(THIRD, "/app/onboarding", { intent: "choose-role", role: "dependent" });
    const key = (await network.load(PRIMARY, "/app/settings")).text.match(/TNDM(-[0-9A-Z]{4}){8}/)![0];
    const refused = await network.post(THIRD, "/app/onboarding", { intent: "connect-key", key });
    expect(refused.shown).toContain("Free plan, which connects up to 2 dependent stores");
    expect(await network.prisma.connection.count({ where: { dependentShop: THIRD } })).toBe(0);
  });
});

describe("billing", () => {
  test("a declined charge changes nothing; an approved one activates the plan through Shopify's webhook", async () => {
    const declineUrl = await startCharge(network, PRIMARY, "basic");
    const declined = await fetch(`${declineUrl}?decision=decline`, { redirect: "manual" });
    expect(declined.status).toBe(302);
    const back = new URL(declined.headers.get("location")!);
    expect(back.pathname).toBe(`/admin/${PRIMARY}/apps/tandem/app/plan`);
    await network.sim.control.webhooksIdle();
    expect(await planOf(PRIMARY)).toBe("free");
    const returned = await network.load(PRIMARY, `/app/plan?charge_id=${back.searchParams.get("charge_id")}`);
    expect(returned.text).toContain('"approved",false');

    const approveUrl = await startCharge(network, PRIMARY, "basic");
    const approved = await fetch(`${approveUrl}?decision=approve`, { redirect: "manual" });
    const chargeId = new URL(approved.headers.get("location")!).searchParams.get("charge_id");
    await network.sim.control.webhooksIdle();
    expect(await planOf(PRIMARY)).toBe("basic");
    const page = await network.load(PRIMARY, `/app/plan?charge_id=${chargeId}`);
    expect(page.text).toContain('"approved",true');

    // Basic connects up to 5 dependents.
    const key = (await network.load(PRIMARY, "/app/settings")).text.match(/TNDM(-[0-9A-Z]{4}){8}/)![0];
    await network.post(THIRD, "/app/onboarding", { intent: "connect-key", key });
    expect(await network.prisma.connection.count({ where: { dependentShop: THIRD, status: "connected" } })).toBe(1);
  });

  test("the smaller plan of the pair still limits; upgrading the dependent syncs the rest", async () => {
    await syncAllAndWait(PRIMARY);
    expect(await productCount(FIRST)).toBe(100);
    const latest = await network.prisma.syncLog.findFirstOrThrow({ where: { dependentShop: FIRST, message: { contains: "Not synced" } }, orderBy: { createdAt: "desc" } });
    expect(latest.message).toContain(`${FIRST}'s Free plan`);
    await choosePlan(network, FIRST, "basic");
    await syncAllAndWait(FIRST);
    expect(await productCount(FIRST)).toBe(PRODUCTS);
    expect(await network.prisma.productLink.count({ where: { dependentShop: FIRST } })).toBe(PRODUCTS);
  }, 180_000);

  test("switching back to Free asks first, saying what the limit does, then cancels the subscription in Shopify", async () => {
    // One click asks: a paid plan is not cancelled by a stray press.
    const asked = await network.post(FIRST, "/app/plan", { intent: "choose", plan: "free" });
    expect(asked.shown).toContain(`Switch to Free? Your Basic subscription ends now. Free links at most 100 products per store: the ${PRODUCTS} linked now keep syncing, and no new product is linked until fewer than 100 are.`);
    expect(await planOf(FIRST)).toBe("basic");
    expect(network.sim.world.stores.get(FIRST)!.installation!.subscriptions.filter((s) => s.status === "ACTIVE")).toHaveLength(1);
    const switched = await network.post(FIRST, "/app/plan", { intent: "choose", plan: "free", confirmed: "yes" });
    expect(switched.shown).toContain("You are now on the Free plan");
    expect(await planOf(FIRST)).toBe("free");
    await network.sim.control.webhooksIdle();
    const store = network.sim.world.stores.get(FIRST)!;
    expect(store.installation!.subscriptions.filter((s) => s.status === "ACTIVE")).toEqual([]);
    // Products already linked keep syncing; the limit stops new ones.
    expect(await network.prisma.productLink.count({ where: { dependentShop: FIRST } })).toBe(PRODUCTS);
  });

  test("a forged subscription webhook changes no plan", async () => {
    const forged = await fetch(new URL("/webhooks/app_subscriptions", network.app.origin), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Topic": "app_subscriptions/update", "X-Shopify-Shop-Domain": SECOND, "X-Shopify-Hmac-Sha256": "Zm9yZ2Vk" },
      body: JSON.stringify({ app_subscription: { admin_graphql_api_id: "gid://shopify/AppSubscription/1", name: "Tandem Plus", status: "ACTIVE" } }),
    });
    expect(forged.status).toBe(401);
    expect(await planOf(SECOND)).toBe("free");
  });

  test("an unknown plan is refused with a clear message", async () => {
    const refused = await network.post(SECOND, "/app/plan", { intent: "choose", plan: "platinum" });
    expect(refused.shown).toContain("Choose one of the plans listed");
    expect(await planOf(SECOND)).toBe("free");
  });
});

describe("app_subscriptions/update webhooks, as Shopify delivers them: repeated and in any order", () => {
  const SUBSCRIBER = "plan-subscriber.myshopify.com";
  const subscription = (id: number, plan: string, status: string, updatedAt?: Date) => ({
    app_subscription: { admin_graphql_api_id: `gid://shopify/AppSubscription/${id}`, name: `Tandem ${plan}`, status, ...(updatedAt ? { updated_at: updatedAt.toISOString() } : {}) },
  });
  const deliver = async (shop: string, body: Record<string, unknown>, eventId?: string) => {
    const response = await postSignedWebhook(network.app.origin, { path: "/webhooks/app_subscriptions", topic: "app_subscriptions/update", shop, body, eventId });
    expect(response.status).toBe(200);
  };
  const at = (seconds: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, seconds));

  beforeAll(async () => {
    await network.sim.control.createStore({ domain: SUBSCRIBER });
    expect((await network.load(SUBSCRIBER, "/app")).status).toBe(200);
    expect(await planOf(SUBSCRIBER)).toBe("free");
  });

  test("an ACTIVE older than the cancel it preceded does not bring the paid plan back", async () => {
    await deliver(SUBSCRIBER, subscription(901, "Basic", "ACTIVE", at(0)));
    expect(await planOf(SUBSCRIBER)).toBe("basic");
    await deliver(SUBSCRIBER, subscription(901, "Basic", "CANCELLED", at(2)));
    expect(await planOf(SUBSCRIBER)).toBe("free");
    await deliver(SUBSCRIBER, subscription(901, "Basic", "ACTIVE", at(0)));
    expect(await planOf(SUBSCRIBER)).toBe("free");
  });

  test("after an upgrade, the older plan's late ACTIVE does not downgrade the store", async () => {
    await deliver(SUBSCRIBER, subscription(903, "Pro", "ACTIVE", at(10)));
    await deliver(SUBSCRIBER, subscription(902, "Basic", "ACTIVE", at(5)));
    expect(await planOf(SUBSCRIBER)).toBe("pro");
    // The replaced subscription's end, whenever it comes, leaves the current one alone.
    await deliver(SUBSCRIBER, subscription(902, "Basic", "CANCELLED", at(10)));
    expect(await planOf(SUBSCRIBER)).toBe("pro");
  });

  test("an event applied once is not applied again when Shopify repeats it", async () => {
    // Without updated_at nothing orders them: the event id alone keeps the repeat out.
    await deliver(SUBSCRIBER, subscription(904, "Plus", "ACTIVE"), "plan-subscriber-event-904");
    expect(await planOf(SUBSCRIBER)).toBe("plus");
    await deliver(SUBSCRIBER, subscription(904, "Plus", "CANCELLED"));
    expect(await planOf(SUBSCRIBER)).toBe("free");
    await deliver(SUBSCRIBER, subscription(904, "Plus", "ACTIVE"), "plan-subscriber-event-904");
    expect(await planOf(SUBSCRIBER)).toBe("free");
  });

  test("a shop that never installed Tandem gets no store row", async () => {
    await deliver("plan-stranger.myshopify.com", subscription(905, "Plus", "ACTIVE", at(20)));
    expect(await network.prisma.store.count({ where: { shop: "plan-stranger.myshopify.com" } })).toBe(0);
    // The store that did install Tandem is where a real subscription lands (positive control).
    await deliver(SUBSCRIBER, subscription(906, "Basic", "ACTIVE", at(30)));
    expect(await planOf(SUBSCRIBER)).toBe("basic");
  });
});
