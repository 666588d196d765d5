import pino from "pino";
import { beforeEach, describe, expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";
import { sqliteTestDatabaseUrl } from "../../tests/setup/test-app";

// The embedded engine's own claims, on SQLite in both passes (app/jobs/graphile.server.test.ts
// tests the PostgreSQL engine).
await useTestAppEnv({ DATABASE_URL: sqliteTestDatabaseUrl() });
const { default: prisma } = await import("../db.server");
const { createSqliteJobQueue, retryDelayMs } = await import("./jobs.server");
const { startWorker, PermanentJobError } = await import("../jobs/runner.server");

/** A queue on a controllable clock, so leases and backoff are tested without waiting. */
function queueAt(start = Date.parse("2026-11-23T10:00:00Z")) {
  let now = start;
  const queue = createSqliteJobQueue(prisma, () => new Date(now));
  return { queue, advance: (ms: number) => (now += ms) };
}

// claim() takes any due job, so each test starts from an empty queue.
beforeEach(async () => {
  await prisma.job.deleteMany();
});

let laneCounter = 0;
const lane = () => `lane-${++laneCounter}.myshopify.com`;

describe("the SQLite job queue", () => {
  test("one job per lane runs at a time; other lanes are not blocked", async () => {
    const { queue } = queueAt();
    const slow = lane();
    const other = lane();
    await queue.enqueue({ kind: "k", lane: slow });
    await queue.enqueue({ kind: "k", lane: slow });
    await queue.enqueue({ kind: "k", lane: other });
    const first = await queue.claim("w1", 10_000);
    const second = await queue.claim("w2", 10_000);
    const third = await queue.claim("w3", 10_000);
    expect([first?.lane, second?.lane].sort()).toEqual([slow, other].sort());
    expect(third).toBeNull();
    await queue.complete(first!.lane === slow ? first!.id : second!.id, first!.lane === slow ? "w1" : "w2");
    expect((await queue.claim("w3", 10_000))?.lane).toBe(slow);
  });

  test("a debounced key folds repeated requests into one waiting job and pushes it back", async () => {
    const { queue, advance } = queueAt(Date.parse("2026-11-23T11:00:00Z"));
    const target = lane();
    const a = await queue.enqueue({ kind: "sync-product", lane: target, dedupeKey: `p:${target}`, dedupe: "debounce", delayMs: 2000 });
    advance(1500);
    const b = await queue.enqueue({ kind: "sync-product", lane: target, dedupeKey: `p:${target}`, dedupe: "debounce", delayMs: 2000 });
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.job.id).toBe(a.job.id);
    expect(b.job.runAt.getTime() - a.job.runAt.getTime()).toBe(1500);
    expect(await queue.claim("w", 10_000)).toBeNull();
    advance(2000);
    const claimed = await queue.claim("w", 10_000);
    expect(claimed?.id).toBe(a.job.id);
    // While it runs, a new edit gets a successor so nothing is lost.
    const c = await queue.enqueue({ kind: "sync-product", lane: target, dedupeKey: `p:${target}`, dedupe: "debounce" });
    expect(c.created).toBe(true);
  });

  test("a request without delay folds into the waiting job without moving it behind the lane's later jobs", async () => {
    const { queue, advance } = queueAt(Date.parse("2026-11-23T11:30:00Z"));
    const target = lane();
    const stock = await queue.enqueue({ kind: "apply-stock", lane: target, dedupeKey: `s:${target}`, dedupe: "debounce", delayMs: 0 });
    advance(10);
    const order = await queue.enqueue({ kind: "mirror-order", lane: target });
    advance(10);
    const again = await queue.enqueue({ kind: "apply-stock", lane: target, dedupeKey: `s:${target}`, dedupe: "debounce", delayMs: 0 });
    expect(again).toMatchObject({ created: false, job: { id: stock.job.id, runAt: stock.job.runAt } });
    expect((await queue.claim("w", 10_000))?.id).toBe(stock.job.id);
    await queue.complete(stock.job.id, "w");
    expect((await queue.claim("w", 10_000))?.id).toBe(order.job.id);
  });

  test("a single key returns the waiting or running job instead of a duplicate", async () => {
    const { queue } = queueAt(Date.parse("2026-11-23T12:00:00Z"));
    const target = lane();
    const first = await queue.enqueue({ kind: "sync-all", lane: target, dedupeKey: `all:${target}`, dedupe: "single" });
    await queue.claim("w", 10_000);
    const again = await queue.enqueue({ kind: "sync-all", lane: target, dedupeKey: `all:${target}`, dedupe: "single" });
    expect(again).toMatchObject({ created: false, job: { id: first.job.id, status: "running" } });
  });

  test("a job whose worker stopped heart-beating is taken over with its checkpoint", async () => {
    const { queue, advance } = queueAt(Date.parse("2026-11-23T13:00:00Z"));
    const target = lane();
    const { job } = await queue.enqueue({ kind: "k", lane: target });
    await queue.claim("dead-worker", 5000);
    await queue.heartbeat(job.id, "dead-worker", 5000, { progressDone: 10, progressTotal: 40, checkpoint: { last: "p10" } });
    expect(await queue.claim("w2", 5000)).toBeNull();
    advance(6000);
    const resumed = await queue.claim("w2", 5000);
    expect(resumed).toMatchObject({ id: job.id, attempts: 2, progressDone: 10, checkpoint: { last: "p10" } });
    // The old worker has lost the job: its late writes are ignored.
    expect((await queue.heartbeat(job.id, "dead-worker", 5000)).owned).toBe(false);
    await queue.complete(job.id, "dead-worker");
    expect((await queue.get(job.id))?.status).toBe("running");
  });

  test("failures retry with backoff, then go to the dead letter with their error", async () => {
    const { queue, advance } = queueAt(Date.parse("2026-11-23T14:00:00Z"));
    const target = lane();
    const { job } = await queue.enqueue({ kind: "k", lane: target, maxAttempts: 2 });
    await queue.claim("w", 5000);
    const retried = await queue.fail(job.id, "w", { message: "503 from Shopify", retryable: true, retryAfterMs: 4000 });
    expect(retried).toMatchObject({ status: "queued", lastError: "503 from Shopify" });
    expect(await queue.claim("w", 5000)).toBeNull();
    advance(4000);
    expect((await queue.claim("w", 5000))?.id).toBe(job.id);
    const dead = await queue.fail(job.id, "w", { message: "503 again", retryable: true });
    expect(dead).toMatchObject({ status: "dead", lastError: "503 again" });
    const other = await queue.enqueue({ kind: "k", lane: lane() });
    await queue.claim("w", 5000);
    expect(await queue.fail(other.job.id, "w", { message: "store disconnected", retryable: false })).toMatchObject({ status: "failed" });
  });

  test("a wait Shopify asked for (a resource limit) retries after its Retry-After exactly and gives its attempt back, however often", async () => {
    const { queue, advance } = queueAt(Date.parse("2026-11-23T14:30:00Z"));
    const { job } = await queue.enqueue({ kind: "k", lane: lane(), maxAttempts: 1 });
    for (let wait = 0; wait < 3; wait++) {
      await queue.claim("w", 5000);
      const waiting = await queue.fail(job.id, "w", { message: "limit", retryable: true, retryAfterMs: 60_000, notAnAttempt: true });
      expect(waiting).toMatchObject({ status: "queued", attempts: 0, runAt: new Date(Date.parse("2026-11-23T14:30:00Z") + (wait + 1) * 60_000) });
      expect(await queue.claim("w", 5000)).toBeNull();
      advance(60_000);
    }
    // An ordinary failure still counts: with one attempt allowed, it is the last.
    await queue.claim("w", 5000);
    expect(await queue.fail(job.id, "w", { message: "503", retryable: true })).toMatchObject({ status: "dead", attempts: 1 });
  });

  test("backoff grows exponentially with jitter and is capped", () => {
    expect(retryDelayMs(1, () => 0)).toBe(500);
    expect(retryDelayMs(1, () => 1)).toBe(1000);
    expect(retryDelayMs(4, () => 1)).toBe(8000);
    expect(retryDelayMs(30, () => 1)).toBe(300_000);
  });

  test("cancelling a waiting job ends it; a running one is told at its next heartbeat", async () => {
    const { queue } = queueAt(Date.parse("2026-11-23T15:00:00Z"));
    const waiting = await queue.enqueue({ kind: "k", lane: lane() });
    expect((await queue.requestCancel(waiting.job.id))?.status).toBe("cancelled");
    const running = await queue.enqueue({ kind: "k", lane: lane() });
    await queue.claim("w", 5000);
    await queue.requestCancel(running.job.id);
    expect(await queue.heartbeat(running.job.id, "w", 5000)).toEqual({ owned: true, cancelRequested: true });
  });
});

