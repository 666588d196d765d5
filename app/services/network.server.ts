import { english, text, type Text } from "../i18n";
import type { Connection, Invite, Store } from "@prisma/client";
import { planById } from "../billing/plans";
import { getConfig, secretRing } from "../config.server";
import { logger } from "../logger.server";
import {
  canonicalConnectionKey, connectionKeyLookupHash, encryptConnectionKey, formatConnectionKey, openSealedKey,
  generateConnectionKey,
} from "../network/connection-key.server";
import { normalizeStoreAddress } from "../network/store-address";
import { claimKeyAttempt, failedKeyAttemptTimes, markKeyAttemptSucceeded } from "../models/keyAttempts.server";
import { createConnection, liveConnectionById, liveConnectionsOfShop, markDisconnected, setConnectionStatus } from "../models/connections.server";
import { endInvite, inviteById, upsertPendingInvite } from "../models/invites.server";
import { replaceStoreKey, resealStoreKey, setRoleUnlessConnected, setSelection, setStockMode, stockModeOf, storeOf, storeWithKeyLookupHash, type StockMode, type StoredKey } from "../models/stores.server";
import { saveSyncPreferences as saveSyncPreferencesOf, type SyncPreferencesInput } from "../models/syncPreferences.server";
import { linkedPrimaryInventoryItems, removePairLinks, variantLinksOfPair } from "../models/links.server";
import { jobQueue } from "../models/queue.server";
import { forgetStockPushes } from "../models/stockPushes.server";
import { forgetWrittenLevels } from "../models/writtenLevels.server";
import { enqueueJob } from "../jobs/kinds.server";
import { queueRebalance } from "../jobs/rebalance-stock.server";
import { collectionsOf } from "../shopify/collection-reader.server";
import { COLLECTION_EXISTS, PRODUCTS_TAGGED } from "../shopify/documents";
import { ShopifyApiError } from "../shopify/errors";
import { gatewayFor } from "../shopify/gateways.server";

/**
 * The store network: roles, connection keys, invites and connections (seeds 003 and 004).
 * Every function acts for one authenticated shop and only touches rows that shop may touch.
 */

// Reads the admin's pages show as they are: routes reach the network through this module.
export { invitesSentBy, pendingInvitesFor } from "../models/invites.server";
export { syncPreferencesOf } from "../models/syncPreferences.server";
export { createdProductCount } from "../models/links.server";

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

/** A primary's new key, as the database keeps it under the current secret. */
function sealedKey(canonical: string): StoredKey {
  const { TANDEM_SECRET } = getConfig();
  return { keyLookupHash: connectionKeyLookupHash(canonical, TANDEM_SECRET), keySealed: encryptConnectionKey(canonical, TANDEM_SECRET) };
}

/** Onboarding step 1, and later changes of role (only while the store has no live connection). */
export async function chooseRole(shop: string, role: Role): Promise<Store> {
  const change = await setRoleUnlessConnected(shop, role, role === "primary" ? sealedKey(generateConnectionKey()) : null);
  if (change.kind === "locked") throw new NetworkError("ROLE_LOCKED", text("network.ROLE_LOCKED", { role: change.role }));
  return change.store;
}

async function requireRole(shop: string, role: Role): Promise<Store> {
  const store = await storeOf(shop);
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
    if ((await resealStoreKey(primaryShop, store.keySealed, sealedKey(canonical))) || attempt >= 2) return formatConnectionKey(canonical);
  }
}

/** A new key; the old one stops working at once, existing connections stay. */
export async function regenerateConnectionKey(primaryShop: string): Promise<string> {
  await requireRole(primaryShop, "primary");
  await replaceStoreKey(primaryShop, sealedKey(generateConnectionKey()));
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
  const store = await storeWithKeyLookupHash(hashes);
  if (store && store.keyLookupHash !== hashes[0]) await resealStoreKey(store.shop, store.keySealed, sealedKey(canonical));
  return store;
}

function keyRefused(shop: string, code: NetworkErrorCode, message: Text): NetworkError {
  logger.info({ shop, succeeded: false, code }, "connection key attempt");
  return new NetworkError(code, message);
}

