// Background worker entry (npm run worker): runs the durable job queue until SIGINT/SIGTERM.
import { getConfig, loadDotenvFile } from "../config.server";

loadDotenvFile();
try {
  getConfig();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const { logger } = await import("../logger.server");
const { migrateDatabase } = await import("../db/migrate.server");
const { jobQueue } = await import("./enqueue.server");
const { jobHandlers } = await import("./handlers.server");
const { startWorker } = await import("./runner.server");
const { pruneSyncLog } = await import("../models/syncLog.server");
const { pruneWebhookEvents } = await import("../models/webhookEvents.server");
const { pruneFinishedBulkRuns } = await import("../models/bulkRows.server");
const { enqueueReconciliations, reconcileIntervalMs } = await import("./enqueue.server");

migrateDatabase(getConfig().DATABASE_URL);
const worker = startWorker({
  queue: jobQueue(),
  handlers: jobHandlers,
  logger,
  concurrency: Number(process.env.TANDEM_WORKER_CONCURRENCY ?? 4),
  leaseMs: Number(process.env.TANDEM_JOB_LEASE_MS ?? 30_000),
  pollMs: Number(process.env.TANDEM_WORKER_POLL_MS ?? 250),
});
const prune = async () => {
  const [logs, events, stagedRows] = await Promise.all([pruneSyncLog(), pruneWebhookEvents(), pruneFinishedBulkRuns()]);
  if (logs || events || stagedRows) logger.info({ logs, events, stagedRows }, "pruned old sync log entries, webhook ids and staged rows");
};
void prune();
const pruning = setInterval(() => void prune().catch((error) => logger.error({ err: error }, "pruning failed")), 6 * 3600_000);
// Every worker schedules the periodic stock check; the queue's dedupe key keeps one pass per pair.
const reconcileEvery = reconcileIntervalMs();
const reconciling = reconcileEvery > 0
  ? setInterval(() => void enqueueReconciliations().catch((error) => logger.error({ err: error }, "scheduling reconciliation failed")), reconcileEvery)
  : null;
// Printed whatever the log level: the sandbox and the tests wait for this line.
console.log(`Tandem worker ready (${worker.workerId})`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    clearInterval(pruning);
    if (reconciling) clearInterval(reconciling);
    void worker.stop().then(() => {
      logger.info({ signal }, "Tandem worker stopped");
      process.exit(0);
    });
  });
}
