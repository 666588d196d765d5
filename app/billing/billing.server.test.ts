import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { simulatorWithStore } from "../../sim/test-helpers";
import { useTestAppEnv } from "../../tests/setup/app-env";

// Billing in-process against the simulator's Billing API. End to end, through the plan page and
// Shopify's webhooks: tests/sync/plans.test.ts.
const store = await simulatorWithStore({ shop: "billing.myshopify.com" });
await useTestAppEnv({ SHOPIFY_ADMIN_API_ORIGIN: store.sim.origin, SHOPIFY_APP_HANDLE: "tandem-billing" });
const { default: prisma } = await import("../db.server");
const { changePlan, handleSubscriptionUpdate, refreshPlanFromShopify } = await import("./billing.server");
const { planById } = await import("./plans");
const { setStorePlan } = await import("../models/stores.server");

const SHOP = store.shop;
const UNKNOWN = "billing-unknown.myshopify.com";
let sequence = 0;
const eventId = () => `billing-event-${++sequence}`;

const storeRow = () => prisma.store.findUniqueOrThrow({ where: { shop: SHOP }, select: { plan: true, subscriptionId: true } });
const simSubscriptions = () => store.sim.world.requireStore(SHOP).installation!.subscriptions;
const approve = async (confirmationUrl: string) => {
  const answer = await fetch(`${confirmationUrl}?decision=approve`, { redirect: "manual" });
  expect(answer.status).toBe(302);
};
const subscriptionUpdate = (subscription: Record<string, unknown>, id = eventId()) =>
  handleSubscriptionUpdate({ shop: SHOP, eventId: id, payload: { app_subscription: subscription } });

beforeAll(async () => {
  await prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: store.accessToken } });
  await setStorePlan(SHOP, planById("free"), null, new Date("2026-01-01T00:00:00Z"));
});

afterAll(async () => {
  await store.sim.close();
});

describe("changing plans", () => {
  test("a paid plan creates Shopify's charge, named after the plan, and waits for the merchant's approval", async () => {
    const change = await changePlan(SHOP, "basic");
    expect(change.kind).toBe("confirm");
    const latest = simSubscriptions().at(-1)!;
    expect(change).toEqual({ kind: "confirm", confirmationUrl: `${store.sim.origin}/admin/${SHOP}/charges/${latest.id}/confirm` });
    expect(latest).toMatchObject({
      name: "Tandem Basic", status: "PENDING", test: true, price: { amount: "19.00", currencyCode: "USD" },
      returnUrl: `${store.sim.origin}/admin/${SHOP}/apps/tandem-billing/app/plan`,
    });
    // Nothing changes before Shopify confirms.
    expect(await storeRow()).toEqual({ plan: "free", subscriptionId: null });
  });

  test("back from the approval page, the plan is read from Shopify's active subscription", async () => {
    const change = await changePlan(SHOP, "pro");
    if (change.kind !== "confirm") throw new Error("expected a charge to confirm");
    await approve(change.confirmationUrl);
    expect((await refreshPlanFromShopify(SHOP)).id).toBe("pro");
    const active = simSubscriptions().find((s) => s.status === "ACTIVE")!;
    expect(await storeRow()).toEqual({ plan: "pro", subscriptionId: `gid://shopify/AppSubscription/${active.id}` });
  });

  test("Free cancels the current charge at Shopify and in Tandem", async () => {
    const { subscriptionId } = await storeRow();
    expect(subscriptionId).not.toBeNull();
    expect(await changePlan(SHOP, "free")).toEqual({ kind: "changed", plan: planById("free") });
    expect(simSubscriptions().filter((s) => s.status === "ACTIVE")).toEqual([]);
    expect(await storeRow()).toEqual({ plan: "free", subscriptionId: null });
    // Free again, with nothing to cancel: still Free, nothing sent to cancel.
    expect(await changePlan(SHOP, "free")).toEqual({ kind: "changed", plan: planById("free") });
    expect(await refreshPlanFromShopify(SHOP)).toBe(planById("free"));
  });

  test("of several active subscriptions, the newest of Tandem's own sets the plan; other names are not Tandem's", async () => {
    const subscriptions = simSubscriptions();
    const base = { status: "ACTIVE" as const, test: true, trialDays: 0, returnUrl: "https://example.test", price: { amount: "1.0", currencyCode: "USD" }, currentPeriodEnd: null };
    subscriptions.push(
      { ...base, id: 9001, name: "Tandem Basic", createdAt: "2026-12-01T00:00:00Z" },
      { ...base, id: 9002, name: "Tandem Plus", createdAt: "2026-12-03T00:00:00Z" },
      { ...base, id: 9003, name: "Tandem Pro", createdAt: "2026-12-02T00:00:00Z" },
      { ...base, id: 9004, name: "Someone else's", createdAt: "2026-12-04T00:00:00Z" },
      { ...base, id: 9005, status: "DECLINED", name: "Tandem Pro", createdAt: "2026-12-05T00:00:00Z" },
    );
    try {
      expect((await refreshPlanFromShopify(SHOP)).id).toBe("plus");
      expect(await storeRow()).toEqual({ plan: "plus", subscriptionId: "gid://shopify/AppSubscription/9002" });
    } finally {
      subscriptions.splice(subscriptions.findIndex((s) => s.id === 9001));
      await setStorePlan(SHOP, planById("free"), null, new Date("2026-01-01T00:00:00Z"));
    }
  });
});