async function connect(primary: Store, dependentShop: string, via: "key" | "invite", inviteId?: string): Promise<Connection> {
  if (primary.uninstalledAt) throw new NetworkError("PRIMARY_UNAVAILABLE", text("network.PRIMARY_UNINSTALLED", { shop: primary.shop }));
  const { dependentLimit, name } = planById(primary.plan);
  const made = await createConnection({ primaryShop: primary.shop, dependentShop, via, inviteId, dependentLimit });
  switch (made.kind) {
    case "created": return made.connection;
    case "dependent-is-primary": throw new NetworkError("ROLE_LOCKED", text("network.PRIMARY_TO_PRIMARY"));
    case "already-connected": throw new NetworkError("ALREADY_CONNECTED", text("network.ALREADY_CONNECTED", { shop: made.primaryShop }));
    case "plan-limit": throw new NetworkError("PLAN_LIMIT", text("network.PLAN_LIMIT", { shop: primary.shop, plan: name, limit: dependentLimit ?? 0 }));
  }
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
    const invite = await upsertPendingInvite(primaryShop, address.shop, new Date(now.getTime() + INVITE_LIFETIME_DAYS * 86_400_000));
    results.push({ input, ok: true, invite });
  }
  return results;
}

async function requireInvite(id: string, shop: string, side: "primary" | "dependent"): Promise<Invite> {
  const invite = await inviteById(id, shop, side);
  if (!invite) throw new NetworkError("INVITE_NOT_FOUND", text("network.INVITE_NOT_FOUND"));
  return invite;
}

export async function acceptInvite(dependentShop: string, inviteId: string, now = new Date()): Promise<Connection> {
  const invite = await requireInvite(inviteId, dependentShop, "dependent");
  if (invite.status !== "pending") throw new NetworkError("INVITE_NOT_PENDING", text("network.INVITE_NOT_PENDING", { status: invite.status }));
  if (invite.expiresAt <= now) throw new NetworkError("INVITE_EXPIRED", text("network.INVITE_EXPIRED"));
  const primary = await storeOf(invite.primaryShop);
  if (!primary || primary.role !== "primary") throw new NetworkError("PRIMARY_UNAVAILABLE", text("network.NO_LONGER_PRIMARY", { shop: invite.primaryShop }));
  return connect(primary, dependentShop, "invite", invite.id);
}

export async function declineInvite(dependentShop: string, inviteId: string): Promise<Invite> {
  const invite = await requireInvite(inviteId, dependentShop, "dependent");
  if (invite.status !== "pending") throw new NetworkError("INVITE_NOT_PENDING", text("network.INVITE_NOT_PENDING", { status: invite.status }));
  return endInvite(invite.id, "declined");
}

export async function revokeInvite(primaryShop: string, inviteId: string): Promise<Invite> {
  const invite = await requireInvite(inviteId, primaryShop, "primary");
  if (invite.status !== "pending") throw new NetworkError("INVITE_NOT_PENDING", text("network.INVITE_NOT_PENDING", { status: invite.status }));
  return endInvite(invite.id, "revoked");
}

/** Connections this shop may see: all of a primary's, or a dependent's own. */
export async function connectionsOf(shop: string): Promise<Connection[]> {
  return liveConnectionsOfShop(shop);
}

async function requireConnection(id: string, shop: string, side: "primary" | "either"): Promise<Connection> {
  const connection = await liveConnectionById(id, shop, side);
  if (!connection) throw new NetworkError("CONNECTION_NOT_FOUND", text("network.CONNECTION_NOT_FOUND"));
  return connection;
}

/** The primary pauses or resumes syncing to one of its dependents. */
export async function setConnectionPaused(primaryShop: string, connectionId: string, paused: boolean): Promise<Connection> {
  const connection = await requireConnection(connectionId, primaryShop, "primary");
  return setConnectionStatus(connection.id, paused ? "paused" : "connected");
}

/**
 * Either side ends a connection. Whether the dependent keeps the products Tandem created is the
 * caller's choice (seed 003); deleting them is a job of the catalogue engine.
 */
export async function disconnect(shop: string, connectionId: string): Promise<Connection> {
  const connection = await requireConnection(connectionId, shop, "either");
  return markDisconnected(connection.id);
}

/** Saving preferences completes a dependent's setup; they take effect at the next sync. */
export async function saveSyncPreferences(dependentShop: string, preferences: SyncPreferencesInput): Promise<void> {
  await requireRole(dependentShop, "dependent");
  await saveSyncPreferencesOf(dependentShop, preferences);
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
  await setSelection(primaryShop, cleaned, collection);
}

