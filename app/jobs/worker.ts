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
const { workerJobRows } = await import("../models/queue.server");
const { jobHandlers } = await import("./handlers.server");
const { startWorker } = await import("./runner.server");
const { startGraphileWorker } = await import("./graphile.server");
const { pruneOldRows } = await import("./retention.server");
const { enqueueReconciliations } = await import("../services/sync.server");

/** Every `minutes` minutes as a cron schedule (minutes above 59 run hourly at most: cron's minute field). */
function cronSchedule(minutes: number): string {
  return minutes < 60 ? `*/${minutes} * * * *` : `0 */${Math.min(23, Math.round(minutes / 60))} * * *`;
}

const config = getConfig();
const { DATABASE_URL } = config;
try {
  await migrateDatabase(DATABASE_URL);
} catch (error) {
  // One line naming the problem, as at the server's start (scripts/start.ts).
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const options = {
  handlers: jobHandlers,
  logger,
  concurrency: config.TANDEM_WORKER_CONCURRENCY,
  leaseMs: config.TANDEM_JOB_LEASE_MS,
  pollMs: config.TANDEM_WORKER_POLL_MS,
};
// The periodic stock check: graphile-worker's cron on PostgreSQL when the interval is whole
// minutes (one pass per schedule across every worker); otherwise a timer in every worker, the
// queue's dedupe key keeping one pass per pair.
const reconcileEvery = config.TANDEM_RECONCILE_INTERVAL_MS;
const jobRows = workerJobRows();
const onPostgres = jobRows.engine === "postgres";
const cronMinutes = onPostgres && reconcileEvery >= 60_000 && reconcileEvery % 60_000 === 0 ? reconcileEvery / 60_000 : null;
const worker = jobRows.engine === "postgres"
  ? await startGraphileWorker({ ...options, databaseUrl: DATABASE_URL, rows: jobRows.rows, reconcile: enqueueReconciliations, reconcileSchedule: cronMinutes ? cronSchedule(cronMinutes) : null })
  : startWorker({ ...options, queue: jobRows.queue });
const prune = async () => {
  const pruned = await pruneOldRows();
  if (Object.values(pruned).some((count) => count > 0)) logger.info(pruned, "pruned rows past their retention");
};
void prune();
const pruning = setInterval(() => void prune().catch((error) => logger.error({ err: error }, "pruning failed")), 6 * 3600_000);
const reconciling = reconcileEvery > 0 && !cronMinutes
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
