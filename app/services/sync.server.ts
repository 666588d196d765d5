import { text, type Text } from "../i18n";
import type { JobRecord } from "../jobs/queue";
import { activeDependentsOf, connectedPairs, liveConnection, liveConnectionOf, liveConnectionsOfShop, restoreConnectionsAfterReinstall } from "../models/connections.server";
import { saveSyncPreferences, setConnectionPaused } from "./network.server";
import { ensureStore, storeOf, storeRowOf } from "../models/stores.server";
import type { SyncPreferencesInput } from "../models/syncPreferences.server";
import { syncBlocker } from "./sync-context.server";
import { enqueueJob, productDebounceMs, requeueJob } from "../jobs/kinds.server";
import { storeOfLane } from "../jobs/queue";


/**
 * Fans a primary product change out to every dependent that receives syncs, one debounced job each.
 * Stock moved by a sale passes delayMs 0: it goes out at once (still one job per product and store).
 */
export async function enqueueProductSync(primaryShop: string, primaryProductId: string, dependents?: string[], { delayMs = productDebounceMs() } = {}): Promise<JobRecord[]> {
  const targets = dependents ?? (await activeDependentsOf(primaryShop));
  const jobs: JobRecord[] = [];
  for (const dependentShop of targets) {
    const { job } = await enqueueJob("sync-product", { primaryShop, dependentShop, primaryProductId, delayMs });
    jobs.push(job);
  }
  return jobs;
}

/**
 * A primary's collection changed (collections/create or collections/update): one debounced
 * "sync-collections" per dependent that receives syncs, so a burst of edits makes one pass.
 */
export async function enqueueCollectionSync(primaryShop: string): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  for (const dependentShop of await activeDependentsOf(primaryShop)) {
    const { job } = await enqueueJob("sync-collections", { primaryShop, dependentShop });
    jobs.push(job);
  }
  return jobs;
}

export type SyncAllRequest = { jobs: { job: JobRecord; created: boolean }[]; skipped: { shop: string; reason: Text }[] };

/**
 * The pairs a store's request covers: from a primary, every dependent that receives syncs, and the
 * others it has (paused, needing attention, setup not done) as skipped, each with its reason; from
 * a dependent, itself.
 */
async function pairsOf(shop: string): Promise<{ pairs: { primaryShop: string; dependentShop: string }[]; skipped: SyncAllRequest["skipped"] }> {
  const store = await storeOf(shop);
  if (store?.role === "primary") {
    const pairs: { primaryShop: string; dependentShop: string }[] = [];
    const skipped: SyncAllRequest["skipped"] = [];
    const dependents = [...new Set((await liveConnectionsOfShop(shop)).filter((c) => c.primaryShop === shop).map((c) => c.dependentShop))].sort();
    for (const dependentShop of dependents) {
      const blocker = await syncBlocker(shop, dependentShop);
      // The primary can resume a pause itself: say where.
      if (blocker?.key === "blocker.paused") skipped.push({ shop: dependentShop, reason: text("sync.pausedHere", { reason: blocker }) });
      else if (blocker) skipped.push({ shop: dependentShop, reason: blocker });
      else pairs.push({ primaryShop: shop, dependentShop });
    }
    return { pairs, skipped };
  }
  if (store?.role === "dependent") {
    const connection = await liveConnectionOf(shop);
    if (!connection) return { pairs: [], skipped: [{ shop, reason: text("blocker.notConnected") }] };
    const blocker = await syncBlocker(connection.primaryShop, shop);
    if (blocker) return { pairs: [], skipped: [{ shop, reason: blocker }] };
    return { pairs: [{ primaryShop: connection.primaryShop, dependentShop: shop }], skipped: [] };
  }
  return { pairs: [], skipped: [{ shop, reason: text("blocker.noRole") }] };
}

/**
 * "Sync all": from a primary, one job per dependent that receives syncs; from a dependent, one for
 * itself. A press while a Sync all of that dependent is waiting or running returns that job.
 */
