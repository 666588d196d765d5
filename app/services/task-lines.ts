// What the dashboard shows of background tasks, as pure functions of their views (no I/O): how much
// a task changed, and the Recent tasks card's lines.
import { type JobRecord, phaseOf, storeOfLane, type SyncPhase } from "../jobs/queue";

export type TaskView = {
  id: string;
  /** The page names the task from its kind (task.<kind> in app/i18n). */
  kind: string;
  store: string;
  status: JobRecord["status"];
  progressDone: number;
  progressTotal: number | null;
  /** Seconds left, estimated from the pace so far; null until there is a pace, or in a phase without a count. */
  etaSeconds: number | null;
  /** A catalogue run's phase while it runs (its counts measure the "products" phase only); null otherwise. */
  phase: SyncPhase | null;
  lastError: string | null;
  result: unknown;
  /** How many things it changed in the stores, from its result; null when its result does not say. */
  changes: number | null;
  /** What a product sync synced: the product's title at its last sync. */
  productTitle: string | null;
  createdAt: string;
  finishedAt: string | null;
};

/** The counts of a task's result that are changes made in a store (the rest: checked, unchanged, skipped…). */
const CHANGE_COUNTS = ["create", "update", "archived", "deleted", "unlinked", "inventoryWrites", "collectionsCreated", "collectionsUpdated", "applied", "pushed", "repaired", "recoveredMovements", "moved", "released", "cleared", "products", "zeroed"];
const PRODUCT_SYNC_CHANGES: Record<string, number> = { create: 1, update: 1, unchanged: 0, skip: 0, "not selected": 0, excluded: 0, gone: 0, unlinked: 1, archived: 1, deleted: 1 };

/** How many changes a task's result reports: its change counts, a product sync's outcome, an order recorded; null when it does not say. */
export function changesOf(kind: string, result: unknown): number | null {
  if (!result || typeof result !== "object") return null;
  const fields = result as Record<string, unknown>;
  if (kind === "sync-product" && typeof fields.outcome === "string") return PRODUCT_SYNC_CHANGES[fields.outcome] ?? null;
  if (kind === "mirror-order") return typeof fields.mirrored === "string" ? 1 : 0;
  const counts = CHANGE_COUNTS.map((key) => fields[key]).filter((value): value is number => typeof value === "number");
  return counts.length > 0 ? counts.reduce((sum, value) => sum + value, 0) : null;
}

/** What the dashboard shows of a job (its product title is added by the caller that knows it). */
export function taskView(job: JobRecord, now = Date.now()): TaskView {
  const phase = job.status === "running" ? phaseOf(job.checkpoint) : null;
  let etaSeconds: number | null = null;
  // A pace only from the counted phase: reading and finishing would make it up.
  const counting = phase === null || phase === "products";
  if (counting && job.status === "running" && job.startedAt && job.progressTotal && job.progressDone > 0 && job.progressDone < job.progressTotal) {
    const perItem = (now - job.startedAt.getTime()) / job.progressDone;
    etaSeconds = Math.round((perItem * (job.progressTotal - job.progressDone)) / 1000);
  }
  return {
    id: job.id,
    kind: job.kind,
    store: storeOfLane(job.lane),
    status: job.status,
    progressDone: job.progressDone,
    progressTotal: job.progressTotal,
    etaSeconds,
    phase,
    lastError: job.lastError,
    result: job.result,
    changes: job.status === "succeeded" ? changesOf(job.kind, job.result) : null,
    productTitle: null,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/** Tasks that keep stock and orders in step after every sale: done ones fold into one line per run of them. */
const ROUTINE_KINDS = new Set(["apply-stock", "push-stock", "mirror-order", "rebalance-stock"]);

export type TaskLine = { task: TaskView } | { routine: { count: number; from: string; to: string; changes: number } };

/**
 * The Recent tasks card's lines, newest first: every task as it is, except routine stock and order
 * tasks that succeeded, which fold into one line per run of them between other tasks (a sales day
 * would otherwise fill the card). At most `take` lines.
 */
export function recentTaskLines(tasks: TaskView[], take = 10): TaskLine[] {
  const lines: TaskLine[] = [];
  for (const task of tasks) {
    const previous = lines[lines.length - 1];
    if (!(ROUTINE_KINDS.has(task.kind) && task.status === "succeeded")) lines.push({ task });
    else if (previous && "routine" in previous) {
      previous.routine.count++;
      previous.routine.from = task.createdAt;
      previous.routine.changes += task.changes ?? 0;
    } else lines.push({ routine: { count: 1, from: task.createdAt, to: task.finishedAt ?? task.createdAt, changes: task.changes ?? 0 } });
  }
  return lines.slice(0, take);
}
