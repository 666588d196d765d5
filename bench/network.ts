// The real app, a worker and the simulator for benchmarks: stores connected over HTTP as merchants
// do (onboarding, key, preferences), then a way to wait until every job and webhook is done.
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrismaClient } from "../app/db/prisma-client.server";
import { WORKER_SCRIPT } from "../scripts/lib/build";
import { shownText } from "../tests/setup/shown";
import { type BenchProfile, benchProfile } from "./profile";
import { bearerHeaders, childEnv, profilingArgs, startAppWithSimulator, stopProcess } from "../tests/setup/test-app";

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export type BenchNetwork = Awaited<ReturnType<typeof startBenchNetwork>>;

/** TANDEM_* settings of the benchmark's own environment, for the app and workers (to compare settings). */
function tandemSettingsOfEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith("TANDEM_") && entry[0] !== "TANDEM_PROFILE_ARGS" && entry[1] !== undefined));
}

/** The app, the simulator under `profile` (BENCH_PROFILE's by default, bench/profile.ts) and a database. */
export async function startBenchNetwork(env: Record<string, string> = {}, profile: BenchProfile = benchProfile()) {
  // A database file of its own outside data/test, which every Vitest run empties: a test run
  // beside a benchmark would otherwise delete the benchmark's database under it.
  fs.mkdirSync(path.resolve("data/bench"), { recursive: true });
  const databaseUrl = `file:${path.resolve("data/bench", `bench-${process.pid}-${crypto.randomUUID()}.sqlite`)}`;
  const network = await startAppWithSimulator({ DATABASE_URL: databaseUrl, TANDEM_RECONCILE_INTERVAL_MS: "0", ...tandemSettingsOfEnvironment(), ...env });
  await network.sim.control.setChaos(profile.chaos);
  // BENCH_APP_NICE=19: the app's webhook intake gets only the CPU the worker and the simulator leave
  // (as when the app runs on machines of its own), to see what that intake costs a Sync all here.
  if (process.env.BENCH_APP_NICE) os.setPriority(network.app.pid, Number(process.env.BENCH_APP_NICE));
  const prisma = createPrismaClient(network.app.databaseUrl);
  const { control } = network.sim;
  const post = async (shop: string, route: string, fields: Record<string, string>) => {
    const response = await fetch(new URL(`${route}.data`, network.app.origin), {
      method: "POST", headers: { ...bearerHeaders(shop), "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields),
    });
    return shownText(await response.text());
  };
  const workers: ChildProcess[] = [];
  let output = "";
  const startWorker = async (extra: Record<string, string> = {}) => {
    const worker = spawn(process.execPath, [...profilingArgs(), WORKER_SCRIPT], { env: childEnv({ ...network.app.env, ...extra }), stdio: ["ignore", "pipe", "pipe"] });
    let mine = "";
    const collect = (chunk: Buffer) => {
      mine += chunk;
      output += chunk;
    };
    worker.stdout!.on("data", collect);
    worker.stderr!.on("data", collect);
    while (!mine.includes("Tandem worker ready")) {
      if (worker.exitCode !== null) throw new Error(`worker exited: ${mine}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    workers.push(worker);
    return worker;
  };
  /** Until no job waits or runs and every webhook is delivered, three checks in a row. */
  const idle = async () => {
    for (let quiet = 0; quiet < 3; ) {
      // A worker that died (out of memory, say) would leave its job running forever: say so instead.
      const dead = workers.find((worker) => worker.exitCode !== null || worker.signalCode !== null);
      if (dead) throw new Error(`worker ${dead.pid} stopped (${dead.signalCode ?? `exit ${dead.exitCode}`}):\n${output.slice(-3000)}`);
      // A long backlog of webhooks can outlast one HTTP request's wait: ask again.
      while (!(await control.webhooksIdle().then(() => true, () => false)));
      quiet = (await prisma.job.count({ where: { status: { in: ["queued", "running"] } } })) === 0 ? quiet + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** Onboards a primary and its dependents over HTTP, each dependent with these preferences. */
  const connect = async (primary: string, dependents: string[], preferences: Record<string, string> = {}) => {
    await post(primary, "/app/onboarding", { intent: "choose-role", role: "primary" });
    const key = (await fetch(new URL("/app/settings.data", network.app.origin), { headers: bearerHeaders(primary) }).then((r) => r.text())).match(/TNDM(-[0-9A-Z]{4}){8}/)![0];
    for (const shop of dependents) {
      await post(shop, "/app/onboarding", { intent: "choose-role", role: "dependent" });
      await post(shop, "/app/onboarding", { intent: "connect-key", key });
      const saved = await post(shop, "/app/settings", { intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true", ...preferences });
      if (!saved.includes("Preferences saved")) throw new Error(`${shop}: ${saved}`);
    }
  };
  /** Buys Tandem's plan for these stores the way a merchant does (charge approved, then Shopify's webhook). */
  const choosePlan = async (shops: string[], plan: string) => {
    for (const shop of shops) {
      const chosen = await post(shop, "/app/plan", { intent: "choose", plan });
      const confirmationUrl = chosen.match(/https?:\/\/[^"]+\/charges\/\d+\/confirm/)?.[0];
      if (!confirmationUrl) throw new Error(`${shop}: no charge to approve: ${chosen}`);
      await fetch(`${confirmationUrl}?decision=approve`, { redirect: "manual" });
    }
    await control.webhooksIdle();
  };
  return {
    app: network.app, sim: network.sim, control, prisma, profile, post, startWorker, idle, connect, choosePlan,
    workerOutput: () => output,
    stop: async () => {
      for (const worker of workers) await stopProcess(worker);
      // BENCH_WORKER_LOG=file: the workers' log of the run, to see where its time went.
      if (process.env.BENCH_WORKER_LOG) fs.appendFileSync(process.env.BENCH_WORKER_LOG, output);
      await prisma.$disconnect();
      await network.stop();
      if (databaseUrl === network.app.databaseUrl) for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(databaseUrl.slice("file:".length) + suffix, { force: true });
    },
  };
}