export async function requestSyncAll(shop: string): Promise<SyncAllRequest> {
  const { pairs, skipped } = await pairsOf(shop);
  const jobs = [];
  for (const pair of pairs) jobs.push(await enqueueJob("sync-all", pair));
  return { jobs, skipped };
}

/** "Check stock": a reconciliation of the same pairs now, rather than at the next periodic pass. */
export async function requestReconcile(shop: string): Promise<SyncAllRequest> {
  const { pairs, skipped } = await pairsOf(shop);
  const jobs = [];
  for (const pair of pairs) jobs.push(await enqueueJob("reconcile-stock", pair));
  return { jobs, skipped };
}

/** Saving preferences takes effect at the next sync, so one starts now (or the running one continues). */
export async function savePreferencesAndSync(dependentShop: string, preferences: SyncPreferencesInput): Promise<SyncAllRequest> {
  await saveSyncPreferences(dependentShop, preferences);
  return requestSyncAll(dependentShop);
}

/** The periodic pass: every connected pair, each in its dependent's lane. */
export async function enqueueReconciliations(): Promise<number> {
  const pairs = await connectedPairs();
  for (const pair of pairs) await enqueueJob("reconcile-stock", pair);
  return pairs.length;
}

/** Pause or resume a dependent; a resumed one catches up on what it missed (Sync all, then reconciliation). */
export async function pauseOrResume(primaryShop: string, connectionId: string, paused: boolean) {
  const connection = await setConnectionPaused(primaryShop, connectionId, paused);
  if (!paused) {
    await requestSyncAll(connection.dependentShop);
    await enqueueJob("reconcile-stock", connection);
  }
  return connection;
}

/** A store's row, for a page it opens (made on its first visit). Opening a page starts no work. */
export async function openStore(shop: string) {
  return storeRowOf(shop);
}

/**
 * Shopify authenticated the store (the app's afterAuth hook: after an install or a reinstall, and
 * when a user's session is renewed). After a reinstall, its connections that needed attention
 * reconnect (when the other side is installed) and catch up like a resumed dependent, once.
 */
export async function storeAuthenticated(shop: string) {
  const { reinstalled } = await ensureStore(shop);
  if (!reinstalled) return;
  for (const connection of await restoreConnectionsAfterReinstall(shop)) {
    await requestSyncAll(connection.dependentShop);
    await enqueueJob("reconcile-stock", connection);
  }
}

export type RetryOutcome = { job: JobRecord; created: boolean } | { refused: Text };

/**
 * A failed or dead task runs again as a new job of the same kind, lane and payload (its history
 * stays), when the store asking may start that work now: the removal of a dependent's products
 * only by that dependent, and only while the pair is still disconnected (after a reconnect the same
 * links are the new connection's); work for a dependent only while it still receives this primary's
 * syncs. Pressed twice, or while the same work already waits or runs, it starts nothing more.
 */
export async function retryTask(job: JobRecord, askingShop: string): Promise<RetryOutcome> {
  if (job.status !== "failed" && job.status !== "dead") return { refused: text("sync.onlyFailedRetry") };
  const refusal = await retryRefusal(job, askingShop);
  if (refusal) return { refused: refusal };
  return requeueJob(job);
}

async function retryRefusal(job: JobRecord, askingShop: string): Promise<Text | null> {
  const laneStore = storeOfLane(job.lane);
  // What a store chose when it disconnected: its own to run again, and only while it stays disconnected.
  if (job.kind === "remove-created-products" || job.kind === "zero-kept-stock") {
    if (askingShop !== laneStore) return text("sync.retryOnlyByDependent");
    if (job.primaryShop && (await liveConnection(job.primaryShop, laneStore))) return text("sync.retryReconnected", { primary: job.primaryShop });
    return null;
  }
  // Work written to a dependent (its lane): the pair must still be one that syncs.
  if (job.primaryShop && laneStore !== job.primaryShop) return syncBlocker(job.primaryShop, laneStore);
  return null;
}
