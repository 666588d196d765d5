import { english, text, type Text } from "../i18n";
import type { Connection, Invite, Prisma, Store } from "@prisma/client";
import { FREE_PLAN, planById } from "../billing/plans";
import prisma, { query, sql } from "../db.server";
import { getConfig, secretRing } from "../config.server";
import { logger } from "../logger.server";
import {
  canonicalConnectionKey, connectionKeyLookupHash, encryptConnectionKey, formatConnectionKey, openSealedKey,
  generateConnectionKey,
} from "./connection-key.server";
import { normalizeStoreAddress } from "./store-address";
import { claimKeyAttempt, failedKeyAttemptTimes, markKeyAttemptSucceeded } from "../models/keyAttempts.server";
import type { PriceRounding } from "../sync/pricing";

/**
 * The store network: roles, connection keys, invites and connections (seeds 003 and 004).
 * Every function acts for one authenticated shop and only touches rows that shop may touch.
 */
export type Role = "primary" | "dependent";
export type ConnectionStatus = "connected" | "paused" | "needs_attention" | "disconnected";

export const INVITE_LIFETIME_DAYS = 14;
export const KEY_ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILED_KEY_ATTEMPTS = 5;

export type NetworkErrorCode =
  | "ROLE_LOCKED" | "NOT_PRIMARY" | "NOT_DEPENDENT" | "INVALID_KEY" | "UNKNOWN_KEY" | "KEY_ATTEMPTS_THROTTLED"
  | "SELF_CONNECTION" | "ALREADY_CONNECTED" | "PRIMARY_UNAVAILABLE" | "INVALID_ADDRESS" | "INVITE_NOT_FOUND"
  | "INVITE_EXPIRED" | "INVITE_NOT_PENDING" | "CONNECTION_NOT_FOUND" | "NOT_CONNECTED" | "INVALID_LOCATION" | "INVALID_SELECTION"
  | "PLAN_LIMIT";

export class NetworkError extends Error {
  constructor(
    readonly code: NetworkErrorCode,
    /** What to tell the merchant, in their language; the Error's message is its English. */
    readonly text: Text,
    readonly retryAfterSeconds?: number,
  ) {
    super(english.text(text));
    this.name = "NetworkError";
  }
}

type Db = Prisma.TransactionClient;

/** The shop's row, created on its first authenticated visit; reinstalled when it had been uninstalled. */
export async function ensureStore(shop: string): Promise<{ store: Store; reinstalled: boolean }> {
  const before = await prisma.store.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  const store = await prisma.store.upsert({ where: { shop }, update: { uninstalledAt: null }, create: { shop } });
  return { store, reinstalled: Boolean(before?.uninstalledAt) };
}

/** Connections that needed attention because this store had uninstalled Tandem, and whose other side is installed. */
export async function restoreConnectionsAfterReinstall(shop: string): Promise<Connection[]> {
  const waiting = await prisma.connection.findMany({ where: { OR: [{ primaryShop: shop }, { dependentShop: shop }], status: "needs_attention" } });
  const restored: Connection[] = [];
  for (const connection of waiting) {
    const other = connection.primaryShop === shop ? connection.dependentShop : connection.primaryShop;
    const otherStore = await prisma.store.findUnique({ where: { shop: other }, select: { uninstalledAt: true } });
    if (!otherStore || otherStore.uninstalledAt) continue;
    restored.push(await prisma.connection.update({ where: { id: connection.id }, data: { status: "connected" } }));
  }
  return restored;
}

async function liveConnectionsOf(db: Db, shop: string) {
  return db.connection.findMany({
    where: { OR: [{ primaryShop: shop }, { dependentShop: shop }], status: { not: "disconnected" } },
  });
}

/** Onboarding step 1, and later changes of role (only while the store has no live connection). */
export async function chooseRole(shop: string, role: Role): Promise<Store> {
  return prisma.$transaction(async (db) => {
    const store = await db.store.upsert({ where: { shop }, update: {}, create: { shop } });
    if (store.role === role) return store;
    if (store.role && (await liveConnectionsOf(db, shop)).length > 0) {
      throw new NetworkError("ROLE_LOCKED", text("network.ROLE_LOCKED", { role: store.role }));
    }
    const key = role === "primary" ? sealNewKey() : { keyLookupHash: null, keySealed: null, keyCreatedAt: null };
    return db.store.update({ where: { shop }, data: { role, ...key } });
  });
}

