import crypto from "node:crypto";
import type { Logger } from "pino";
import type { ClaimingJobQueue, JobRecord, ProgressUpdate } from "./queue";
import { ShopifyResourceLimitError } from "../shopify/errors";

/** A failure retrying cannot fix (store disconnected, setup incomplete, app uninstalled). */
export class PermanentJobError extends Error {
  readonly retryable = false;
}

export class JobCancelledError extends Error {
  constructor() {
    super("Cancelled");
  }
}

export type JobContext = {
  job: JobRecord;
  /** Aborted when the job is cancelled or its lease was lost (another worker took it over). */
  signal: AbortSignal;
  /** Saves progress and the checkpoint a resumed attempt continues from; throws once cancelled. */
  progress(update: ProgressUpdate): Promise<void>;
  logger: Logger;
};

export type JobHandler = (context: JobContext) => Promise<unknown>;

export type WorkerOptions = {
  queue: ClaimingJobQueue;
  handlers: Record<string, JobHandler>;
  logger: Logger;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  workerId?: string;
};

export function failureOf(error: unknown): { message: string; retryable: boolean; retryAfterMs?: number; notAnAttempt?: boolean } {
  const message = error instanceof Error ? error.message : String(error);
  const details = error as { retryable?: boolean; retryAfterMs?: number } | null;
  return { message, retryable: details?.retryable !== false, retryAfterMs: details?.retryAfterMs, ...(error instanceof ShopifyResourceLimitError ? { notAnAttempt: true } : {}) };
}

export type JobOutcome =
  | { outcome: "succeeded" | "cancelled" | "lease lost" }
  | { outcome: "failed"; error: unknown; after: JobRecord | null };

/** A running job's heartbeat: when it last went out, and the one on its way. */
export type Heartbeat = { beat: () => Promise<void>; lastAt: number; inFlight: Promise<void> | null };

/** How often a running job renews its lease: three times per lease, so one late beat loses nothing. */
export function heartbeatIntervalMs(leaseMs: number): number {
  return Math.max(50, leaseMs / 3);
}

/**
 * One attempt of a job under its lease, on either engine: a heartbeat every third of the lease
 * renews it and saves progress; a heartbeat that finds the lease lost (another worker continues)
 * or a cancel requested aborts the handler. `heartbeats` lists the running jobs' heartbeats, for a
 * worker that renews overdue ones itself.
 */
export async function runLeasedJob({ job, owner, handler, rows, leaseMs, log, heartbeats }: {
  job: JobRecord;
  owner: string;
  handler: JobHandler | undefined;
  rows: Pick<ClaimingJobQueue, "heartbeat" | "complete" | "markCancelled" | "fail">;
  leaseMs: number;
  log: Logger;
  heartbeats?: Map<string, Heartbeat>;
}): Promise<JobOutcome> {
  const controller = new AbortController();
  const beat = (update?: ProgressUpdate) => {
    heartbeat.lastAt = Date.now();
    const sent = rows.heartbeat(job.id, owner, leaseMs, update).then((state) => {
      if (!state.owned) controller.abort(new Error("lease lost"));
      else if (state.cancelRequested) controller.abort(new JobCancelledError());
    });
    const settled = sent.finally(() => {
      if (heartbeat.inFlight === settled) heartbeat.inFlight = null;
    });
    heartbeat.inFlight = settled;
    return settled;
  };
  const heartbeat: Heartbeat = { beat: () => beat(), lastAt: Date.now(), inFlight: null };
  heartbeats?.set(owner, heartbeat);
  const timer = setInterval(() => void beat().catch((error) => log.warn({ err: error }, "heartbeat failed")), heartbeatIntervalMs(leaseMs));
  try {
    return await runHandler({ job, owner, handler, rows, controller, beat, log });
  } finally {
    clearInterval(timer);
    heartbeats?.delete(owner);
  }
}

/**
 * One job's handler. `beat` renews the lease and saves progress, aborting `controller` when the
 * lease is lost or the job is cancelled; the outcome is written to the job's row through `rows`.
 */
