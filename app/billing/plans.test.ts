import { describe, expect, test } from "vitest";
import { FREE_PLAN, PLANS, isPlanId, pairProductLimit, planById, planBySubscriptionName, subscriptionName } from "./plans";

const plan = (id: string) => planById(id);

describe("plans (seed 004: each store has its own plan)", () => {
  test("a plan is known by its id; an id retired since counts as Free, never as unlimited", () => {
    expect(PLANS.map((p) => p.id)).toEqual(["free", "basic", "pro", "plus"]);
    for (const p of PLANS) expect(isPlanId(p.id)).toBe(true);
    expect(isPlanId("gold")).toBe(false);
    expect(isPlanId("")).toBe(false);
    expect(planById("plus")).toMatchObject({ productLimit: null, dependentLimit: null });
    expect(planById("gold")).toBe(FREE_PLAN);
    expect(FREE_PLAN).toMatchObject({ id: "free", monthlyPrice: 0, productLimit: 100, dependentLimit: 2 });
  });

  test("a paid plan is recognised by its subscription's name; Free has none", () => {
    expect(subscriptionName(plan("basic"))).toBe("Tandem Basic");
    expect(planBySubscriptionName("Tandem Basic")).toBe(plan("basic"));
    expect(planBySubscriptionName("Tandem Plus")).toBe(plan("plus"));
    expect(planBySubscriptionName("Tandem Free")).toBeNull();
    expect(planBySubscriptionName("Tandem Gold")).toBeNull();
    expect(planBySubscriptionName("Basic")).toBeNull();
  });

  test("a pair syncs up to the smaller of its two stores' product limits; no limit only when neither has one", () => {
    expect(pairProductLimit(plan("free"), plan("basic"))).toBe(100);
    expect(pairProductLimit(plan("pro"), plan("basic"))).toBe(1_000);
    expect(pairProductLimit(plan("plus"), plan("pro"))).toBe(10_000);
    expect(pairProductLimit(plan("basic"), plan("plus"))).toBe(1_000);
    expect(pairProductLimit(plan("plus"), plan("plus"))).toBeNull();
  });
});