function sealNewKey() {
  return { ...sealedKey(generateConnectionKey()), keyCreatedAt: new Date() };
}

/** A key as the database keeps it, under the current secret. */
function sealedKey(canonical: string) {
  const { TANDEM_SECRET } = getConfig();
  return { keyLookupHash: connectionKeyLookupHash(canonical, TANDEM_SECRET), keySealed: encryptConnectionKey(canonical, TANDEM_SECRET) };
}

/**
 * Protects a primary's key again under the current secret (found under an earlier one), unless
 * another request did so first. False when the stored key had changed meanwhile.
 */
async function resealKey(shop: string, storedSealed: string | null, canonical: string): Promise<boolean> {
  const { count } = await prisma.store.updateMany({ where: { shop, keySealed: storedSealed }, data: sealedKey(canonical) });
  return count > 0;
}

async function requireRole(shop: string, role: Role): Promise<Store> {
  const store = await prisma.store.findUnique({ where: { shop } });
  if (store?.role !== role) {
    throw new NetworkError(role === "primary" ? "NOT_PRIMARY" : "NOT_DEPENDENT", text(role === "primary" ? "network.NOT_PRIMARY" : "network.NOT_DEPENDENT"));
  }
  return store;
}

/**
 * The primary's key as it is shown and copied (TNDM-…). A key sealed under an earlier secret
 * (TANDEM_PREVIOUS_SECRETS) is sealed again under the current one. One that no known secret opens
 * can neither be shown nor matched any more: the primary gets a new one, and the log says why.
 */
export async function connectionKeyOf(primaryShop: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const store = await requireRole(primaryShop, "primary");
    const opened = store.keySealed ? openSealedKey(store.keySealed, secretRing(getConfig())) : null;
    if (opened?.secretIndex === 0) return formatConnectionKey(opened.canonical);
    if (!opened) logger.warn({ shop: primaryShop }, "connection key sealed under a secret no longer configured: a new key replaces it");
    const canonical = opened?.canonical ?? generateConnectionKey();
    if ((await resealKey(primaryShop, store.keySealed, canonical)) || attempt >= 2) return formatConnectionKey(canonical);
  }
}

/** A new key; the old one stops working at once, existing connections stay. */
export async function regenerateConnectionKey(primaryShop: string): Promise<string> {
  await requireRole(primaryShop, "primary");
  await prisma.store.update({ where: { shop: primaryShop }, data: sealNewKey() });
  return connectionKeyOf(primaryShop);
}

/** A dependent pastes a key: it connects at once, without confirmation from the primary. */
export async function connectWithKey(dependentShop: string, pastedKey: string, now = new Date()): Promise<Connection> {
  const since = new Date(now.getTime() - KEY_ATTEMPT_WINDOW_MS);
  // The attempt is taken (as failed) before the key is looked at: parallel guesses each take one.
  const attemptId = await claimKeyAttempt(dependentShop, { now, since, maxFailures: MAX_FAILED_KEY_ATTEMPTS });
  if (!attemptId) {
    const failures = await failedKeyAttemptTimes(dependentShop, since);
    const retryAt = (failures[failures.length - MAX_FAILED_KEY_ATTEMPTS] ?? now).getTime() + KEY_ATTEMPT_WINDOW_MS;
    const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000));
    logger.warn({ shop: dependentShop }, "connection key attempts throttled");
    throw new NetworkError("KEY_ATTEMPTS_THROTTLED", text("network.KEY_ATTEMPTS_THROTTLED", { minutes: Math.ceil(retryAfterSeconds / 60) }), retryAfterSeconds);
  }
  const canonical = canonicalConnectionKey(pastedKey);
  if (!canonical) throw keyRefused(dependentShop, "INVALID_KEY", text("network.INVALID_KEY"));
  const primary = await primaryWithKey(canonical);
  if (!primary || primary.role !== "primary") throw keyRefused(dependentShop, "UNKNOWN_KEY", text("network.UNKNOWN_KEY"));
  if (primary.shop === dependentShop) throw keyRefused(dependentShop, "SELF_CONNECTION", text("network.SELF_CONNECTION"));
  // The right key is no guess, whether or not the connection can be made (a plan limit, a live one).
  await markKeyAttemptSucceeded(attemptId);
  logger.info({ shop: dependentShop, succeeded: true }, "connection key attempt");
  return connect(primary, dependentShop, "key");
}

