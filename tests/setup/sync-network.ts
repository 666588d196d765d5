import { shownText } from "./shown";
import { type ChildProcess, spawn } from "node:child_process";
import { expect } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { createPrismaClient } from "../../app/db/prisma-client.server";
import { embeddedAppUrl } from "../../sim/admin-frame";
import type { StoreSnapshot } from "../../sim/snapshot";
import { BROWSER_USER_AGENT, TEST_API_KEY, TEST_API_SECRET, bearerHeaders, childEnv, startAppWithSimulator, stopProcess, type TestNetwork } from "./test-app";
import { WORKER_SCRIPT } from "../../scripts/lib/build";

/** Fast timings for tests: short debounce, quick polling, short leases (a killed worker's job returns soon). */
export const FAST_JOB_ENV = {
  TANDEM_SYNC_DEBOUNCE_MS: "100",
  // Short in tests; long enough for a sale's order webhook to land before its level would be set back.
  TANDEM_SALE_GRACE_MS: "1500",
  TANDEM_WORKER_POLL_MS: "50",
  TANDEM_JOB_LEASE_MS: "1500",
};

export type SyncNetwork = TestNetwork & {
  prisma: PrismaClient;
  /** `text` is the raw response; `shown` its data with every message in English (tests/setup/shown.ts). */
  post(shop: string, route: string, fields: Record<string, string>): Promise<{ status: number; text: string; shown: string }>;
  load(shop: string, route: string): Promise<{ status: number; text: string; shown: string }>;
  /** The server-rendered page as the admin iframe first loads it (what the merchant reads). */
  page(shop: string, route: string): Promise<{ status: number; html: string }>;
  startWorker(env?: Record<string, string>): Promise<ChildProcess>;
  /** Kills every running worker with SIGKILL (a crash: leases lapse, nothing is cleaned up). */
  killWorkers(): Promise<void>;
  /** Kills the running worker whose process id appears in a job's lease owner, with SIGKILL; returns its pid. */
  killWorkerRunning(leaseOwner: string): Promise<number>;
  /** How many worker processes are alive. */
  liveWorkers(): number;
  /** Starts a worker unless one is running (for tests that may run alone). */
  ensureWorker(): Promise<void>;
  /** Everything the workers printed (for failure messages). */
  workerOutput(): string;
  /** Waits until no job is waiting or running and the simulator has delivered every webhook. */
  idle(timeoutMs?: number): Promise<void>;
};

