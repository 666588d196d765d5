import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import os from "node:os";
import type { Job, Prisma, PrismaClient } from "@prisma/client";
import { Logger as GraphileLogger, run, type JobHelpers, type LogLevel, type WorkerEvents } from "graphile-worker";
import pg from "pg";
import type { Logger } from "pino";
import { GRAPHILE_WORKER_SCHEMA, pgConnectionString } from "../db/postgres.server";
import { foldableStatuses, foldedRunAt, jobRowOperations, newJobRow, toJobRecord } from "../models/jobs.server";
import type { EnqueueInput, JobQueue, JobRecord, ProgressUpdate } from "./queue";
import { JobCancelledError, type JobHandler, PermanentJobError, runHandler } from "./runner.server";

/** The one graphile-worker task: runs the Job row its payload names. */
const RUN_JOB_TASK = "tandem-job";
/** graphile-worker's cron schedules this one: it queues the periodic stock checks. */
const RECONCILE_TASK = "tandem-reconcile";
/** The namespace of Tandem's advisory locks on dedupe keys (two-key form: namespace, hash of the key). */
const DEDUPE_LOCK_NAMESPACE = 7_282_616;

type Transaction = Prisma.TransactionClient;

async function lockDedupeKey(tx: Transaction, dedupeKey: string) {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${DEDUPE_LOCK_NAMESPACE}, hashtext($1))`, dedupeKey);
}

/**
 * Hands a Job row to graphile-worker, in the transaction that wrote the row: both exist or neither.
 * The lane is the graphile queue (one job at a time per store), the dedupe key its job_key.
 * graphile-worker may try one more time than the row allows: the row, not graphile, says when a
 * job is dead, so graphile never gives up on a job whose row still waits.
 */
async function schedule(tx: Transaction, job: Job) {
  await tx.$executeRawUnsafe(
    `SELECT ${GRAPHILE_WORKER_SCHEMA}.add_job($1, json_build_object('jobId', $2::text), queue_name => $3, run_at => $4::timestamptz,
       max_attempts => $5::int, job_key => $6, job_key_mode => 'replace')`,
    RUN_JOB_TASK, job.id, job.lane, job.runAt.toISOString(), job.maxAttempts + 1, job.dedupeKey,
  );
}

const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

/**
 * The job queue on PostgreSQL: Job rows as on SQLite, scheduled, locked, retried and serialised
 * per lane by graphile-worker. A request with a dedupe key takes an advisory lock on the key, so
 * folding into a waiting job and that job's start never interleave: whatever was folded in
 * happened before the run began (the run sees it); a request during the run gets a successor.
 */
export function createGraphileJobQueue(prisma: PrismaClient, now: () => Date = () => new Date()): JobQueue {
  return {
    ...jobRowOperations(prisma, now),
    async enqueue(input: EnqueueInput) {
      return prisma.$transaction(async (tx) => {
        if (input.dedupeKey) {
          await lockDedupeKey(tx, input.dedupeKey);
          const existing = await tx.job.findFirst({ where: { dedupeKey: input.dedupeKey, status: { in: foldableStatuses(input) } }, orderBy: { createdAt: "asc" } });
          if (existing && input.dedupe === "single") return { job: toJobRecord(existing), created: false };
          if (existing) {
            const folded = await tx.job.update({ where: { id: existing.id }, data: { runAt: foldedRunAt(existing, input.delayMs ?? 0, now()) } });
            await schedule(tx, folded);
            return { job: toJobRecord(folded), created: false };
          }
        }
        const job = await tx.job.create({ data: newJobRow(input, now()) });
        await schedule(tx, job);
        return { job: toJobRecord(job), created: true };
      }, TRANSACTION_OPTIONS);
    },
  };
}

/** graphile-worker's messages through Tandem's pino logger. */
function graphileLogger(logger: Logger) {
  const levels: Record<LogLevel, "error" | "warn" | "info" | "debug"> = { error: "error", warning: "warn", info: "info", debug: "debug" };
  // A task failure is a job Tandem already logged and handed back for a retry: a warning, not an error.
  return new GraphileLogger((scope) => (level, message, meta) => logger[level === "error" && meta?.failure ? "warn" : levels[level]]({ graphile: scope, ...meta }, message));
}

export type GraphileWorkerOptions = {
  databaseUrl: string;
  prisma: PrismaClient;
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
  now?: () => Date;
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
  databaseUrl, prisma, handlers, logger, concurrency = 4, leaseMs = 30_000, pollMs = 250, reconcileSchedule = null, reconcileBackfill, reconcile, now = () => new Date(),
}: GraphileWorkerOptions) {
  const rows = jobRowOperations(prisma, now);
  const pool = new pg.Pool({ connectionString: pgConnectionString(databaseUrl), max: concurrency + 4 });
  pool.on("error", (error) => logger.error({ err: error }, "PostgreSQL connection error"));
  const processId = `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  const ownWorkers = new Set<string>();

  const register = (workerId: string) =>
    pool.query(`INSERT INTO "_tandem_workers" ("graphileWorkerId", "processId", "seenAt") VALUES ($1, $2, now())
                ON CONFLICT ("graphileWorkerId") DO UPDATE SET "seenAt" = now()`, [workerId, processId]);
  const events: WorkerEvents = new EventEmitter();
  events.on("worker:create", ({ worker }) => {
    ownWorkers.add(worker.workerId);
    register(worker.workerId).catch((error: unknown) => logger.error({ err: error }, "could not record a worker as alive"));
  });

  async function start(jobId: string, owner: string): Promise<JobRecord | null> {
    return prisma.$transaction(async (tx) => {
      const row = await tx.job.findUnique({ where: { id: jobId } });
      if (!row || (row.status !== "queued" && row.status !== "running")) return null;
      if (row.dedupeKey) await lockDedupeKey(tx, row.dedupeKey);
      const at = now();
      const { count } = await tx.job.updateMany({
        where: { id: jobId, status: { in: ["queued", "running"] } },
        data: { status: "running", leaseOwner: owner, leaseExpiresAt: new Date(at.getTime() + leaseMs), attempts: { increment: 1 }, startedAt: row.startedAt ?? at },
      });
      return count === 0 ? null : toJobRecord(await tx.job.findUniqueOrThrow({ where: { id: jobId } }));
    }, TRANSACTION_OPTIONS);
  }

  async function runJob(payload: unknown, helpers: JobHelpers) {
    const jobId = (payload as { jobId?: unknown } | null)?.jobId;
    if (typeof jobId !== "string") throw new PermanentJobError(`graphile job ${helpers.job.id} names no Tandem job`);
    // graphile's worker, this process, and this attempt: a lease that names its process.
    const owner = `${helpers.job.locked_by}#${processId}#${helpers.job.id}.${helpers.job.attempts}`;
    const job = await start(jobId, owner);
    // Cancelled or finished since it was queued (a folded request's second graphile job, say).
    if (!job) return;
    const log = logger.child({ jobId: job.id, kind: job.kind, lane: job.lane, attempt: job.attempts });
    if (job.attempts > job.maxAttempts) {
      // Its workers kept dying (the lease ran out every time): stop trying.
      await rows.fail(job.id, owner, { message: `${job.lastError ?? "The worker stopped during this job"} (gave up after ${job.maxAttempts} attempts)`, retryable: false });
      log.warn("job given up: its workers kept stopping");
      return;
    }
    const controller = new AbortController();
    const beat = async (update?: ProgressUpdate) => {
      const state = await rows.heartbeat(job.id, owner, leaseMs, update);
      if (!state.owned) controller.abort(new Error("lease lost"));
      else if (state.cancelRequested) controller.abort(new JobCancelledError());
    };
    const timer = setInterval(() => void beat().catch((error) => log.warn({ err: error }, "heartbeat failed")), Math.max(50, leaseMs / 3));
    try {
      const ended = await runHandler({ job, owner, handler: handlers[job.kind], rows, controller, beat, log });
      // Queued again: graphile-worker retries it with its exponential backoff. Otherwise the row
      // says how it ended (failed, dead, or folded into a newer waiting job) and graphile is done.
      if (ended.outcome === "failed" && ended.after?.status === "queued") throw ended.error;
    } finally {
      clearInterval(timer);
    }
  }

  /** Frees the locks of graphile workers whose process has not been seen for a lease. */
  async function unlockStoppedWorkers() {
    const lease = `${leaseMs} milliseconds`;
    const { rows: stopped } = await pool.query<{ lockedBy: string }>(
      `SELECT DISTINCT locks."lockedBy" FROM (
         SELECT locked_by AS "lockedBy" FROM ${GRAPHILE_WORKER_SCHEMA}._private_jobs WHERE locked_by IS NOT NULL AND locked_at < now() - $1::interval
         UNION
         SELECT locked_by FROM ${GRAPHILE_WORKER_SCHEMA}._private_job_queues WHERE locked_by IS NOT NULL AND locked_at < now() - $1::interval
       ) locks
       WHERE NOT EXISTS (SELECT 1 FROM "_tandem_workers" w WHERE w."graphileWorkerId" = locks."lockedBy" AND w."seenAt" > now() - $1::interval)`,
      [lease],
    );
    const ids = stopped.map((row) => row.lockedBy).filter((id) => !ownWorkers.has(id));
    if (ids.length > 0) {
      await pool.query(`SELECT ${GRAPHILE_WORKER_SCHEMA}.force_unlock_workers($1::text[])`, [ids]);
      logger.warn({ workers: ids }, "freed the jobs of stopped workers: other workers resume them");
    }
    await pool.query(`DELETE FROM "_tandem_workers" WHERE "seenAt" < now() - $1::interval * 10`, [lease]);
  }

  const alive = setInterval(() => {
    void pool.query(`UPDATE "_tandem_workers" SET "seenAt" = now() WHERE "processId" = $1`, [processId]).catch((error: unknown) => logger.warn({ err: error }, "could not record this worker as alive"));
  }, Math.max(50, leaseMs / 3));
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
      await pool.query(`DELETE FROM "_tandem_workers" WHERE "processId" = $1`, [processId]).catch(() => undefined);
      await pool.end();
    },
  };
}