/** The store whose key this is, under the current secret or an earlier one (then protected again under the current). */
async function primaryWithKey(canonical: string): Promise<Store | null> {
  const hashes = secretRing(getConfig()).map((secret) => connectionKeyLookupHash(canonical, secret));
  const store = await prisma.store.findFirst({ where: { keyLookupHash: { in: hashes } } });
  if (store && store.keyLookupHash !== hashes[0]) await resealKey(store.shop, store.keySealed, canonical);
  return store;
}

function keyRefused(shop: string, code: NetworkErrorCode, message: Text): NetworkError {
  logger.info({ shop, succeeded: false, code }, "connection key attempt");
  return new NetworkError(code, message);
}

async function connect(primary: Store, dependentShop: string, via: "key" | "invite", inviteId?: string): Promise<Connection> {
  if (primary.uninstalledAt) throw new NetworkError("PRIMARY_UNAVAILABLE", text("network.PRIMARY_UNINSTALLED", { shop: primary.shop }));
  return prisma.$transaction(async (db) => {
    const dependent = await db.store.upsert({ where: { shop: dependentShop }, update: {}, create: { shop: dependentShop } });
    if (dependent.role === "primary") throw new NetworkError("ROLE_LOCKED", text("network.PRIMARY_TO_PRIMARY"));
    const live = await db.connection.findFirst({ where: { dependentShop, status: { not: "disconnected" } } });
    if (live) throw new NetworkError("ALREADY_CONNECTED", text("network.ALREADY_CONNECTED", { shop: live.primaryShop }));
    const { dependentLimit, name } = planById(primary.plan);
    const dependents = await db.connection.count({ where: { primaryShop: primary.shop, status: { not: "disconnected" } } });
    if (dependentLimit !== null && dependents >= dependentLimit) {
      throw new NetworkError("PLAN_LIMIT", text("network.PLAN_LIMIT", { shop: primary.shop, plan: name, limit: dependentLimit }));
    }
    if (dependent.role !== "dependent") await db.store.update({ where: { shop: dependentShop }, data: { role: "dependent" } });
    if (inviteId) await db.invite.update({ where: { id: inviteId }, data: { status: "accepted", respondedAt: new Date() } });
    return db.connection.create({ data: { primaryShop: primary.shop, dependentShop, status: "connected", via } });
  });
}

export type InviteResult = { input: string; ok: true; invite: Invite } | { input: string; ok: false; error: Text };

/** Invites store addresses; each is normalised or rejected with a reason, never silently dropped. */
export async function inviteStores(primaryShop: string, addresses: string[], now = new Date()): Promise<InviteResult[]> {
  await requireRole(primaryShop, "primary");
  const results: InviteResult[] = [];
  for (const input of addresses) {
    const address = normalizeStoreAddress(input);
    if (!address.ok) {
      results.push({ input, ok: false, error: address.error });
      continue;
    }
    if (address.shop === primaryShop) {
      results.push({ input, ok: false, error: text("network.SELF_INVITE") });
      continue;
    }
    const expiresAt = new Date(now.getTime() + INVITE_LIFETIME_DAYS * 86_400_000);
    const existing = await prisma.invite.findFirst({ where: { primaryShop, dependentShop: address.shop, status: "pending" } });
    const invite = existing
      ? await prisma.invite.update({ where: { id: existing.id }, data: { expiresAt } })
      : await prisma.invite.create({ data: { primaryShop, dependentShop: address.shop, status: "pending", expiresAt } });
    results.push({ input, ok: true, invite });
  }
  return results;
}

/** Invites addressed to this store that it can still accept, including those sent before it installed. */
export async function pendingInvitesFor(dependentShop: string, now = new Date()): Promise<Invite[]> {
  return prisma.invite.findMany({ where: { dependentShop, status: "pending", expiresAt: { gt: now } }, orderBy: { createdAt: "asc" } });
}

