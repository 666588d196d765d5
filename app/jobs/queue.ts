/**
 * The job queue as the rest of the app sees it. Every job is a row of the Job table (what the
 * dashboard shows: status, progress, result). Two engines run them: the embedded one claims rows
 * of the SQLite table itself (app/models/jobs.server.ts, app/jobs/runner.server.ts); on
 * PostgreSQL, graphile-worker schedules and runs them (app/jobs/graphile.server.ts).
 * docs/decisions/0005-jobs-and-sync.md and 0011-postgres-and-graphile-worker.md.
 */
export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "dead" | "cancelled";

export type JobRecord = {
  id: string;
  kind: string;
  /** The store the job writes to. One job per lane runs at a time. */
  lane: string;
  primaryShop: string | null;
  payload: unknown;
  dedupeKey: string | null;
  status: JobStatus;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  cancelRequested: boolean;
  progressDone: number;
  progressTotal: number | null;
  checkpoint: unknown;
  result: unknown;
  lastError: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/**
 * A lane for one kind of work on a store, beside the store's own lane (its domain): orders recorded
 * on a primary run in one, so a rush of them never holds back the stock its sales move.
 */
export function sideLane(store: string, track: string): string {
  return `${store}#${track}`;
}

/** The store a lane writes to (shop domains never contain "#"). */
export function storeOfLane(lane: string): string {
  return lane.split("#")[0];
}

export type EnqueueInput = {
  kind: string;
  lane: string;
  primaryShop?: string;
  payload?: unknown;
  dedupeKey?: string;
  /** Run no earlier than this many ms from now; with a dedupe key, a repeat pushes it back (debounce). */
  delayMs?: number;
  /**
   * With a dedupe key: "debounce" folds into a waiting job (a running one still gets a successor,
   * so edits made during a run are not lost); "single" returns any waiting or running job instead.
   */
  dedupe?: "debounce" | "single";
  maxAttempts?: number;
};

export type ProgressUpdate = { progressDone?: number; progressTotal?: number | null; checkpoint?: unknown };

/**
 * The phases of a catalogue run (Sync all, a burst of product edits), kept in its checkpoint's
 * `phase`: both stores' catalogues read, products written (the only phase its counts measure), then
 * what has no count (products the primary removed, collections).
 */
export const SYNC_PHASES = ["reading", "products", "finishing"] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

/** A job's phase from its checkpoint; null for kinds that have none. */
export function phaseOf(checkpoint: unknown): SyncPhase | null {
  const phase = checkpoint && typeof checkpoint === "object" ? (checkpoint as { phase?: unknown }).phase : undefined;
  return SYNC_PHASES.find((known) => known === phase) ?? null;
}

/**
 * retryAfterMs: the earliest retry. notAnAttempt: Shopify refused the call for now (a resource
 * limit): the job waits and the attempt is given back, so a long queue of such waits never
 * exhausts its attempts.
 */
export type FailureInput = { message: string; retryable: boolean; retryAfterMs?: number; notAnAttempt?: boolean };

export interface JobQueue {
  enqueue(input: EnqueueInput): Promise<{ job: JobRecord; created: boolean }>;
  /** A waiting job is cancelled at once; a running one is asked to stop at its next heartbeat. */
  requestCancel(jobId: string): Promise<JobRecord | null>;
  /** requestCancel for every waiting or running job of these kinds on a lane for a primary (a connection ended). */
  cancelJobsOf(filter: { lane: string; primaryShop: string; kinds: string[] }): Promise<number>;
  get(jobId: string): Promise<JobRecord | null>;
}

/** The embedded engine's side: workers claim rows of the table themselves. */
export interface ClaimingJobQueue extends JobQueue {
  /** Takes the next due job whose lane is free, leased to `workerId` for `leaseMs`. */
  claim(workerId: string, leaseMs: number): Promise<JobRecord | null>;
  /** Extends the lease and saves progress; tells whether the worker still owns the job and whether it was cancelled. */
  heartbeat(jobId: string, workerId: string, leaseMs: number, update?: ProgressUpdate): Promise<{ owned: boolean; cancelRequested: boolean }>;
  complete(jobId: string, workerId: string, result?: unknown): Promise<void>;
  /** Retries with backoff, or ends the job as failed (not retryable) or dead (attempts exhausted). */
  fail(jobId: string, workerId: string, failure: FailureInput): Promise<JobRecord | null>;
  markCancelled(jobId: string, workerId: string): Promise<void>;
}
