import { describe, expect, test } from "vitest";
import { changesOf, recentTaskLines, type TaskView } from "./task-lines";

const task = (kind: string, status: TaskView["status"], minute: number, changes: number | null = null): TaskView => ({
  id: `${kind}-${minute}`, kind, store: "a.myshopify.com", status, progressDone: 0, progressTotal: null, etaSeconds: null, lastError: null, result: null,
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
