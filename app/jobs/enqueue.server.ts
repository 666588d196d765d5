import prisma from "../db.server";
import { createSqliteJobQueue } from "../models/jobs.server";
import type { JobQueue, JobRecord } from "./queue";
import { type SyncPreferencesInput, saveSyncPreferences } from "../network/network.server";
import { activeDependentsOf, syncBlocker } from "./sync-context.server";

let queue: JobQueue | undefined;

/** The process's job queue (the embedded SQLite engine). */
export function jobQueue(): JobQueue {
  queue ??= createSqliteJobQueue(prisma);
  return queue;
}

/** Edits arriving within this window for one product become one job per dependent. */
export function productDebounceMs(): number {
  return Number(process.env.TANDEM_SYNC_DEBOUNCE_MS ?? 2000);
}

/** Fans a primary product change out to every dependent that receives syncs, one debounced job each. */
export async function enqueueProductSync(primaryShop: string, primaryProductId: string, dependents?: string[]): Promise<JobRecord[]> {
  const targets = dependents ?? (await activeDependentsOf(primaryShop));
  const jobs: JobRecord[] = [];
  for (const dependentShop of targets) {
    const { job } = await jobQueue().enqueue({
      kind: "sync-product",
      lane: dependentShop,
      primaryShop,
      payload: { primaryShop, primaryProductId },
      dedupeKey: `sync-product:${dependentShop}:${primaryProductId}`,
      dedupe: "debounce",
      delayMs: productDebounceMs(),
    });
    jobs.push(job);
  }
  return jobs;
}

export type SyncAllRequest = { jobs: { job: JobRecord; created: boolean }[]; skipped: { shop: string; reason: string }[] };

/**
 * "Sync all": from a primary, one job per dependent that receives syncs; from a dependent, one for
 * itself. A press while a Sync all of that dependent is waiting or running returns that job.
 */
export async function requestSyncAll(shop: string): Promise<SyncAllRequest> {
  const store = await prisma.store.findUnique({ where: { shop } });
  if (store?.role === "primary") {
    const dependents = await activeDependentsOf(shop);
    const jobs = [];
    for (const dependentShop of dependents) jobs.push(await enqueueSyncAll(shop, dependentShop));
    return { jobs, skipped: [] };
  }
  if (store?.role === "dependent") {
    const connection = await prisma.connection.findFirst({ where: { dependentShop: shop, status: { not: "disconnected" } } });
    if (!connection) return { jobs: [], skipped: [{ shop, reason: "This store is not connected to a primary store" }] };
    const blocker = await syncBlocker(connection.primaryShop, shop);
    if (blocker) return { jobs: [], skipped: [{ shop, reason: blocker }] };
    return { jobs: [await enqueueSyncAll(connection.primaryShop, shop)], skipped: [] };
  }
  return { jobs: [], skipped: [{ shop, reason: "Choose this store's role first" }] };
}

async function enqueueSyncAll(primaryShop: string, dependentShop: string) {
  return jobQueue().enqueue({
    kind: "sync-all",
    lane: dependentShop,
    primaryShop,
    payload: { primaryShop },
    dedupeKey: `sync-all:${dependentShop}`,
    dedupe: "single",
  });
}

/** Saving preferences takes effect at the next sync, so one starts now (or the running one continues). */
export async function savePreferencesAndSync(dependentShop: string, preferences: SyncPreferencesInput): Promise<SyncAllRequest> {
  await saveSyncPreferences(dependentShop, preferences);
  return requestSyncAll(dependentShop);
}