export async function invitesSentBy(primaryShop: string): Promise<Invite[]> {
  return prisma.invite.findMany({ where: { primaryShop }, orderBy: { createdAt: "desc" } });
}

async function requireInvite(where: Prisma.InviteWhereInput): Promise<Invite> {
  const invite = await prisma.invite.findFirst({ where });
  if (!invite) throw new NetworkError("INVITE_NOT_FOUND", text("network.INVITE_NOT_FOUND"));
  return invite;
}

export async function acceptInvite(dependentShop: string, inviteId: string, now = new Date()): Promise<Connection> {
  const invite = await requireInvite({ id: inviteId, dependentShop });
  if (invite.status !== "pending") throw new NetworkError("INVITE_NOT_PENDING", text("network.INVITE_NOT_PENDING", { status: invite.status }));
  if (invite.expiresAt <= now) throw new NetworkError("INVITE_EXPIRED", text("network.INVITE_EXPIRED"));
  const primary = await prisma.store.findUnique({ where: { shop: invite.primaryShop } });
  if (!primary || primary.role !== "primary") throw new NetworkError("PRIMARY_UNAVAILABLE", text("network.NO_LONGER_PRIMARY", { shop: invite.primaryShop }));
  return connect(primary, dependentShop, "invite", invite.id);
}

export async function declineInvite(dependentShop: string, inviteId: string): Promise<Invite> {
  const invite = await requireInvite({ id: inviteId, dependentShop });
  if (invite.status !== "pending") throw new NetworkError("INVITE_NOT_PENDING", text("network.INVITE_NOT_PENDING", { status: invite.status }));
  return prisma.invite.update({ where: { id: invite.id }, data: { status: "declined", respondedAt: new Date() } });
}

export async function revokeInvite(primaryShop: string, inviteId: string): Promise<Invite> {
  const invite = await requireInvite({ id: inviteId, primaryShop });
  if (invite.status !== "pending") throw new NetworkError("INVITE_NOT_PENDING", text("network.INVITE_NOT_PENDING", { status: invite.status }));
  return prisma.invite.update({ where: { id: invite.id }, data: { status: "revoked", respondedAt: new Date() } });
}

/** Connections this shop may see: all of a primary's, or a dependent's own. */
export async function connectionsOf(shop: string): Promise<Connection[]> {
  return prisma.connection.findMany({
    where: { OR: [{ primaryShop: shop }, { dependentShop: shop }], status: { not: "disconnected" } },
    orderBy: { connectedAt: "asc" },
  });
}

async function requireConnection(where: Prisma.ConnectionWhereInput): Promise<Connection> {
  const connection = await prisma.connection.findFirst({ where: { ...where, status: { not: "disconnected" } } });
  if (!connection) throw new NetworkError("CONNECTION_NOT_FOUND", text("network.CONNECTION_NOT_FOUND"));
  return connection;
}

/** The primary pauses or resumes syncing to one of its dependents. */
export async function setConnectionPaused(primaryShop: string, connectionId: string, paused: boolean): Promise<Connection> {
  const connection = await requireConnection({ id: connectionId, primaryShop });
  return prisma.connection.update({ where: { id: connection.id }, data: { status: paused ? "paused" : "connected" } });
}

/**
 * Either side ends a connection. Whether the dependent keeps the products Tandem created is the
 * caller's choice (seed 003); deleting them is a job of the catalogue engine.
 */
export async function disconnect(shop: string, connectionId: string): Promise<Connection> {
  const connection = await requireConnection({ id: connectionId, OR: [{ primaryShop: shop }, { dependentShop: shop }] });
  return prisma.connection.update({ where: { id: connection.id }, data: { status: "disconnected", disconnectedAt: new Date() } });
}

/** app/uninstalled: the store is marked, its live connections need attention on the other side. */
export async function markUninstalled(shop: string): Promise<void> {
  await prisma.$transaction([
    // Shopify cancels the app's charges on uninstall: a reinstall starts on Free.
    prisma.store.updateMany({ where: { shop }, data: { uninstalledAt: new Date(), plan: FREE_PLAN.id, subscriptionId: null } }),
    // Its webhooks stop: what Tandem knew of its levels would go stale.
    prisma.primaryItem.deleteMany({ where: { primaryShop: shop } }),
    prisma.connection.updateMany({
      where: { OR: [{ primaryShop: shop }, { dependentShop: shop }], status: { in: ["connected", "paused"] } },
      data: { status: "needs_attention" },
    }),
  ]);
}

