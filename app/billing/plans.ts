/**
 * Tandem's plans (seed 004: each connected store has its own plan). A store's plan caps how many
 * products it syncs; a primary's plan also caps how many dependents it can connect. Prices are in
 * USD per 30 days. null = no limit.
 */
export const PLANS = [
  { id: "free", name: "Free", monthlyPrice: 0, productLimit: 100, dependentLimit: 2 },
  { id: "basic", name: "Basic", monthlyPrice: 19, productLimit: 1_000, dependentLimit: 5 },
  { id: "pro", name: "Pro", monthlyPrice: 49, productLimit: 10_000, dependentLimit: 10 },
  { id: "plus", name: "Plus", monthlyPrice: 149, productLimit: null, dependentLimit: null },
] as const;

export type Plan = (typeof PLANS)[number];
export type PlanId = Plan["id"];

export const FREE_PLAN: Plan = PLANS[0];

export function isPlanId(value: string): value is PlanId {
  return PLANS.some((plan) => plan.id === value);
}

/** Unknown ids (a plan retired since) count as Free rather than unlimited. */
export function planById(id: string): Plan {
  return PLANS.find((plan) => plan.id === id) ?? FREE_PLAN;
}

/** The name of the Shopify subscription for a plan; how a subscription is recognised again. */
export function subscriptionName(plan: Plan): string {
  return `Tandem ${plan.name}`;
}

export function planBySubscriptionName(name: string): Plan | null {
  return PLANS.find((plan) => plan.monthlyPrice > 0 && subscriptionName(plan) === name) ?? null;
}

/** Products synced between a primary and a dependent: the smaller of the two stores' limits. */
export function pairProductLimit(primary: Plan, dependent: Plan): number | null {
  const limits = [primary.productLimit as number | null, dependent.productLimit as number | null].filter((limit): limit is number => limit !== null);
  return limits.length > 0 ? Math.min(...limits) : null;
}
