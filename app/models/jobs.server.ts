import { randomUUID } from "node:crypto";
import type { PrismaClient, Job } from "@prisma/client";
import { isUniqueViolation } from "../db/engine";
import appDatabase, { join, query, sql } from "../db.server";
import { plainSqlOf } from "../db/plain-sql.server";
import { IDS_PER_QUERY, chunks } from "../sync/chunks";
import { type ClaimingJobQueue, type EnqueueInput, type FailureInput, type JobRecord, type JobStatus, type ProgressUpdate } from "../jobs/queue";

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s… capped at 5 minutes. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(5 * 60_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

export function toJobRecord(job: Job): JobRecord {
  return {
    id: job.id,
    kind: job.kind,
    lane: job.lane,
    primaryShop: job.primaryShop,
    payload: parseJson(job.payload),
    dedupeKey: job.dedupeKey,
    status: job.status as JobStatus,
    runAt: job.runAt,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    cancelRequested: job.cancelRequested,
    progressDone: job.progressDone,
    progressTotal: job.progressTotal,
    checkpoint: parseJson(job.checkpoint),
    result: parseJson(job.result),
    lastError: job.lastError,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

/** A debounced job is pushed back at most this long after it was first asked for, so a busy product still syncs. */
const MAX_DEBOUNCE_MS = 60_000;

/**
 * When a waiting job runs after another request folds into it: later, but never beyond
 * MAX_DEBOUNCE_MS after it was first asked for. A request without delay leaves it where it is: it is
 * due already (or soon), and moving it to "now" on every fold would put it behind every job of its
 * lane queued meanwhile, so a busy key would never run (a sales storm's apply-stock did that).
 */
export function foldedRunAt(existing: Pick<Job, "runAt" | "createdAt">, delayMs: number, at: Date): Date {
  if (delayMs <= 0) return existing.runAt;
  const wanted = at.getTime() + delayMs;
  const latest = existing.createdAt.getTime() + MAX_DEBOUNCE_MS;
  return new Date(Math.max(existing.runAt.getTime(), Math.min(wanted, latest)));
}

/** Which waiting (or, for "single", running) jobs a request with a dedupe key folds into. */
export function foldableStatuses(input: EnqueueInput): JobStatus[] {
  return input.dedupe === "single" ? ["queued", "running"] : ["queued"];
}

/** The row a new job starts as, on either engine. */
export function newJobRow(input: EnqueueInput, at: Date) {
  return {
    kind: input.kind,
    lane: input.lane,
    primaryShop: input.primaryShop ?? null,
    payload: JSON.stringify(input.payload ?? {}),
    dedupeKey: input.dedupeKey ?? null,
    runAt: new Date(at.getTime() + (input.delayMs ?? 0)),
    maxAttempts: input.maxAttempts ?? 8,
    createdAt: at,
  };
}

/**
 * What both engines do alike, as plain row updates: cancelling and reading jobs, and the running
 * job's lease (heartbeat, outcome), checked against the owner that started it.
 */
export function jobRowOperations(prisma: PrismaClient, now: () => Date = () => new Date()): Omit<ClaimingJobQueue, "enqueue" | "claim"> {
  const { query, execute, sql } = plainSqlOf(prisma);
  return {
    // A heartbeat and a completion are plain SQL (ADR 0017): every job sends them, the short
    // stock jobs of a sales storm by the hundred. What is not given (or null) keeps its value.
    async heartbeat(jobId, workerId, leaseMs, update: ProgressUpdate = {}) {
      const at = now();
      const checkpoint = update.checkpoint === undefined ? null : JSON.stringify(update.checkpoint);
      const rows = await query<{ cancelRequested: boolean }>(sql`
        UPDATE "Job" SET "leaseExpiresAt" = ${new Date(at.getTime() + leaseMs)}, "updatedAt" = ${at},
          "progressDone" = COALESCE(${update.progressDone ?? null}, "progressDone"),
          "progressTotal" = COALESCE(${update.progressTotal ?? null}, "progressTotal"),
          "checkpoint" = COALESCE(${checkpoint}, "checkpoint")
        WHERE "id" = ${jobId} AND "leaseOwner" = ${workerId} AND "status" = 'running'
        RETURNING "cancelRequested"`);
      if (rows.length === 0) return { owned: false, cancelRequested: false };
      return { owned: true, cancelRequested: Boolean(rows[0].cancelRequested) };
    },

    async complete(jobId, workerId, result) {
      const at = now();
      await execute(sql`
        UPDATE "Job" SET "status" = 'succeeded', "result" = ${JSON.stringify(result ?? null)}, "finishedAt" = ${at}, "updatedAt" = ${at},
          "leaseOwner" = NULL, "leaseExpiresAt" = NULL, "lastError" = NULL
        WHERE "id" = ${jobId} AND "leaseOwner" = ${workerId} AND "status" = 'running'`);
    },

    async fail(jobId, workerId, failure: FailureInput) {
      const [job] = await query<Job>(sql`SELECT * FROM "Job" WHERE "id" = ${jobId} AND "leaseOwner" = ${workerId} AND "status" = 'running'`);
      if (!job) return null;
      const exhausted = job.attempts >= job.maxAttempts && !failure.notAnAttempt;
      if (!failure.retryable || exhausted) {
        const updated = await prisma.job.update({
          where: { id: jobId },
          data: { status: failure.retryable ? "dead" : "failed", lastError: failure.message, finishedAt: now(), leaseOwner: null, leaseExpiresAt: null },
        });
        return toJobRecord(updated);
      }
      const delay = failure.notAnAttempt ? (failure.retryAfterMs ?? 0) : Math.max(failure.retryAfterMs ?? 0, retryDelayMs(job.attempts));
      try {
        const updated = await prisma.job.update({
          where: { id: jobId },
          data: {
            status: "queued", lastError: failure.message, runAt: new Date(now().getTime() + delay), leaseOwner: null, leaseExpiresAt: null,
            ...(failure.notAnAttempt ? { attempts: { decrement: 1 } } : {}),
          },
        });
        return toJobRecord(updated);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A newer request for the same work is already waiting; it will do what this retry would.
        const updated = await prisma.job.update({
          where: { id: jobId },
          data: { status: "cancelled", lastError: `${failure.message} (a newer job with the same work is waiting)`, finishedAt: now(), leaseOwner: null, leaseExpiresAt: null },
        });
        return toJobRecord(updated);
      }
    },

    async markCancelled(jobId, workerId) {
      await prisma.job.updateMany({
        where: { id: jobId, leaseOwner: workerId, status: "running" },
        data: { status: "cancelled", finishedAt: now(), leaseOwner: null, leaseExpiresAt: null },
      });
    },
    async requestCancel(jobId) {
      await prisma.job.updateMany({ where: { id: jobId, status: "queued" }, data: { status: "cancelled", cancelRequested: true, finishedAt: now() } });
      await prisma.job.updateMany({ where: { id: jobId, status: "running" }, data: { cancelRequested: true } });
      const job = await prisma.job.findUnique({ where: { id: jobId } });
      return job ? toJobRecord(job) : null;
    },

    async cancelJobsOf({ lane, primaryShop, kinds }) {
      const where = { lane, primaryShop, kind: { in: kinds } };
      const waiting = await prisma.job.updateMany({ where: { ...where, status: "queued" }, data: { status: "cancelled", cancelRequested: true, finishedAt: now() } });
      const running = await prisma.job.updateMany({ where: { ...where, status: "running" }, data: { cancelRequested: true } });
      return waiting.count + running.count;
    },

    async get(jobId) {
      const job = await prisma.job.findUnique({ where: { id: jobId } });
      return job ? toJobRecord(job) : null;
    },
  };
}

/** The embedded job queue: a table in the app's SQLite database, shared by every app and worker process. */
export function createSqliteJobQueue(prisma: PrismaClient, now: () => Date = () => new Date()): ClaimingJobQueue {
  const { query, sql, join } = plainSqlOf(prisma);
  // Enqueueing is plain SQL (ADR 0017): every webhook that starts work queues a job, and in a
  // sales storm the Prisma queries of the look-up, the insert and the fold were the app's most
  // frequent after the session load.
  async function fold(existing: Job, delayMs: number): Promise<JobRecord> {
    const at = now();
    const [updated] = await query<Job>(sql`
      UPDATE "Job" SET "runAt" = ${foldedRunAt(existing, delayMs, at)}, "updatedAt" = ${at} WHERE "id" = ${existing.id} RETURNING *`);
    // Gone between the look-up and the fold (pruned): the caller looks again.
    return toJobRecord(updated ?? existing);
  }

  async function waitingWithKey(dedupeKey: string, statuses: JobStatus[]): Promise<Job | undefined> {
    const [existing] = await query<Job>(sql`
      SELECT * FROM "Job" WHERE "dedupeKey" = ${dedupeKey} AND "status" IN (${join(statuses)}) ORDER BY "createdAt" ASC LIMIT 1`);
    return existing;
  }

  async function insertJob(input: EnqueueInput): Promise<Job> {
    const at = now();
    const row = newJobRow(input, at);
    const [job] = await query<Job>(sql`
      INSERT INTO "Job" ("id", "kind", "lane", "primaryShop", "payload", "dedupeKey", "status", "runAt", "attempts", "maxAttempts", "cancelRequested", "progressDone", "createdAt", "updatedAt")
      VALUES (${randomUUID()}, ${row.kind}, ${row.lane}, ${row.primaryShop}, ${row.payload}, ${row.dedupeKey}, 'queued', ${row.runAt}, 0, ${row.maxAttempts}, ${false}, 0, ${row.createdAt}, ${at})
      RETURNING *`);
    return job;
  }

  const queue: ClaimingJobQueue = {
    ...jobRowOperations(prisma, now),
    async enqueue(input: EnqueueInput) {
      const delayMs = input.delayMs ?? 0;
      for (let attempt = 0; attempt < 3; attempt++) {
        if (input.dedupeKey) {
          const existing = await waitingWithKey(input.dedupeKey, foldableStatuses(input));
          if (existing) return { job: input.dedupe === "single" ? toJobRecord(existing) : await fold(existing, delayMs), created: false };
        }
        try {
          return { job: toJobRecord(await insertJob(input)), created: true };
        } catch (error) {
          // Another process queued the same key between our read and our write: fold into theirs.
          if (!isUniqueViolation(error)) throw error;
        }
      }
      throw new Error(`Could not enqueue ${input.kind} for ${input.lane}: dedupe key ${input.dedupeKey} kept changing`);
    },

    async claim(workerId, leaseMs) {
      const at = now();
      const leaseUntil = new Date(at.getTime() + leaseMs);
      // One statement, so two workers can never take the same job or two jobs of one lane.
      const rows = await query<Job>(sql`
        UPDATE "Job" SET "status" = 'running', "leaseOwner" = ${workerId}, "leaseExpiresAt" = ${leaseUntil}, "attempts" = "attempts" + 1,
            "startedAt" = COALESCE("startedAt", ${at}), "updatedAt" = ${at}
         WHERE "id" = (
           SELECT j."id" FROM "Job" j
           WHERE ((j."status" = 'queued' AND j."runAt" <= ${at}) OR (j."status" = 'running' AND j."leaseExpiresAt" < ${at}))
             AND NOT EXISTS (
               SELECT 1 FROM "Job" r
               WHERE r."lane" = j."lane" AND r."status" = 'running' AND r."leaseExpiresAt" >= ${at} AND r."id" <> j."id")
           ORDER BY j."runAt" ASC
           LIMIT 1)
         RETURNING *`);
      if (rows.length === 0) return null;
      const [job] = rows;
      if (job.attempts > job.maxAttempts) {
        // Its workers kept dying (lease expired every time): stop trying.
        await queue.fail(job.id, workerId, { message: `${job.lastError ?? "The worker stopped during this job"} (gave up after ${job.maxAttempts} attempts)`, retryable: false });
        return queue.claim(workerId, leaseMs);
      }
      return toJobRecord(job);
    },
  };
  return queue;
}

// The app's own queries of the Job table, on its database (the engines above take a client).

/** Which of these dedupe keys have a job waiting to run. */
export async function waitingDedupeKeys(dedupeKeys: string[]): Promise<Set<string>> {
  if (dedupeKeys.length === 0) return new Set();
  // Plain SQL (ADR 0017): every product webhook of a burst asks it.
  const keys = new Set<string>();
  for (const group of chunks(dedupeKeys, IDS_PER_QUERY)) {
    for (const row of await query<{ dedupeKey: string }>(sql`SELECT "dedupeKey" FROM "Job" WHERE "dedupeKey" IN (${join(group)}) AND "status" = 'queued'`)) keys.add(row.dedupeKey);
  }
  return keys;
}

/** Jobs of one kind waiting in a lane, oldest first (at most `take`). */
export async function waitingJobsInLane(lane: string, kind: string, take: number): Promise<JobRecord[]> {
  const rows = await appDatabase.job.findMany({ where: { lane, kind, status: "queued" }, orderBy: { createdAt: "asc" }, take });
  return rows.map(toJobRecord);
}

/**
 * Waiting jobs whose work another job took over: done, with `result` saying where it went. Jobs
 * that started or ended meanwhile are left as they are. Returns how many were settled.
 */
export async function settleWaitingJobs(jobIds: string[], result: unknown, at = new Date()): Promise<number> {
  if (jobIds.length === 0) return 0;
  const { count } = await appDatabase.job.updateMany({
    where: { id: { in: jobIds }, status: "queued" },
    data: { status: "succeeded", result: JSON.stringify(result), finishedAt: at },
  });
  return count;
}

/** Recent tasks of a store: jobs that write to it, and for a primary the jobs of its network. */
export async function recentJobsOf(shop: string, take = 20): Promise<JobRecord[]> {
  const jobs = await appDatabase.job.findMany({
    where: { OR: [{ lane: shop }, { primaryShop: shop }] },
    orderBy: { createdAt: "desc" },
    take,
  });
  return jobs.map(toJobRecord);
}

/** The result of the latest job of this kind, lane and primary that succeeded, or null. */
export async function lastSucceededResult({ kind, lane, primaryShop }: { kind: string; lane: string; primaryShop: string }): Promise<unknown> {
  const last = await appDatabase.job.findFirst({ where: { kind, lane, primaryShop, status: "succeeded" }, orderBy: { finishedAt: "desc" }, select: { result: true } });
  return parseJson(last?.result ?? null);
}

/** Finished tasks older than the retention (by when they finished); waiting and running ones stay. */
export async function pruneFinishedJobs(before: Date): Promise<number> {
  const { count } = await appDatabase.job.deleteMany({ where: { status: { in: ["succeeded", "cancelled", "failed", "dead"] }, finishedAt: { lt: before } } });
  return count;
}
