import type { Prisma, Store } from "@prisma/client";
import { isUniqueViolation } from "../db/engine";
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

/** The shop's row, created if it has none; an uninstalled store stays marked (ensureStore records a reinstall). */
export async function storeRowOf(shop: string): Promise<Store> {
  return upsertStoreRow(shop, {});
}

/**
 * The shop's row with `update` applied, created if it has none. A store's first visit loads the
 * layout and the page at once, and both come here: Prisma's upsert reads and then inserts (on
 * PostgreSQL, for this shape), so the later insert can meet the earlier one's row. That row is
 * then updated instead.
 */
async function upsertStoreRow(shop: string, update: Prisma.StoreUpdateInput): Promise<Store> {
  try {
    return await prisma.store.upsert({ where: { shop }, update, create: { shop } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return prisma.store.update({ where: { shop }, data: update });
  }
}

/** The shop's row, created on its first authenticated visit; reinstalled when it had been uninstalled. */
export async function ensureStore(shop: string): Promise<{ store: Store; reinstalled: boolean }> {
  const before = await prisma.store.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  const store = await upsertStoreRow(shop, { uninstalledAt: null });
  return { store, reinstalled: Boolean(before?.uninstalledAt) };
}

/** A primary's connection key as the database keeps it: a lookup HMAC and a sealed copy. */
export type StoredKey = { keyLookupHash: string; keySealed: string };

export type RoleChange = { kind: "changed" | "unchanged"; store: Store } | { kind: "locked"; role: string };

/**
 * Gives the store its role in one transaction, unless it has another role and a live connection.
 * A primary gets `key`; a dependent holds none.
 */
export async function setRoleUnlessConnected(shop: string, role: "primary" | "dependent", key: StoredKey | null, at = new Date()): Promise<RoleChange> {
  return prisma.$transaction(async (db) => {
    const store = await db.store.upsert({ where: { shop }, update: {}, create: { shop } });
    if (store.role === role) return { kind: "unchanged", store } as const;
    const live = await db.connection.count({ where: { OR: [{ primaryShop: shop }, { dependentShop: shop }], status: { not: "disconnected" } } });
    if (store.role && live > 0) return { kind: "locked", role: store.role } as const;
    const keyColumns = key ? { ...key, keyCreatedAt: at } : { keyLookupHash: null, keySealed: null, keyCreatedAt: null };
    return { kind: "changed", store: await db.store.update({ where: { shop }, data: { role, ...keyColumns } }) } as const;
  });
}

/** The store whose key has one of these lookup hashes (one per secret that may have protected it). */
export async function storeWithKeyLookupHash(hashes: string[]): Promise<Store | null> {
  return prisma.store.findFirst({ where: { keyLookupHash: { in: hashes } } });
}

/** A new key for a primary; the old one stops working at once. */
export async function replaceStoreKey(shop: string, key: StoredKey, at = new Date()): Promise<void> {
  await prisma.store.update({ where: { shop }, data: { ...key, keyCreatedAt: at } });
}

/**
 * The same key protected again (under the current secret), unless another request changed the
 * stored key first: false then.
 */
export async function resealStoreKey(shop: string, storedSealed: string | null, key: StoredKey): Promise<boolean> {
  const { count } = await prisma.store.updateMany({ where: { shop, keySealed: storedSealed }, data: key });
  return count > 0;
}

/** A primary's selection (seed 003): a tag and/or a collection, null for none. */
export async function setSelection(shop: string, tag: string | null, collectionId: string | null): Promise<void> {
  await prisma.store.update({ where: { shop }, data: { selectionTag: tag, selectionCollectionId: collectionId } });
}

export type StockMode = "shared" | "strict";

/** A primary's stock mode (ADR 0033): "shared" unless it chose "strict". */
export async function stockModeOf(primaryShop: string): Promise<StockMode> {
  const store = await prisma.store.findUnique({ where: { shop: primaryShop }, select: { stockMode: true } });
  return store?.stockMode === "strict" ? "strict" : "shared";
}

export async function setStockMode(primaryShop: string, mode: StockMode): Promise<void> {
  await prisma.store.update({ where: { shop: primaryShop }, data: { stockMode: mode } });
}

/** The store's time zone as last read from Shopify, and when (null: never read). */
export async function storedTimeZoneOf(shop: string): Promise<{ timeZone: string | null; readAt: Date | null }> {
  const store = await prisma.store.findUnique({ where: { shop }, select: { timeZone: true, timeZoneReadAt: true } });
  return { timeZone: store?.timeZone ?? null, readAt: store?.timeZoneReadAt ?? null };
}

export async function setTimeZone(shop: string, timeZone: string, at = new Date()): Promise<void> {
  await prisma.store.updateMany({ where: { shop }, data: { timeZone, timeZoneReadAt: at } });
}

/** app/uninstalled: the store is marked, its live connections need attention on the other side. */
export async function markUninstalled(shop: string, at = new Date()): Promise<void> {
  await prisma.$transaction([
    // Shopify cancels the app's charges on uninstall: a reinstall starts on Free.
    prisma.store.updateMany({ where: { shop }, data: { uninstalledAt: at, plan: FREE_PLAN.id, subscriptionId: null } }),
    // Its webhooks stop: what Tandem knew of its levels would go stale.
    prisma.primaryItem.deleteMany({ where: { primaryShop: shop } }),
    prisma.connection.updateMany({
      where: { OR: [{ primaryShop: shop }, { dependentShop: shop }], status: { in: ["connected", "paused"] } },
      data: { status: "needs_attention" },
    }),
  ]);
}
