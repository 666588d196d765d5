import { describe, expect, test } from "vitest";
import type { JobRecord } from "../jobs/queue";
import { changesOf, recentTaskLines, type TaskView, taskView } from "./task-lines";

const task = (kind: string, status: TaskView["status"], minute: number, changes: number | null = null): TaskView => ({
  id: `${kind}-${minute}`, kind, store: "a.myshopify.com", status, progressDone: 0, progressTotal: null, etaSeconds: null, phase: null, lastError: null, result: null,
  changes, productTitle: null, createdAt: `2026-12-07T09:${String(minute).padStart(2, "0")}:00.000Z`, finishedAt: `2026-12-07T09:${String(minute).padStart(2, "0")}:30.000Z`,
});

describe("changesOf", () => {
  test("adds the change counts of a result and ignores the rest", () => {
    expect(changesOf("sync-all", { total: 30, done: 30, create: 2, update: 3, unchanged: 25, skipped: 1 })).toBe(5);
    expect(changesOf("sync-all", { total: 30, done: 30, create: 0, update: 0, unchanged: 30 })).toBe(0);
    expect(changesOf("push-stock", { checked: 4, pushed: 0, missing: 0 })).toBe(0);
  });

  test("a product sync counts its outcome, an order its recording", () => {
    expect(changesOf("sync-product", { outcome: "update", fields: ["title"] })).toBe(1);
    expect(changesOf("sync-product", { outcome: "unchanged", fields: [] })).toBe(0);
    expect(changesOf("sync-product", { outcome: "batched", batchJobId: "j" })).toBeNull();
    expect(changesOf("mirror-order", { mirrored: "#1001", customer: "none" })).toBe(1);
    expect(changesOf("mirror-order", { duplicate: true })).toBe(0);
  });

  test("a result that says nothing of changes is unknown, not nothing", () => {
    expect(changesOf("sync-all", null)).toBeNull();
    expect(changesOf("remove-created-products", { outcome: "disconnected" })).toBeNull();
  });
});

describe("recentTaskLines", () => {
  test("routine stock and order tasks that succeeded fold into one line per run; others stay as they are", () => {
    const lines = recentTaskLines([
      task("push-stock", "succeeded", 9, 2),
      task("apply-stock", "succeeded", 8, 1),
      task("push-stock", "failed", 7),
      task("mirror-order", "succeeded", 6, 1),
      task("sync-all", "succeeded", 5, 0),
      task("push-stock", "succeeded", 4, 0),
    ]);
    expect(lines).toEqual([
      { routine: { count: 2, from: "2026-12-07T09:08:00.000Z", to: "2026-12-07T09:09:30.000Z", changes: 3 } },
      { task: task("push-stock", "failed", 7) },
      { routine: { count: 1, from: "2026-12-07T09:06:00.000Z", to: "2026-12-07T09:06:30.000Z", changes: 1 } },
      { task: task("sync-all", "succeeded", 5, 0) },
      { routine: { count: 1, from: "2026-12-07T09:04:00.000Z", to: "2026-12-07T09:04:30.000Z", changes: 0 } },
    ]);
  });

  test("at most `take` lines", () => {
    const tasks = Array.from({ length: 12 }, (_, i) => task("sync-product", "succeeded", 50 - i, 1));
    expect(recentTaskLines(tasks, 10)).toHaveLength(10);
  });
});

describe("taskView", () => {
  const startedAt = new Date("2026-12-07T09:00:00.000Z");
  const running = (progressDone: number, checkpoint: unknown): JobRecord => ({
    id: "j", kind: "sync-all", lane: "d.myshopify.com", primaryShop: "p.myshopify.com", payload: null, dedupeKey: null, status: "running", runAt: startedAt,
    attempts: 1, maxAttempts: 5, cancelRequested: false, progressDone, progressTotal: 500, checkpoint, result: null, lastError: null,
    createdAt: startedAt, startedAt, finishedAt: null,
  });
  const at = startedAt.getTime() + 50_000;

  test("a run writing products estimates the time left from its pace", () => {
    expect(taskView(running(250, { phase: "products" }), at)).toMatchObject({ phase: "products", etaSeconds: 50 });
    // A job without phases (a removal, a stock check) is counted the same way.
    expect(taskView(running(250, null), at)).toMatchObject({ phase: null, etaSeconds: 50 });
  });

  test("reading the catalogues and finishing have no count: no time left is made up", () => {
    expect(taskView(running(0, { phase: "reading" }), at)).toMatchObject({ phase: "reading", etaSeconds: null });
    // Resumed while reading again: its earlier products count, but not towards a pace.
    expect(taskView(running(250, { phase: "reading" }), at)).toMatchObject({ phase: "reading", etaSeconds: null });
    expect(taskView(running(500, { phase: "finishing" }), at)).toMatchObject({ phase: "finishing", etaSeconds: null });
    expect(taskView(running(500, null), at).etaSeconds).toBeNull();
  });

  test("a phase is shown only while the job runs, and only a known one", () => {
    expect(taskView({ ...running(500, { phase: "finishing" }), status: "succeeded", finishedAt: new Date(at) }, at).phase).toBeNull();
    expect(taskView(running(10, { phase: "dancing" }), at).phase).toBeNull();
  });
});
