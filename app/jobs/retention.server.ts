import { getConfig } from "../config.server";
import { pruneFinishedBulkRuns } from "../models/bulkRows.server";
import { pruneEndedInvites } from "../models/invites.server";
import { pruneFinishedJobs } from "../models/jobs.server";
import { pruneKeyAttempts } from "../models/keyAttempts.server";
import { pruneMirroredOrders } from "../models/mirroredOrders.server";
import { pruneSettledMovements } from "../models/stockMovements.server";
import { pruneSyncLog } from "../models/syncLog.server";
import { pruneWebhookEvents } from "../models/webhookEvents.server";

const DAY_MS = 86_400_000;

/**
 * Every table that grows with use, pruned by age (the worker runs it at start and every 6 hours):
 * finished rows only, never one that exactly-once still needs (a waiting job, a pending sale, an
 * event id Shopify may still deliver again). Retention comes from the config.
 */
export async function pruneOldRows(now = new Date()) {
  const config = getConfig();
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const jobs = await pruneFinishedJobs(daysAgo(config.TANDEM_JOB_RETENTION_DAYS));
  const [logs, events, stagedRows, movements, mirroredOrders, keyAttempts, invites] = await Promise.all([
    pruneSyncLog(now), pruneWebhookEvents(now), pruneFinishedBulkRuns(),
    pruneSettledMovements(daysAgo(config.TANDEM_LEDGER_RETENTION_DAYS)), pruneMirroredOrders(daysAgo(config.TANDEM_LEDGER_RETENTION_DAYS)),
    pruneKeyAttempts(daysAgo(config.TANDEM_NETWORK_RETENTION_DAYS)), pruneEndedInvites(daysAgo(config.TANDEM_NETWORK_RETENTION_DAYS)),
  ]);
  return { jobs, logs, events, stagedRows, movements, mirroredOrders, keyAttempts, invites };
}