export type SyncPreferencesInput = {
  scope: "all" | "matching";
  syncDetails: boolean;
  syncPrice: boolean;
  syncQuantity: boolean;
  publishNewProducts?: boolean;
  onPrimaryDelete?: "archive" | "delete";
  countUnpaidOrders?: boolean;
  mirrorOrders?: boolean;
  stockBuffer?: number;
  stockAllocationPercent?: number;
  priceExchangeRate?: string | null;
  priceMarkupPercent?: string | null;
  priceRounding?: PriceRounding;
};
export type SyncPreferences = Required<SyncPreferencesInput>;

export const DEFAULT_SYNC_PREFERENCES: SyncPreferences = {
  scope: "all", syncDetails: true, syncPrice: true, syncQuantity: true, publishNewProducts: false, onPrimaryDelete: "archive", countUnpaidOrders: false, mirrorOrders: true,
  stockBuffer: 0, stockAllocationPercent: 100, priceExchangeRate: null, priceMarkupPercent: null, priceRounding: "none",
};

export async function syncPreferencesOf(dependentShop: string): Promise<SyncPreferences> {
  // Plain SQL: asked by webhooks of dependents and by every job (ADR 0017).
  const [saved] = await query<SyncPreferences>(sql`
    SELECT "scope", "syncDetails", "syncPrice", "syncQuantity", "publishNewProducts", "onPrimaryDelete", "countUnpaidOrders", "mirrorOrders",
      "stockBuffer", "stockAllocationPercent", "priceExchangeRate", "priceMarkupPercent", "priceRounding"
    FROM "SyncPreferences" WHERE "dependentShop" = ${dependentShop}`);
  if (!saved) return DEFAULT_SYNC_PREFERENCES;
  return {
    scope: saved.scope as SyncPreferences["scope"],
    syncDetails: saved.syncDetails,
    syncPrice: saved.syncPrice,
    syncQuantity: saved.syncQuantity,
    publishNewProducts: saved.publishNewProducts,
    onPrimaryDelete: saved.onPrimaryDelete as SyncPreferences["onPrimaryDelete"],
    countUnpaidOrders: saved.countUnpaidOrders,
    mirrorOrders: saved.mirrorOrders,
    stockBuffer: saved.stockBuffer,
    stockAllocationPercent: saved.stockAllocationPercent,
    priceExchangeRate: saved.priceExchangeRate,
    priceMarkupPercent: saved.priceMarkupPercent,
    priceRounding: saved.priceRounding as PriceRounding,
  };
}

/** Saving preferences completes a dependent's setup; they take effect at the next sync. */
export async function saveSyncPreferences(dependentShop: string, preferences: SyncPreferencesInput): Promise<void> {
  await requireRole(dependentShop, "dependent");
  await prisma.$transaction([
    prisma.syncPreferences.upsert({ where: { dependentShop }, update: preferences, create: { dependentShop, ...preferences } }),
    prisma.store.update({ where: { shop: dependentShop }, data: { setupCompletedAt: new Date() } }),
  ]);
}

/**
 * A primary's optional selection (seed 003): only products with this tag and/or in this collection
 * sync. Empty values clear it.
 */
export async function saveSelection(primaryShop: string, { tag, collectionId }: { tag: string | null; collectionId: string | null }): Promise<void> {
  await requireRole(primaryShop, "primary");
  const cleaned = tag?.trim() || null;
  if (cleaned && (cleaned.length > 255 || cleaned.includes(","))) throw new NetworkError("INVALID_SELECTION", text("network.INVALID_SELECTION"));
  const collection = collectionId?.trim() || null;
  if (collection && !/^gid:\/\/shopify\/Collection\/\d+$/.test(collection)) throw new NetworkError("INVALID_SELECTION", text("network.INVALID_COLLECTION"));
  await prisma.store.update({ where: { shop: primaryShop }, data: { selectionTag: cleaned, selectionCollectionId: collection } });
}