/** The app, the simulator and a worker process, all real, on one fresh database. */
export async function startSyncNetwork(env: Record<string, string> = {}): Promise<SyncNetwork> {
  const network = await startAppWithSimulator({ ...FAST_JOB_ENV, ...env });
  const prisma = createPrismaClient(network.app.databaseUrl);
  const workers: ChildProcess[] = [];
  let output = "";

  const post = async (shop: string, route: string, fields: Record<string, string>) => {
    const response = await fetch(new URL(`${route}.data`, network.app.origin), {
      method: "POST",
      headers: { ...bearerHeaders(shop), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    const text = await response.text();
    return { status: response.status, text, shown: await shownText(text) };
  };
  const load = async (shop: string, route: string) => {
    const [path, query] = route.split("?");
    const response = await fetch(new URL(`${path}.data${query ? `?${query}` : ""}`, network.app.origin), { headers: bearerHeaders(shop) });
    const text = await response.text();
    return { status: response.status, text, shown: await shownText(text) };
  };

  const page = async (shop: string, route: string) => {
    const url = new URL(embeddedAppUrl({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl: network.app.origin, handle: "tandem" }, shop, { path: route }));
    const response = await fetch(url, { headers: { "User-Agent": BROWSER_USER_AGENT } });
    return { status: response.status, html: await response.text() };
  };

  async function startWorker(extra: Record<string, string> = {}) {
    const child = spawn(process.execPath, [WORKER_SCRIPT], {
      env: childEnv({ ...network.app.env, ...extra }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    workers.push(child);
    const deadline = Date.now() + 20_000;
    while (!output.includes("Tandem worker ready")) {
      if (child.exitCode !== null) throw new Error(`worker exited: ${output}`);
      if (Date.now() > deadline) throw new Error(`worker did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return child;
  }

  const live = () => workers.filter((w) => w.exitCode === null && w.signalCode === null);
  const kill = (worker: ChildProcess) => new Promise<void>((resolve) => {
    worker.once("exit", () => resolve());
    worker.kill("SIGKILL");
  });

  async function idle(timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (let quiet = 0; quiet < 3; ) {
      await network.sim.control.webhooksIdle();
      const busy = await prisma.job.count({ where: { status: { in: ["queued", "running"] } } });
      quiet = busy === 0 ? quiet + 1 : 0;
      if (Date.now() > deadline) {
        const jobs = await prisma.job.findMany({ where: { status: { in: ["queued", "running"] } } });
        throw new Error(`jobs still busy after ${timeoutMs} ms: ${JSON.stringify(jobs.map((j) => [j.kind, j.lane, j.status, j.lastError]))}\n${output.slice(-3000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  return {
    // The app of the moment: killAndRestartApp replaces it.
    get app() {
      return network.app;
    },
    sim: network.sim,
    killAndRestartApp: () => network.killAndRestartApp(),
    prisma,
    post,
    load,
    page,
    workerOutput: () => output,
    startWorker,
    killWorkers: async () => {
      await Promise.all(live().map(kill));
    },
    killWorkerRunning: async (leaseOwner) => {
      // Lease owners name their process: worker-<pid>-… (SQLite) or …#<host>:<pid>:… (graphile-worker).
      const target = live().find((w) => new RegExp(`(^worker-|:)${w.pid}[-:]`).test(leaseOwner));
      if (!target) throw new Error(`no live worker runs ${leaseOwner} (workers: ${live().map((w) => w.pid).join(", ")})`);
      await kill(target);
      return target.pid!;
    },
    liveWorkers: () => live().length,
    ensureWorker: async () => {
      if (!workers.some((w) => w.exitCode === null && w.signalCode === null)) await startWorker();
    },
    idle,
    stop: async () => {
      await Promise.all(workers.map((w) => stopProcess(w)));
      await prisma.$disconnect();
      await network.stop();
    },
  };
}

/** The merchant picks a paid plan: the app answers with Shopify's confirmation page for the charge. */
export async function startCharge(network: SyncNetwork, shop: string, plan: string): Promise<string> {
  const chosen = await network.post(shop, "/app/plan", { intent: "choose", plan });
  expect(chosen.status).toBe(200);
  const confirmationUrl = chosen.text.match(/https?:\/\/[^"]+\/charges\/\d+\/confirm/)?.[0];
  expect(confirmationUrl, chosen.text).toBeDefined();
  return confirmationUrl!;
}

/**
 * Puts a store on a plan through the real billing flow: the app creates the charge, the merchant
 * approves it on the simulator's confirmation page, Shopify's webhook activates the plan.
 */
export async function choosePlan(network: SyncNetwork, shop: string, plan: string) {
  const store = await network.prisma.store.findUnique({ where: { shop } });
  if (store?.plan === plan) return;
  const confirmationUrl = await startCharge(network, shop, plan);
  const approved = await fetch(`${confirmationUrl}?decision=approve`, { redirect: "manual" });
  expect(approved.status).toBe(302);
  await network.sim.control.webhooksIdle();
  expect((await network.prisma.store.findUniqueOrThrow({ where: { shop } })).plan).toBe(plan);
}

/**
 * Onboards a primary and dependents over HTTP, as merchants would, with the given preferences;
 * with `plan`, every store first subscribes to that plan.
 */
export async function connectStores(
  network: SyncNetwork,
  primary: string,
  dependents: Array<{ shop: string; preferences?: Record<string, string> }>,
  { plan }: { plan?: string } = {},
) {
  if (plan) for (const shop of [primary, ...dependents.map((d) => d.shop)]) await choosePlan(network, shop, plan);
  expect((await network.post(primary, "/app/onboarding", { intent: "choose-role", role: "primary" })).status).toBe(200);
  const key = (await network.load(primary, "/app/settings")).text.match(/TNDM(-[0-9A-Z]{4}){8}/)![0];
  for (const { shop, preferences } of dependents) {
    const role = await network.post(shop, "/app/onboarding", { intent: "choose-role", role: "dependent" });
    expect(role.status, role.text).toBe(200);
    const connected = await network.post(shop, "/app/onboarding", { intent: "connect-key", key });
    expect(connected.status, connected.text).toBe(200);
    expect(await network.prisma.connection.count({ where: { dependentShop: shop, status: "connected" } }), `${shop} did not connect: ${connected.text}`).toBe(1);
    const saved = await network.post(shop, "/app/settings", {
      intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true", ...preferences,
    });
    expect(saved.shown).toContain("Preferences saved");
  }
}

/** Polls `read` until `done` holds (every 10 ms), or fails with the last value it saw. */
/** Presses Sync all in the primary's admin and waits until every job it started has ended. */
export async function syncAll(network: SyncNetwork, primary: string) {
  const started = await network.post(primary, "/app/sync", { intent: "sync-all" });
  expect(started.shown).toContain("Sync all started");
  await network.idle();
}

export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every SKU of a store's snapshot, sorted (for equality of two catalogues). */
export function snapshotSkus(snapshot: StoreSnapshot): string[] {
  return snapshot.products.flatMap((p) => p.variants.map((v) => v.sku)).filter((s): s is string => s !== null).sort();
}
