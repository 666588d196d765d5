import { lastSucceededResult, recentJobsOf } from "../models/jobs.server";
import { jobQueue } from "../models/queue.server";
import { linkedProductCounts, primaryProductTitles } from "../models/links.server";
import { liveConnectionOf, liveConnectionsOfShop } from "../models/connections.server";
import { type JobRecord, storeOfLane } from "../jobs/queue";
import { type TaskView, taskView } from "./task-lines";

export { recentTaskLines, type TaskLine, type TaskView, taskView } from "./task-lines";

export async function recentTasksOf(shop: string, take = 20): Promise<TaskView[]> {
  const jobs = await recentJobsOf(shop, take);
  const productOf = (job: JobRecord) => (job.kind === "sync-product" && job.primaryShop ? (job.payload as { primaryProductId?: string } | null)?.primaryProductId ?? null : null);
  const titles = new Map<string, string>();
  for (const primaryShop of new Set(jobs.filter(productOf).map((job) => job.primaryShop!))) {
    const ids = jobs.filter((job) => job.primaryShop === primaryShop).flatMap((job) => productOf(job) ?? []);
    for (const [id, title] of (await primaryProductTitles(primaryShop, { primaryProductIds: ids })).titles) titles.set(`${primaryShop} ${id}`, title);
  }
  return jobs.map((job) => ({ ...taskView(job), productTitle: titles.get(`${job.primaryShop} ${productOf(job)}`) ?? null }));
}

/**
 * Per dependent: products linked, and products available to link (the primary's catalogue at the
 * dependent's last completed Sync all, less those outside the primary's selection).
 */
export async function productCountsOf(primaryShop: string, dependents: string[]) {
  const linked = await linkedProductCounts(primaryShop);
  const counts: Record<string, { linked: number; available: number | null }> = {};
  for (const dependentShop of dependents) {
    const result = (await lastSucceededResult({ kind: "sync-all", lane: dependentShop, primaryShop })) as { total?: number; notSelected?: number } | null;
    counts[dependentShop] = { linked: linked[dependentShop] ?? 0, available: result?.total !== undefined ? result.total - (result.notSelected ?? 0) : null };
  }
  return counts;
}

/** Whether a store may see or cancel a job: it writes to it, or it is the job's primary. */
function jobBelongsTo(job: JobRecord, shop: string): boolean {
  return storeOfLane(job.lane) === shop || job.primaryShop === shop;
}

/** A task the store may see or act on, or null (another store's task looks the same as none). */
export async function taskOf(shop: string, jobId: string): Promise<JobRecord | null> {
  const job = await jobQueue().get(jobId);
  return job && jobBelongsTo(job, shop) ? job : null;
}

/** A waiting task is cancelled at once; a running one stops at its next heartbeat. */
export async function cancelTask(job: JobRecord): Promise<JobRecord | null> {
  return jobQueue().requestCancel(job.id);
}

/** What the dashboard and /app/sync show a store: its recent tasks and the product counts of its network (or itself). */
export async function syncStatusOf(shop: string, role: string | null, take = 20) {
  let primaryShop: string | null = null;
  let dependents: string[] = [];
  if (role === "primary") {
    primaryShop = shop;
    // Paused and needing attention too: the dashboard shows them with their state, not as gone.
    dependents = [...new Set((await liveConnectionsOfShop(shop)).filter((c) => c.primaryShop === shop).map((c) => c.dependentShop))].sort();
  } else if (role === "dependent") {
    const connection = await liveConnectionOf(shop);
    primaryShop = connection?.primaryShop ?? null;
    dependents = primaryShop ? [shop] : [];
  }
  return { tasks: await recentTasksOf(shop, take), counts: primaryShop ? await productCountsOf(primaryShop, dependents) : {} };
}