/**
 * The primary's stock mode for its network (ADR 0033). Strict: every linked item's pools are
 * rebalanced (the dependents' shared copies cleared, then shares given from the primary's reserve).
 * Shared again: the reserve goes back to the primary and the dependents get its levels.
 */
export async function chooseStockMode(primaryShop: string, mode: StockMode): Promise<{ changed: boolean }> {
  const store = await requireRole(primaryShop, "primary");
  if ((store.stockMode === "strict" ? "strict" : "shared") === mode) return { changed: false };
  await setStockMode(primaryShop, mode);
  await queueRebalance(primaryShop, await linkedPrimaryInventoryItems(primaryShop));
  return { changed: true };
}

export type ProductsOnDisconnect = "keep" | "zero" | "delete";

/**
 * Ends a connection (seed 003). Waiting syncs of the pair are cancelled. The dependent chooses what
 * happens to the products Tandem created there: kept (they become its own), kept with the stock the
 * primary fed set to 0 by a job (issue 36: it no longer has that stock to sell), or deleted by a job.
 * A primary that disconnects a dependent never changes the dependent's products.
 */
export async function disconnectStores(shop: string, connectionId: string, products: ProductsOnDisconnect) {
  const connection = await disconnect(shop, connectionId);
  const { primaryShop, dependentShop } = connection;
  // Strict mode: what the store held of the primary's reserve goes back to the others (its links go below).
  const linkedItems = (await stockModeOf(primaryShop)) === "strict" ? (await variantLinksOfPair(primaryShop, dependentShop)).map((link) => link.primaryInventoryItemId) : [];
  await jobQueue().cancelJobsOf({ lane: dependentShop, primaryShop, kinds: ["sync-all", "sync-product", "sync-products", "push-stock"] });
  // Levels Tandem wrote there mean nothing once the pair ends (and must not hide a webhook of the
  // store's should it ever become a primary).
  await Promise.all([forgetStockPushes(dependentShop), forgetWrittenLevels(dependentShop)]);
  await queueRebalance(primaryShop, linkedItems);
  if (products !== "keep" && shop === dependentShop) {
    const { job } = await enqueueJob(products === "delete" ? "remove-created-products" : "zero-kept-stock", { primaryShop, dependentShop });
    return { connection, productsJob: job };
  }
  await removePairLinks(primaryShop, dependentShop);
  return { connection, productsJob: null };
}

/** The primary's collections for the selection picker (the first 250: the picker is a short list). */
export async function collectionChoices(primaryShop: string): Promise<{ id: string; title: string }[] | { error: Text }> {
  try {
    const choices: { id: string; title: string }[] = [];
    for await (const collection of collectionsOf(await gatewayFor(primaryShop))) {
      choices.push({ id: collection.id, title: collection.title });
      if (choices.length >= 250) break;
    }
    return choices;
  } catch (error) {
    if (error instanceof ShopifyApiError) return { error: text("settings.collectionsUnavailable") };
    throw error;
  }
}

/** Products counted before a selection by tag is saved: past this, "1,000 or more". */
export const TAGGED_COUNT_CAP = 1_000;

/**
 * How many of the primary's products carry this tag (Shopify's search, so a tag added in the last
 * seconds may not count yet), up to TAGGED_COUNT_CAP.
 */
export async function taggedProductCount(primaryShop: string, tag: string): Promise<number> {
  const gateway = await gatewayFor(primaryShop);
  let count = 0;
  let after: string | null = null;
  do {
    const { products }: { products: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await gateway.request(PRODUCTS_TAGGED, { query: `tag:"${tag.replace(/["\\]/g, "")}"`, after });
    count += products.nodes.length;
    after = products.pageInfo.hasNextPage ? products.pageInfo.endCursor : null;
  } while (after && count < TAGGED_COUNT_CAP);
  return Math.min(count, TAGGED_COUNT_CAP);
}

/** Whether this id names one of the store's own collections (a selection must not name another store's). */
export async function isCollectionOf(shop: string, collectionId: string): Promise<boolean> {
  const { collection } = await (await gatewayFor(shop)).request<{ collection: { id: string } | null }>(COLLECTION_EXISTS, { id: collectionId });
  return collection !== null;
}
