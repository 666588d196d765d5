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

export async function setStorePlan(shop: string, plan: Plan, subscriptionId: string | null): Promise<void> {
  await prisma.store.upsert({
    where: { shop },
    update: { plan: plan.id, subscriptionId },
    create: { shop, plan: plan.id, subscriptionId },
  });
}

/** Back to Free, but only if this subscription is still the store's current one (webhooks arrive in any order). */
export async function endSubscription(shop: string, subscriptionId: string): Promise<boolean> {
  const { count } = await prisma.store.updateMany({ where: { shop, subscriptionId }, data: { plan: FREE_PLAN.id, subscriptionId: null } });
  return count > 0;
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
