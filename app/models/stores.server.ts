import type { Store } from "@prisma/client";
import prisma, { query, sql } from "../db.server";
import { FREE_PLAN, type Plan, planById } from "../billing/plans";

export type StorePlan = { plan: Plan; subscriptionId: string | null };

/** A store's role ("primary", "dependent", or null before onboarding). Plain SQL: every webhook asks it (ADR 0017). */
export async function roleOf(shop: string): Promise<string | null> {
  const rows = await query<{ role: string | null }>(sql`SELECT "role" FROM "Store" WHERE "shop" = ${shop}`);
  return rows[0]?.role ?? null;
}

/** A store's row, null before it installed Tandem. Plain SQL: every job reads its stores' (ADR 0017). */
export async function storeOf(shop: string): Promise<Store | null> {
  const rows = await query<Store>(sql`SELECT * FROM "Store" WHERE "shop" = ${shop}`);
  return rows[0] ?? null;
}

export async function planOfStore(shop: string): Promise<StorePlan> {
  const store = await storeOf(shop);
  return { plan: planById(store?.plan ?? FREE_PLAN.id), subscriptionId: store?.subscriptionId ?? null };
}

/**
 * The plan as Tandem itself just set it (the merchant chose Free, or Shopify's active subscription
 * was read): a subscription webhook of an earlier time no longer changes it.
 */
export async function setStorePlan(shop: string, plan: Plan, subscriptionId: string | null, at = new Date()): Promise<void> {
  await prisma.store.upsert({
    where: { shop },
    update: { plan: plan.id, subscriptionId, subscriptionChangedAt: at },
    create: { shop, plan: plan.id, subscriptionId, subscriptionChangedAt: at },
  });
}

export type SubscriptionChange = { kind: "activate"; plan: Plan; subscriptionId: string } | { kind: "end"; subscriptionId: string };

/**
 * A subscription change Shopify reported (app_subscriptions/update) at `changedAt`, its updated_at.
 * Applied only to a store Tandem knows (no row is made for an unknown shop), only if no later change
 * was applied (webhooks arrive in any order: a late ACTIVE must not undo a cancel), and an end only
 * to the store's current subscription. One conditional update, so two webhooks handled at once
 * cannot undo each other. False when it changed nothing.
 */
export async function applySubscriptionChange(shop: string, change: SubscriptionChange, changedAt: Date | null): Promise<boolean> {
  const notOlder = changedAt === null ? {} : { OR: [{ subscriptionChangedAt: null }, { subscriptionChangedAt: { lte: changedAt } }] };
  const stamp = changedAt === null ? {} : { subscriptionChangedAt: changedAt };
  const { count } = change.kind === "activate"
    ? await prisma.store.updateMany({ where: { shop, ...notOlder }, data: { plan: change.plan.id, subscriptionId: change.subscriptionId, ...stamp } })
    : await prisma.store.updateMany({ where: { shop, subscriptionId: change.subscriptionId, ...notOlder }, data: { plan: FREE_PLAN.id, subscriptionId: null, ...stamp } });
  return count > 0;
}

/** Back to Free, but only if this subscription is still the store's current one. */
export async function endSubscription(shop: string, subscriptionId: string, at = new Date()): Promise<boolean> {
  return applySubscriptionChange(shop, { kind: "end", subscriptionId }, at);
}

/**
 * Products a store's plan counts as used: for a dependent, the products Tandem links in it; for a
 * primary, its distinct products linked in at least one dependent.
 */
export async function productsUsed(shop: string, role: string | null): Promise<number> {
  if (role === "dependent") return prisma.productLink.count({ where: { dependentShop: shop } });
  if (role === "primary") {
    // Counted in the database: a large catalogue has tens of thousands of links.
    const [row] = await query<{ used: bigint | number }>(sql`SELECT COUNT(DISTINCT "primaryProductId") AS used FROM "ProductLink" WHERE "primaryShop" = ${shop}`);
    return Number(row?.used ?? 0);
  }
  return 0;
}