describe("the worker", () => {
  test("runs handlers, records results, and sends permanent failures straight to failed", async () => {
    const queue = createSqliteJobQueue(prisma);
    const ok = await queue.enqueue({ kind: "double", lane: lane(), payload: { n: 21 } });
    const bad = await queue.enqueue({ kind: "refuse", lane: lane() });
    const unknown = await queue.enqueue({ kind: "no-such-kind", lane: lane() });
    const worker = startWorker({
      queue,
      logger: pino({ level: "silent" }),
      pollMs: 20,
      handlers: {
        double: async ({ job }) => ({ doubled: (job.payload as { n: number }).n * 2 }),
        refuse: async () => {
          throw new PermanentJobError("Sync to this store is paused by the primary store");
        },
      },
    });
    const deadline = Date.now() + 10_000;
    while ((await prisma.job.count({ where: { id: { in: [ok.job.id, bad.job.id, unknown.job.id] }, status: { in: ["queued", "running"] } } })) > 0) {
      if (Date.now() > deadline) throw new Error("worker did not finish");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await worker.stop();
    expect(await queue.get(ok.job.id)).toMatchObject({ status: "succeeded", result: { doubled: 42 } });
    expect(await queue.get(bad.job.id)).toMatchObject({ status: "failed", lastError: "Sync to this store is paused by the primary store", attempts: 1 });
    expect(await queue.get(unknown.job.id)).toMatchObject({ status: "failed", lastError: "No handler for job kind no-such-kind" });
  });

  test("a running job stops at its next progress report once cancelled, keeping what it did", async () => {
    const queue = createSqliteJobQueue(prisma);
    const { job } = await queue.enqueue({ kind: "long", lane: lane() });
    let reported = 0;
    const worker = startWorker({
      queue,
      logger: pino({ level: "silent" }),
      pollMs: 20,
      handlers: {
        long: async ({ progress }) => {
          for (;;) {
            await progress({ progressDone: ++reported, progressTotal: 1000 });
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        },
      },
    });
    const deadline = Date.now() + 10_000;
    while ((await queue.get(job.id))!.progressDone < 3) {
      if (Date.now() > deadline) throw new Error("job did not start");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await queue.requestCancel(job.id);
    while ((await queue.get(job.id))!.status === "running") {
      if (Date.now() > deadline) throw new Error("job was not cancelled");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await worker.stop();
    const cancelled = await queue.get(job.id);
    expect(cancelled).toMatchObject({ status: "cancelled", attempts: 1 });
    expect(cancelled!.progressDone).toBeGreaterThanOrEqual(3);
    expect(cancelled!.progressDone).toBeLessThan(1000);
  });

  test("a worker whose event loop stalled past the lease renews it before claiming: its own job is not taken over", async () => {
    const queue = createSqliteJobQueue(prisma);
    const { job } = await queue.enqueue({ kind: "stall", lane: lane() });
    const attempts: number[] = [];
    const worker = startWorker({
      queue,
      logger: pino({ level: "silent" }),
      pollMs: 10,
      leaseMs: 300,
      concurrency: 2,
      handlers: {
        stall: async ({ job: running, progress }) => {
          attempts.push(running.attempts);
          // Blocks the event loop past the lease (a long synchronous step on a busy machine), then keeps reporting.
          const until = Date.now() + 700;
          while (Date.now() < until);
          for (let i = 0; i < 10; i++) {
            await progress({ progressDone: i, progressTotal: 10 });
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          return { by: "the only run" };
        },
      },
    });
    const deadline = Date.now() + 10_000;
    while ((await queue.get(job.id))!.status === "queued" || (await queue.get(job.id))!.status === "running") {
      if (Date.now() > deadline) throw new Error(`attempts: ${JSON.stringify(attempts)} ${(await queue.get(job.id))!.lastError}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await worker.stop();
    expect(attempts, String((await queue.get(job.id))!.lastError)).toEqual([1]);
    expect(await queue.get(job.id)).toMatchObject({ status: "succeeded", attempts: 1, result: { by: "the only run" } });
  });

  test("a run whose lease lapsed and was claimed by another worker stops at its next heartbeat", async () => {
    const queue = createSqliteJobQueue(prisma);
    const { job } = await queue.enqueue({ kind: "taken", lane: lane() });
    const runs: { aborted: boolean; reported: number }[] = [];
    const worker = startWorker({
      queue,
      logger: pino({ level: "silent" }),
      pollMs: 10,
      leaseMs: 300,
      handlers: {
        taken: async ({ signal, progress }) => {
          const run = { aborted: false, reported: 0 };
          runs.push(run);
          // Another worker found the lease expired (this one stalled longer than it) and claimed the job.
          await prisma.job.update({ where: { id: job.id }, data: { leaseOwner: "another-worker/1", attempts: { increment: 1 } } });
          for (let i = 0; i < 20 && !signal.aborted; i++) {
            await progress({ progressDone: i }).then(() => run.reported++, () => undefined);
          }
          run.aborted = signal.aborted;
          return { by: "the run that lost its lease" };
        },
      },
    });
    const deadline = Date.now() + 10_000;
    while (runs.length === 0 || !runs[0].aborted) {
      if (Date.now() > deadline) throw new Error(`runs: ${JSON.stringify(runs)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await worker.stop();
    expect(runs).toEqual([{ aborted: true, reported: 0 }]);
    // The other worker still owns it: the first run neither completed nor failed it.
    expect(await queue.get(job.id)).toMatchObject({ status: "running", attempts: 2 });
  });
});

describe("retrying a failed task", () => {
  /** A job of `kind` that ran once and failed for good. */
  async function failedJob(input: { kind: string; lane: string; primaryShop: string; dedupeKey?: string }) {
    const queue = createSqliteJobQueue(prisma);
    const { job } = await queue.enqueue({ ...input, payload: { primaryShop: input.primaryShop } });
    expect((await queue.claim("w1", 10_000))?.id).toBe(job.id);
    return (await queue.fail(job.id, "w1", { message: "The store was disconnected", retryable: false }))!;
  }

  test("runs it again as a new job of the same kind, lane and payload, once however often it is asked", async () => {
    const { retryTask } = await import("../services/sync.server");
    const queue = createSqliteJobQueue(prisma);
    const shop = lane();
    const { job } = await queue.enqueue({ kind: "apply-stock", lane: shop, primaryShop: shop, payload: { primaryShop: shop }, dedupeKey: `apply-stock:${shop}` });
    const claimed = await queue.claim("w1", 10_000);
    expect(claimed?.id).toBe(job.id);
    expect(await retryTask(claimed!, shop)).toEqual({ refused: { key: "sync.onlyFailedRetry" } });
    const failed = await queue.fail(job.id, "w1", { message: "The store was disconnected", retryable: false });
    expect(failed?.status).toBe("failed");

    const first = await retryTask(failed!, shop);
    expect(first).toMatchObject({ created: true, job: { kind: "apply-stock", lane: shop, primaryShop: shop, payload: { primaryShop: shop }, status: "queued", attempts: 0 } });
    expect("job" in first && first.job.id).not.toBe(job.id);
    const again = await retryTask(failed!, shop);
    expect(again).toMatchObject({ created: false, job: { id: "job" in first ? first.job.id : null } });
    // The failed task keeps its history.
    expect(await queue.get(job.id)).toMatchObject({ status: "failed", lastError: "The store was disconnected" });
  });

  test("work for a dependent runs again only while the pair still syncs", async () => {
    const { retryTask } = await import("../services/sync.server");
    const primary = lane();
    const dependent = lane();
    const failed = await failedJob({ kind: "sync-all", lane: dependent, primaryShop: primary, dedupeKey: `sync-all:${dependent}` });
    expect(await retryTask(failed, primary)).toEqual({ refused: { key: "blocker.disconnected", params: { dependent, primary } } });
    // Positive control: connected, set up, it runs again.
    await prisma.store.create({ data: { shop: dependent, role: "dependent", setupCompletedAt: new Date() } });
    await prisma.connection.create({ data: { primaryShop: primary, dependentShop: dependent, status: "connected", via: "key" } });
    expect(await retryTask(failed, primary)).toMatchObject({ created: true, job: { kind: "sync-all", lane: dependent } });
  });

  test("the removal of a dependent's products runs again only for that dependent, and only while the pair is still disconnected", async () => {
    const { retryTask } = await import("../services/sync.server");
    const primary = lane();
    const dependent = lane();
    const failed = await failedJob({ kind: "remove-created-products", lane: dependent, primaryShop: primary, dedupeKey: `remove-created-products:${dependent}:${primary}` });
    expect(await retryTask(failed, primary)).toEqual({ refused: { key: "sync.retryOnlyByDependent" } });
    const connection = await prisma.connection.create({ data: { primaryShop: primary, dependentShop: dependent, status: "connected", via: "key" } });
    expect(await retryTask(failed, dependent)).toEqual({ refused: { key: "sync.retryReconnected", params: { primary } } });
    await prisma.connection.update({ where: { id: connection.id }, data: { status: "disconnected", disconnectedAt: new Date() } });
    expect(await retryTask(failed, dependent)).toMatchObject({ created: true, job: { kind: "remove-created-products", lane: dependent } });
  });
});
