import pino from "pino";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";
import { postgresDatabaseUrl, testPostgresServerUrl } from "../../tests/setup/test-app";
import type { JobHandler } from "./runner.server";

// PostgreSQL is there in npm test's PostgreSQL pass (scripts/test-postgres.ts); the embedded
// engine's equivalents are in app/models/jobs.server.test.ts.
const server = testPostgresServerUrl();

// Skipped outside the PostgreSQL pass (there is no server to test against), as one named test:
// Vitest collects a skipped describe's body too, and this one connects to PostgreSQL.
if (!server) test.skip("the graphile-worker engine runs in npm test's PostgreSQL pass", () => {});
else describe("the graphile-worker engine", async () => {
  const env = await useTestAppEnv({ DATABASE_URL: postgresDatabaseUrl(server) });
  const { default: prisma } = await import("../db.server");
  const { startGraphileWorker } = await import("./graphile.server");
  const { createGraphileJobQueue, graphileJobRows } = await import("../models/jobs.postgres.server");
  const { PermanentJobError } = await import("./runner.server");
  const queue = createGraphileJobQueue(prisma);
  const logger = pino({ level: "silent" });

  const workers: Array<{ stop(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  afterAll(() => prisma.$disconnect());

  let laneCounter = 0;
  const lane = () => `graphile-lane-${++laneCounter}.myshopify.com`;

  async function start(handlers: Record<string, JobHandler>, options: { leaseMs?: number; concurrency?: number } = {}) {
    const worker = await startGraphileWorker({ databaseUrl: env.DATABASE_URL, rows: graphileJobRows(prisma), logger, handlers, pollMs: 50, leaseMs: options.leaseMs ?? 2000, concurrency: options.concurrency ?? 4 });
    workers.push(worker);
    return worker;
  }

  async function settled(jobId: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await queue.get(jobId);
      if (job && !["queued", "running"].includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job?.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const graphileJobs = (jobId: string) =>
    prisma.$queryRawUnsafe<{ key: string | null; queue: string | null; locked: boolean }[]>(
      `SELECT j.key, q.queue_name AS queue, j.locked_at IS NOT NULL AS locked
       FROM graphile_worker._private_jobs j LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
       WHERE j.payload->>'jobId' = $1`, jobId);

  test("a job is a Job row and a graphile job in its lane's queue, written together", async () => {
    const target = lane();
    const { job, created } = await queue.enqueue({ kind: "k", lane: target, dedupeKey: `k:${target}`, dedupe: "debounce", delayMs: 60_000 });
    expect(created).toBe(true);
    expect(await graphileJobs(job.id)).toEqual([{ key: job.id, queue: target, locked: false }]);
  });

  test("a debounced key folds requests into one waiting job; a single key returns the running one", async () => {
    const target = lane();
    const a = await queue.enqueue({ kind: "k", lane: target, dedupeKey: `p:${target}`, dedupe: "debounce", delayMs: 60_000 });
    const b = await queue.enqueue({ kind: "k", lane: target, dedupeKey: `p:${target}`, dedupe: "debounce", delayMs: 60_000 });
    expect(b).toMatchObject({ created: false, job: { id: a.job.id } });
    expect(b.job.runAt.getTime()).toBeGreaterThanOrEqual(a.job.runAt.getTime());
    expect(await prisma.job.count({ where: { dedupeKey: `p:${target}` } })).toBe(1);
    expect(await graphileJobs(a.job.id)).toHaveLength(1);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await start({ hold: async () => gate });
    const all = await queue.enqueue({ kind: "hold", lane: lane(), dedupeKey: "all:x", dedupe: "single" });
    await settledStatus(all.job.id, "running");
    const again = await queue.enqueue({ kind: "hold", lane: all.job.lane, dedupeKey: "all:x", dedupe: "single" });
    expect(again).toMatchObject({ created: false, job: { id: all.job.id, status: "running" } });
    release();
    expect((await settled(all.job.id)).status).toBe("succeeded");
  });

  async function settledStatus(jobId: string, status: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while ((await queue.get(jobId))?.status !== status) {
      if (Date.now() > deadline) throw new Error(`job ${jobId} never ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  test("one job per lane runs at a time; other lanes are not blocked", async () => {
    const runningPerLane = new Map<string, number>();
    let overlapped = false;
    const order: string[] = [];
    await start({
      step: async ({ job }) => {
        const count = (runningPerLane.get(job.lane) ?? 0) + 1;
        runningPerLane.set(job.lane, count);
        if (count > 1) overlapped = true;
        order.push(`${job.lane}:start`);
        await new Promise((resolve) => setTimeout(resolve, 150));
        order.push(`${job.lane}:end`);
        runningPerLane.set(job.lane, count - 1);
      },
    }, { concurrency: 4 });
    const slow = lane();
    const other = lane();
    const jobs = [
      await queue.enqueue({ kind: "step", lane: slow }),
      await queue.enqueue({ kind: "step", lane: slow }),
      await queue.enqueue({ kind: "step", lane: slow }),
      await queue.enqueue({ kind: "step", lane: other }),
    ];
    for (const { job } of jobs) expect((await settled(job.id)).status).toBe("succeeded");
    expect(overlapped).toBe(false);
    // The other lane started while the slow lane's first job ran.
    expect(order.indexOf(`${other}:start`)).toBeLessThan(order.indexOf(`${slow}:end`));
  });

  test("an edit during a run gets a successor job, so nothing is lost", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runs: string[] = [];
    await start({ sync: async ({ job }) => { runs.push(job.id); if (runs.length === 1) await gate; } });
    const target = lane();
    const first = await queue.enqueue({ kind: "sync", lane: target, dedupeKey: `s:${target}`, dedupe: "debounce" });
    await settledStatus(first.job.id, "running");
    const during = await queue.enqueue({ kind: "sync", lane: target, dedupeKey: `s:${target}`, dedupe: "debounce" });
    expect(during.created).toBe(true);
    release();
    expect((await settled(first.job.id)).status).toBe("succeeded");
    expect((await settled(during.job.id)).status).toBe("succeeded");
    expect(runs).toEqual([first.job.id, during.job.id]);
  });

  test("a run that fails after an edit gave it a successor hands its work to that successor; nothing is left behind", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runs: string[] = [];
    await start({
      sync: async ({ job }) => {
        runs.push(job.id);
        if (runs.length === 1) {
          await gate;
          throw new Error("503 from Shopify");
        }
      },
    });
    const target = lane();
    const first = await queue.enqueue({ kind: "sync", lane: target, dedupeKey: `f:${target}`, dedupe: "debounce" });
    await settledStatus(first.job.id, "running");
    const during = await queue.enqueue({ kind: "sync", lane: target, dedupeKey: `f:${target}`, dedupe: "debounce" });
    expect(during.created).toBe(true);
    release();
    expect(await settled(first.job.id)).toMatchObject({ status: "cancelled", lastError: "503 from Shopify (a newer job with the same work is waiting)" });
    expect((await settled(during.job.id)).status).toBe("succeeded");
    expect(runs).toEqual([first.job.id, during.job.id]);
    for (const id of [first.job.id, during.job.id]) expect(await graphileJobs(id)).toEqual([]);
  });

  test("a job whose worker died is resumed even when an edit gave it a successor in the meantime", async () => {
    const target = lane();
    const { job } = await queue.enqueue({ kind: "resume", lane: target, dedupeKey: `d:${target}`, dedupe: "debounce" });
    // Locked by a worker of a process that died while running the job, as in the test below.
    await prisma.$executeRawUnsafe(`UPDATE graphile_worker._private_jobs SET locked_by = 'worker-of-a-dead-process', locked_at = now() - interval '1 minute', attempts = 1 WHERE payload->>'jobId' = $1`, job.id);
    await prisma.$executeRawUnsafe(`UPDATE graphile_worker._private_job_queues SET locked_by = 'worker-of-a-dead-process', locked_at = now() - interval '1 minute' WHERE queue_name = $1`, target);
    await prisma.job.update({ where: { id: job.id }, data: { status: "running", attempts: 1, leaseOwner: "worker-of-a-dead-process#1.1", leaseExpiresAt: new Date(Date.now() - 60_000) } });
    const during = await queue.enqueue({ kind: "resume", lane: target, dedupeKey: `d:${target}`, dedupe: "debounce" });
    expect(during.created).toBe(true);

    const ran: string[] = [];
    await start({ resume: async ({ job: running }) => void ran.push(running.id) }, { leaseMs: 1000 });
    expect(await settled(job.id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect((await settled(during.job.id)).status).toBe("succeeded");
    expect(ran).toEqual([job.id, during.job.id]);
  });

  test("retryable failures are retried by graphile-worker; permanent ones fail at once; exhausted ones are dead", async () => {
    let flaky = 0;
    await start({
      flaky: async () => {
        if (++flaky < 2) throw new Error("503 from Shopify");
        return { ok: true };
      },
      refuse: async () => {
        throw new PermanentJobError("Sync to this store is paused by the primary store");
      },
      broken: async () => {
        throw new Error("always 500");
      },
    });
    const retried = await queue.enqueue({ kind: "flaky", lane: lane() });
    const refused = await queue.enqueue({ kind: "refuse", lane: lane() });
    const exhausted = await queue.enqueue({ kind: "broken", lane: lane(), maxAttempts: 2 });
    const unknown = await queue.enqueue({ kind: "no-such-kind", lane: lane() });

    expect(await settled(refused.job.id)).toMatchObject({ status: "failed", attempts: 1, lastError: "Sync to this store is paused by the primary store" });
    expect(await settled(unknown.job.id)).toMatchObject({ status: "failed", lastError: "No handler for job kind no-such-kind" });
    // graphile-worker's backoff: about e^1 ≈ 3 s before the second attempt.
    expect(await settled(retried.job.id, 30_000)).toMatchObject({ status: "succeeded", attempts: 2, result: { ok: true } });
    expect(await settled(exhausted.job.id, 30_000)).toMatchObject({ status: "dead", attempts: 2, lastError: "always 500" });
    // Nothing is left for graphile-worker to run.
    for (const id of [retried.job.id, refused.job.id, exhausted.job.id, unknown.job.id]) expect(await graphileJobs(id)).toEqual([]);
  }, 60_000);

  test("a cancelled waiting job never runs; a running one stops at its next progress report", async () => {
    const ran: string[] = [];
    const waiting = await queue.enqueue({ kind: "count", lane: lane(), delayMs: 500 });
    expect((await queue.requestCancel(waiting.job.id))?.status).toBe("cancelled");
    await start({
      count: async ({ job }) => void ran.push(job.id),
      long: async ({ progress }) => {
        for (let i = 0; i < 200; i++) {
          await progress({ progressDone: i, progressTotal: 200 });
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      },
    });
    const running = await queue.enqueue({ kind: "long", lane: lane() });
    await settledStatus(running.job.id, "running");
    await queue.requestCancel(running.job.id);
    expect((await settled(running.job.id)).status).toBe("cancelled");
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(ran).toEqual([]);
    expect((await queue.get(waiting.job.id))?.status).toBe("cancelled");
  });

  test("the jobs of a worker that stopped without a word are freed after a lease and resumed from their checkpoint", async () => {
    const target = lane();
    const { job } = await queue.enqueue({ kind: "resume", lane: target });
    // A worker of a process that died (SIGKILL): it locked the job and its lane, saved a
    // checkpoint, and was never heard from again. graphile-worker alone would wait 4 hours.
    await prisma.$executeRawUnsafe(`UPDATE graphile_worker._private_jobs SET locked_by = 'worker-of-a-dead-process', locked_at = now() - interval '1 minute', attempts = 1 WHERE payload->>'jobId' = $1`, job.id);
    await prisma.$executeRawUnsafe(`UPDATE graphile_worker._private_job_queues SET locked_by = 'worker-of-a-dead-process', locked_at = now() - interval '1 minute' WHERE queue_name = $1`, target);
    await prisma.job.update({ where: { id: job.id }, data: { status: "running", attempts: 1, leaseOwner: "worker-of-a-dead-process#1.1", leaseExpiresAt: new Date(Date.now() - 60_000), checkpoint: JSON.stringify({ after: "p10" }), progressDone: 10 } });

    const resumedFrom: unknown[] = [];
    await start({ resume: async ({ job: resumed }) => void resumedFrom.push(resumed.checkpoint) }, { leaseMs: 1000 });
    expect(await settled(job.id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(resumedFrom).toEqual([{ after: "p10" }]);
  });

  test("graphile cron runs the stock check once per scheduled minute, however many workers run", async () => {
    // Two minutes were missed (last run two minutes before this one's start); both workers start
    // with a five-minute backfill, and each missed minute must run exactly once between them.
    await prisma.$executeRawUnsafe(`INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since, last_execution)
      VALUES ('tandem-reconcile', now() - interval '10 minutes', date_trunc('minute', now()) - interval '2 minutes')`);
    let runs = 0;
    const reconcile = async () => void runs++;
    const options = { databaseUrl: env.DATABASE_URL, rows: graphileJobRows(prisma), logger, handlers: {}, pollMs: 50, leaseMs: 2000, reconcile, reconcileSchedule: "* * * * *", reconcileBackfill: "5m" };
    const startedMinute = Math.floor(Date.now() / 60_000);
    workers.push(...(await Promise.all([startGraphileWorker(options), startGraphileWorker(options)])));
    // Until the backfill is done (the schedule's last execution is this minute or later) and every
    // run it queued has run: then each worker has had its chance to run a minute twice.
    for (const deadline = Date.now() + 30_000; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
      const [crontab] = await prisma.$queryRawUnsafe<{ last: Date | null }[]>(`SELECT last_execution AS last FROM graphile_worker._private_known_crontabs WHERE identifier = 'tandem-reconcile'`);
      const [queued] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT COUNT(*) AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'tandem-reconcile'`);
      if (crontab.last && Math.floor(crontab.last.getTime() / 60_000) >= startedMinute && Number(queued.n) === 0 && runs >= 2) break;
      if (Date.now() > deadline) throw new Error(`backfill not done: ${JSON.stringify({ last: crontab.last, queued: Number(queued.n), runs })}`);
    }
    // Two, or three if a new minute began meanwhile; twice as many would mean both workers ran them.
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(3);
  });

  test("a live worker's long job is not taken from it", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let starts = 0;
    // A lease a loaded machine's stall cannot outlast (heartbeats every third of it).
    await start({ long: async () => { starts++; await gate; } }, { leaseMs: 1500 });
    await start({ long: async () => { starts++; await gate; } }, { leaseMs: 1500 });
    const { job } = await queue.enqueue({ kind: "long", lane: lane() });
    await settledStatus(job.id, "running");
    // Several leases pass: both processes sweep for stopped workers, and find none (a slower
    // machine sweeps less often in this time: weaker, never wrongly failing).
    await new Promise((resolve) => setTimeout(resolve, 5000));
    release();
    expect(await settled(job.id)).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(starts).toBe(1);
  });
});