async function runHandler({ job, owner, handler, rows, controller, beat, log }: {
  job: JobRecord;
  owner: string;
  handler: JobHandler | undefined;
  rows: Pick<ClaimingJobQueue, "complete" | "markCancelled" | "fail">;
  controller: AbortController;
  beat: (update?: ProgressUpdate) => Promise<void>;
  log: Logger;
}): Promise<JobOutcome> {
  try {
    if (!handler) throw new PermanentJobError(`No handler for job kind ${job.kind}`);
    const result = await handler({
      job,
      signal: controller.signal,
      logger: log,
      progress: async (update) => {
        await beat(update);
        if (controller.signal.aborted) throw controller.signal.reason;
      },
    });
    await rows.complete(job.id, owner, result);
    log.info("job succeeded");
    return { outcome: "succeeded" };
  } catch (error) {
    if (error instanceof JobCancelledError || controller.signal.reason instanceof JobCancelledError) {
      await rows.markCancelled(job.id, owner);
      log.info("job cancelled");
      return { outcome: "cancelled" };
    }
    if (controller.signal.aborted) {
      log.warn("job lost its lease; another worker continues it");
      return { outcome: "lease lost" };
    }
    const failure = failureOf(error);
    const after = await rows.fail(job.id, owner, failure);
    log.warn({ err: error, status: after?.status }, `job failed: ${failure.message}`);
    return { outcome: "failed", error, after };
  }
}

/**
 * Runs jobs from the queue: up to `concurrency` at once, never two of one lane (the queue's claim
 * guarantees it across processes), each under a lease renewed by heartbeats.
 */
export function startWorker({ queue, handlers, logger, concurrency = 4, leaseMs = 30_000, pollMs = 250, workerId = `worker-${process.pid}-${crypto.randomUUID().slice(0, 8)}` }: WorkerOptions) {
  let stopping = false;
  const running = new Set<Promise<void>>();
  let wake: (() => void) | null = null;
  let claims = 0;
  const beating = new Map<string, Heartbeat>();
  const beatEvery = heartbeatIntervalMs(leaseMs);

  /**
   * Renews the leases of this worker's jobs whose heartbeat is overdue. Called before each claim:
   * after the event loop stalled (a busy machine), the claim loop's timer can fire before the
   * heartbeat's, and a claim would otherwise take this worker's own job away from itself.
   */
  async function renewOverdueLeases() {
    await Promise.all([...beating.values()].map((b) => {
      const renewal = b.inFlight ?? (Date.now() - b.lastAt >= beatEvery ? b.beat() : null);
      return renewal?.catch((error) => logger.warn({ err: error }, "heartbeat failed"));
    }));
  }

  /**
   * `owner` is this claim's own lease token: if this worker's lease on a job runs out (a stalled
   * event loop) and one of its own slots claims the job again, the first run stops at its next
   * heartbeat instead of running on beside the second.
   */
  async function run(job: JobRecord, owner: string) {
    const log = logger.child({ jobId: job.id, kind: job.kind, lane: job.lane, attempt: job.attempts });
    await runLeasedJob({ job, owner, handler: handlers[job.kind], rows: queue, leaseMs, log, heartbeats: beating });
  }

  async function loop() {
    while (!stopping) {
      if (running.size >= concurrency) {
        await Promise.race(running);
        continue;
      }
      let job: JobRecord | null = null;
      const owner = `${workerId}/${++claims}`;
      try {
        await renewOverdueLeases();
        job = await queue.claim(owner, leaseMs);
      } catch (error) {
        logger.error({ err: error }, "could not claim a job");
      }
      if (!job) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        continue;
      }
      // A finished job often queued the next step (a sale's stock push): look for it at once.
      const task = run(job, owner).finally(() => {
        running.delete(task);
        wake?.();
      });
      running.add(task);
    }
  }

  const looping = loop();
  logger.info({ workerId, concurrency }, "worker started");
  return {
    workerId,
    /** Stops taking jobs and waits for the running ones. */
    async stop() {
      stopping = true;
      wake?.();
      await looping;
      await Promise.allSettled(running);
    },
  };
}