describe("app_subscriptions/update", () => {
  const gid = (n: number) => `gid://shopify/AppSubscription/${n}`;

  test("ACTIVE switches to the plan its name gives, once per event; a name not Tandem's or a pending charge changes nothing", async () => {
    const id = eventId();
    expect(await subscriptionUpdate({ admin_graphql_api_id: gid(1), name: "Tandem Basic", status: "ACTIVE", updated_at: "2026-02-01T00:00:00Z" }, id)).toBe("applied");
    expect(await storeRow()).toEqual({ plan: "basic", subscriptionId: gid(1) });
    await prisma.store.update({ where: { shop: SHOP }, data: { plan: "pro" } });
    expect(await subscriptionUpdate({ admin_graphql_api_id: gid(1), name: "Tandem Basic", status: "ACTIVE", updated_at: "2026-02-01T00:00:00Z" }, id)).toBe("duplicate");
    expect((await storeRow()).plan).toBe("pro");
    expect(await prisma.webhookEvent.findMany({ where: { eventId: id }, select: { shop: true, topic: true } })).toEqual([{ shop: SHOP, topic: "app_subscriptions/update" }]);
    await prisma.store.update({ where: { shop: SHOP }, data: { plan: "basic" } });

    expect(await subscriptionUpdate({ admin_graphql_api_id: gid(2), name: "Other app", status: "ACTIVE", updated_at: "2026-02-02T00:00:00Z" })).toBe("ignored");
    expect(await subscriptionUpdate({ admin_graphql_api_id: gid(3), name: "Tandem Pro", status: "PENDING", updated_at: "2026-02-02T00:00:00Z" })).toBe("ignored");
    expect(await storeRow()).toEqual({ plan: "basic", subscriptionId: gid(1) });
  });

  test.each(["CANCELLED", "DECLINED", "EXPIRED", "FROZEN"])("%s of the current subscription returns to Free; of another one, nothing", async (status) => {
    await setStorePlan(SHOP, planById("pro"), gid(10), new Date("2026-03-01T00:00:00Z"));
    await subscriptionUpdate({ admin_graphql_api_id: gid(11), name: "Tandem Pro", status, updated_at: "2026-03-02T00:00:00Z" });
    expect(await storeRow()).toEqual({ plan: "pro", subscriptionId: gid(10) });
    await subscriptionUpdate({ admin_graphql_api_id: gid(10), name: "Tandem Pro", status, updated_at: "2026-03-02T00:00:00Z" });
    expect(await storeRow()).toEqual({ plan: "free", subscriptionId: null });
  });

  test("an event older than the plan's last change is ignored: a late ACTIVE does not undo a cancel", async () => {
    await setStorePlan(SHOP, planById("free"), null, new Date("2026-04-02T00:00:00Z"));
    expect(await subscriptionUpdate({ admin_graphql_api_id: gid(20), name: "Tandem Plus", status: "ACTIVE", updated_at: "2026-04-01T00:00:00Z" })).toBe("ignored");
    expect(await storeRow()).toEqual({ plan: "free", subscriptionId: null });
    await subscriptionUpdate({ admin_graphql_api_id: gid(20), name: "Tandem Plus", status: "ACTIVE", updated_at: "2026-04-03T00:00:00Z" });
    expect(await storeRow()).toEqual({ plan: "plus", subscriptionId: gid(20) });
  });

  test("a body without a subscription, or a shop that never installed Tandem, changes nothing and makes no store", async () => {
    const before = await storeRow();
    await handleSubscriptionUpdate({ shop: SHOP, eventId: eventId(), payload: { app_subscription: { name: "Tandem Pro", status: "ACTIVE" } } });
    await handleSubscriptionUpdate({ shop: SHOP, eventId: eventId(), payload: null });
    await handleSubscriptionUpdate({ shop: SHOP, eventId: eventId(), payload: { app_subscription: { admin_graphql_api_id: gid(30), name: "Tandem Pro", status: "ACTIVE", updated_at: "yesterday" } } });
    expect(await storeRow()).toEqual(before);
    await handleSubscriptionUpdate({ shop: UNKNOWN, eventId: eventId(), payload: { app_subscription: { admin_graphql_api_id: gid(31), name: "Tandem Pro", status: "ACTIVE" } } });
    expect(await prisma.store.count({ where: { shop: UNKNOWN } })).toBe(0);
  });
});
