import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import os from "node:os";
import { Logger as GraphileLogger, run, type JobHelpers, type LogLevel, type WorkerEvents } from "graphile-worker";
import type { Logger } from "pino";
import { GRAPHILE_WORKER_SCHEMA, createPostgresPool } from "../db/postgres.server";
import { type GraphileJobRows, RUN_JOB_TASK, graphileWorkerLiveness as liveness } from "../models/jobs.postgres.server";
import { type JobHandler, PermanentJobError, failureOf, heartbeatIntervalMs, runLeasedJob } from "./runner.server";

/** graphile-worker's cron schedules this one: it queues the periodic stock checks. */
const RECONCILE_TASK = "tandem-reconcile";

/** graphile-worker's messages through Tandem's pino logger. */
function graphileLogger(logger: Logger) {
  const levels: Record<LogLevel, "error" | "warn" | "info" | "debug"> = { error: "error", warning: "warn", info: "info", debug: "debug" };
  // A task failure is a job Tandem already logged and handed back for a retry: a warning, not an error.
  return new GraphileLogger((scope) => (level, message, meta) => logger[level === "error" && meta?.failure ? "warn" : levels[level]]({ graphile: scope, ...meta }, message));
}

export type GraphileWorkerOptions = {
  databaseUrl: string;
  /** The Job rows graphile's task runs (graphileJobRows of the app's client). */
  rows: GraphileJobRows;
  handlers: Record<string, JobHandler>;
  logger: Logger;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /** A cron line's schedule (minute hour day month weekday) for `reconcile`, or null for none. */
  reconcileSchedule?: string | null;
  /** How far back missed scheduled runs are made up at start (graphile's `fill`, e.g. "10m"); none by default. */
  reconcileBackfill?: string;
  reconcile?: () => Promise<unknown>;
};

/**
 * Runs jobs with graphile-worker on PostgreSQL. Several processes on several machines share the
 * work: graphile locks each job and each lane's queue. A process that dies (SIGKILL, a lost
 * machine) leaves its locks behind, which graphile itself frees only after 4 hours; so each process
 * records its graphile workers as alive every lease/3, and frees the locks of workers not seen for
 * a lease (graphile's forceUnlockWorkers), so another process resumes their jobs from their
 * checkpoints within about a lease.
 */
export async function startGraphileWorker({
  databaseUrl, rows, handlers, logger, concurrency = 4, leaseMs = 30_000, pollMs = 250, reconcileSchedule = null, reconcileBackfill, reconcile,
}: GraphileWorkerOptions) {
  const pool = createPostgresPool(databaseUrl, concurrency + 4);
  pool.on("error", (error) => logger.error({ err: error }, "PostgreSQL connection error"));
  const processId = `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  const ownWorkers = new Set<string>();

  const events: WorkerEvents = new EventEmitter();
  events.on("worker:create", ({ worker }) => {
    ownWorkers.add(worker.workerId);
    liveness.recordWorker(pool, worker.workerId, processId).catch((error: unknown) => logger.error({ err: error }, "could not record a worker as alive"));
  });

  async function runJob(payload: unknown, helpers: JobHelpers) {
    const jobId = (payload as { jobId?: unknown } | null)?.jobId;
    if (typeof jobId !== "string") throw new PermanentJobError(`graphile job ${helpers.job.id} names no Tandem job`);
    // graphile's worker, this process, and this attempt: a lease that names its process.
    const owner = `${helpers.job.locked_by}#${processId}#${helpers.job.id}.${helpers.job.attempts}`;
    const job = await rows.start(jobId, owner, leaseMs);
    // Cancelled or finished since it was queued (a folded request's second graphile job, say).
    if (!job) return;
    const log = logger.child({ jobId: job.id, kind: job.kind, lane: job.lane, attempt: job.attempts });
    if (job.attempts > job.maxAttempts) {
      // Its workers kept dying (the lease ran out every time): stop trying.
      await rows.fail(job.id, owner, { message: `${job.lastError ?? "The worker stopped during this job"} (gave up after ${job.maxAttempts} attempts)`, retryable: false });
      log.warn("job given up: its workers kept stopping");
      return;
    }
    const ended = await runLeasedJob({ job, owner, handler: handlers[job.kind], rows, leaseMs, log });
    // Queued again: graphile-worker retries it with its exponential backoff. Otherwise the row
    // says how it ended (failed, dead, or folded into a newer waiting job) and graphile is done.
    if (ended.outcome === "failed" && ended.after?.status === "queued") {
      // A wait Shopify asked for is not an attempt: graphile's backoff would come back too soon.
      if (failureOf(ended.error).notAnAttempt) return rows.reschedule(ended.after);
      throw ended.error;
    }
  }

  /** Frees the locks of graphile workers whose process has not been seen for a lease. */
  async function unlockStoppedWorkers() {
    const ids = (await liveness.stoppedWorkers(pool, leaseMs)).filter((id) => !ownWorkers.has(id));
    if (ids.length > 0) {
      await liveness.unlockWorkers(pool, ids);
      logger.warn({ workers: ids }, "freed the jobs of stopped workers: other workers resume them");
    }
    await liveness.forgetStoppedWorkers(pool, leaseMs);
  }

  const alive = setInterval(() => {
    void liveness.recordProcess(pool, processId).catch((error: unknown) => logger.warn({ err: error }, "could not record this worker as alive"));
  }, heartbeatIntervalMs(leaseMs));
  const sweeping = setInterval(() => void unlockStoppedWorkers().catch((error: unknown) => logger.error({ err: error }, "could not free stopped workers' jobs")), Math.max(100, leaseMs / 2));

  const runner = await run({
    pgPool: pool,
    schema: GRAPHILE_WORKER_SCHEMA,
    concurrency,
    pollInterval: pollMs,
    noHandleSignals: true,
    logger: graphileLogger(logger),
    events,
    taskList: {
      [RUN_JOB_TASK]: runJob,
      ...(reconcile ? { [RECONCILE_TASK]: async () => void (await reconcile()) } : {}),
    },
    // One run per scheduled time across every process (graphile-worker's known_crontabs).
    crontab: reconcile && reconcileSchedule ? `${reconcileSchedule} ${RECONCILE_TASK} ?max=1${reconcileBackfill ? `&fill=${reconcileBackfill}` : ""}` : "",
  });
  logger.info({ processId, concurrency }, "graphile-worker started");

  return {
    workerId: processId,
    /** Stops taking jobs and waits for the running ones (graphile's graceful shutdown). */
    async stop() {
      clearInterval(alive);
      clearInterval(sweeping);
      await runner.stop();
      await liveness.forgetProcess(pool, processId).catch(() => undefined);
      await pool.end();
    },
  };
}
