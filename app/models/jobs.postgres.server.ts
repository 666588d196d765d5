import type { Job, Prisma, PrismaClient } from "@prisma/client";
import type pg from "pg";
import { GRAPHILE_WORKER_SCHEMA } from "../db/postgres.server";
import type { EnqueueInput, JobQueue, JobRecord } from "../jobs/queue";
import { foldableStatuses, foldedRunAt, jobRowOperations, newJobRow, toJobRecord } from "./jobs.server";

/** The one graphile-worker task: runs the Job row its payload names. */
export const RUN_JOB_TASK = "tandem-job";
/** The namespace of Tandem's advisory locks on dedupe keys (two-key form: namespace, hash of the key). */
const DEDUPE_LOCK_NAMESPACE = 7_282_616;
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

type Transaction = Prisma.TransactionClient;

async function lockDedupeKey(tx: Transaction, dedupeKey: string) {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${DEDUPE_LOCK_NAMESPACE}, hashtext($1))`, dedupeKey);
}

/**
 * Hands a Job row to graphile-worker, in the transaction that wrote the row: both exist or neither.
 * The lane is the graphile queue (one job at a time per store), the row's id its job_key: a row
 * scheduled again (folded, or rescheduled) moves its own graphile job instead of adding one.
 * Not the dedupe key: rows sharing it (an edit during a run gets a successor row) would share one
 * graphile job, and graphile-worker takes every retry from a locked job whose key is reused, so
 * the running row, failed or its worker killed, would never run again (ADR 0030).
 * graphile-worker may try one more time than the row allows: the row, not graphile, says when a
 * job is dead, so graphile never gives up on a job whose row still waits.
 */
async function schedule(tx: Transaction, job: Pick<Job, "id" | "lane" | "runAt" | "maxAttempts">) {
  await tx.$executeRawUnsafe(
    `SELECT ${GRAPHILE_WORKER_SCHEMA}.add_job($1, json_build_object('jobId', $2::text), queue_name => $3, run_at => $4::timestamptz,
       max_attempts => $5::int, job_key => $6, job_key_mode => 'replace')`,
    RUN_JOB_TASK, job.id, job.lane, job.runAt.toISOString(), job.maxAttempts + 1, job.id,
  );
}

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

/**
 * What graphile-worker's task does with Job rows: the row operations, and `start`, which takes the
 * row for one attempt (leased to `owner`) under its dedupe key's lock, or null when it was
 * cancelled or finished since graphile scheduled it.
 */
export function graphileJobRows(prisma: PrismaClient, now: () => Date = () => new Date()) {
  return {
    ...jobRowOperations(prisma, now),
    async start(jobId: string, owner: string, leaseMs: number): Promise<JobRecord | null> {
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
    },
    /**
     * A new graphile job for a queued row at its runAt: for a wait Shopify asked for (a resource
     * limit), which graphile's own backoff would cut short and count against its attempts.
     */
    async reschedule(job: JobRecord) {
      await prisma.$transaction(async (tx) => schedule(tx, job), TRANSACTION_OPTIONS);
    },
  };
}
export type GraphileJobRows = ReturnType<typeof graphileJobRows>;

/**
 * The liveness of graphile-worker's workers, on the worker process's own pool: each process
 * records its workers as alive, and frees the locks of workers no process has recorded for a lease.
 */
export const graphileWorkerLiveness = {
  async recordWorker(pool: pg.Pool, workerId: string, processId: string) {
    await pool.query(`INSERT INTO "_tandem_workers" ("graphileWorkerId", "processId", "seenAt") VALUES ($1, $2, now())
                      ON CONFLICT ("graphileWorkerId") DO UPDATE SET "seenAt" = now()`, [workerId, processId]);
  },
  async recordProcess(pool: pg.Pool, processId: string) {
    await pool.query(`UPDATE "_tandem_workers" SET "seenAt" = now() WHERE "processId" = $1`, [processId]);
  },
  /** graphile workers holding locks for longer than a lease whose process has not been seen for one. */
  async stoppedWorkers(pool: pg.Pool, leaseMs: number): Promise<string[]> {
    const { rows } = await pool.query<{ lockedBy: string }>(
      `SELECT DISTINCT locks."lockedBy" FROM (
         SELECT locked_by AS "lockedBy" FROM ${GRAPHILE_WORKER_SCHEMA}._private_jobs WHERE locked_by IS NOT NULL AND locked_at < now() - $1::interval
         UNION
         SELECT locked_by FROM ${GRAPHILE_WORKER_SCHEMA}._private_job_queues WHERE locked_by IS NOT NULL AND locked_at < now() - $1::interval
       ) locks
       WHERE NOT EXISTS (SELECT 1 FROM "_tandem_workers" w WHERE w."graphileWorkerId" = locks."lockedBy" AND w."seenAt" > now() - $1::interval)`,
      [`${leaseMs} milliseconds`],
    );
    return rows.map((row) => row.lockedBy);
  },
  async unlockWorkers(pool: pg.Pool, workerIds: string[]) {
    await pool.query(`SELECT ${GRAPHILE_WORKER_SCHEMA}.force_unlock_workers($1::text[])`, [workerIds]);
  },
  /** Records of workers not seen for ten leases. */
  async forgetStoppedWorkers(pool: pg.Pool, leaseMs: number) {
    await pool.query(`DELETE FROM "_tandem_workers" WHERE "seenAt" < now() - $1::interval * 10`, [`${leaseMs} milliseconds`]);
  },
  async forgetProcess(pool: pg.Pool, processId: string) {
    await pool.query(`DELETE FROM "_tandem_workers" WHERE "processId" = $1`, [processId]);
  },
};
