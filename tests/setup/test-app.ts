import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { declaredScopes } from "../../scripts/lib/app-toml";
import { freePort } from "../../scripts/lib/ports";

export { freePort };
import { type Simulator, startSimulator } from "../../sim/server";
import { signSessionToken } from "../../sim/session-token";
import { readAppToml, signWebhook } from "../../sim/webhooks/dispatcher";

export const TEST_API_KEY = "tandem-test-api-key";
/** The version Shopify delivers the app's webhooks in ([webhooks] api_version in shopify.app.toml). */
const WEBHOOK_API_VERSION = readAppToml(path.resolve(import.meta.dirname, "../../shopify.app.toml")).apiVersion;
export const TEST_API_SECRET = "tandem-test-api-secret";
export const TEST_TANDEM_SECRET = "tandem-test-secret-0123456789abcdef0123";
export const TEST_SCOPES = declaredScopes();
// Node's fetch says "node" as its user agent, which the library's bot filter answers with 410.
export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/** A fresh SQLite file for one test, inside the Vitest worker's own directory. */
export function sqliteTestDatabaseUrl(): string {
  const worker = process.env.VITEST_POOL_ID ?? "0";
  return `file:${path.resolve("data/test", `worker-${worker}-${crypto.randomUUID()}.sqlite`)}`;
}

/**
 * The server of the PostgreSQL pass (scripts/test-postgres.ts sets it), or undefined in the
 * SQLite pass. Tests that need PostgreSQL run in that pass only (app/jobs/graphile.server.test.ts).
 */
export function testPostgresServerUrl(): string | undefined {
  return process.env.TANDEM_TEST_POSTGRES_URL || undefined;
}

/** A new database's URL on a PostgreSQL server: the app's migration creates it on first start. */
export function postgresDatabaseUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/tandem_test_${crypto.randomUUID().replace(/-/g, "")}`;
  return url.toString();
}

/** A fresh database for one test: a SQLite file, or in the PostgreSQL pass a new database there. */
export function testDatabaseUrl(): string {
  const server = testPostgresServerUrl();
  return server ? postgresDatabaseUrl(server) : sqliteTestDatabaseUrl();
}

export type TestApp = {
  origin: string;
  /** The app server's process id. */
  pid: number;
  databaseUrl: string;
  env: Record<string, string>;
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL: the process dies mid-request, nothing cleaned up. */
  kill(): Promise<void>;
};

export function testAppEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    TANDEM_SECRET: TEST_TANDEM_SECRET,
    SCOPES: TEST_SCOPES,
    DATABASE_URL: testDatabaseUrl(),
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    TANDEM_IGNORE_DOTENV: "1",
    // npm test runs the sync suites a second time at the previous API version (package.json).
    ...(process.env.SHOPIFY_API_VERSION ? { SHOPIFY_API_VERSION: process.env.SHOPIFY_API_VERSION } : {}),
    ...overrides,
  };
}

/**
 * Runs `scripts/start.ts` (the production server over the real build) and waits until it listens.
 * A free port can be taken by another test process between choosing and listening: then it tries
 * another one.
 */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  for (let attempt = 1; ; attempt++) {
    const port = overrides.PORT ? Number(overrides.PORT) : await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env = testAppEnv({ SHOPIFY_APP_URL: origin, PORT: String(port), ...overrides });
    const child = spawn(process.execPath, [...profilingArgs(), "--import", "tsx", "scripts/start.ts"], {
      env: childEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    try {
      await waitForListening(child, () => output);
    } catch (error) {
      if (!overrides.PORT && attempt < 3 && output.includes("EADDRINUSE")) continue;
      throw error;
    }
    return {
      origin,
      pid: child.pid!,
      databaseUrl: env.DATABASE_URL,
      env,
      output: () => output,
      stop: () => stopProcess(child),
      kill: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
      },
    };
  }
}

/** Only what a child process needs: the test's own variables, never the developer's shell settings. */
/**
 * Extra node arguments for the app and worker processes tests and benchmarks start, from
 * TANDEM_PROFILE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": node refuses those in NODE_OPTIONS).
 */
export function profilingArgs(): string[] {
  return (process.env.TANDEM_PROFILE_ARGS ?? "").split(" ").filter(Boolean);
}

export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", ...env };
}

async function waitForListening(child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (!output().includes("listening on")) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}: ${output()}`);
    if (Date.now() > deadline) throw new Error(`app did not start in 30 s: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM, then SIGKILL after a grace period; a slow shutdown is reported, not waited for forever. */
export async function stopProcess(child: ChildProcess, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => {
    process.stderr.write(`process ${child.pid} (${child.spawnargs.slice(-1)[0]}) did not stop within ${graceMs} ms of SIGTERM: killed\n`);
    child.kill("SIGKILL");
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** A webhook delivered the way Shopify (and the simulator) sends it, signed with `secret`. */
export function postSignedWebhook(origin: string, { path, topic, shop, body, secret = TEST_API_SECRET, eventId = crypto.randomUUID() }: {
  path: string;
  topic: string;
  shop: string;
  body: Record<string, unknown>;
  secret?: string;
  eventId?: string;
}) {
  const raw = JSON.stringify(body);
  return fetch(new URL(path, origin), {
    method: "POST",
    body: raw,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": signWebhook(raw, secret),
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": WEBHOOK_API_VERSION,
      "X-Shopify-Webhook-Id": crypto.randomUUID(),
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
  });
}

export function sessionToken(shop: string, overrides: Parameters<typeof signSessionToken>[1] = {}) {
  return signSessionToken({ shop, apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET }, overrides);
}

/** Headers of a fetch/XHR request made from inside the embedded app (App Bridge adds the bearer). */
export function bearerHeaders(shop: string): Record<string, string> {
  return { Authorization: `Bearer ${sessionToken(shop)}`, "User-Agent": BROWSER_USER_AGENT };
}

export type TestNetwork = {
  app: TestApp;
  sim: Simulator;
  stop(): Promise<void>;
  /** Kills the app with SIGKILL and starts it again on the same port and database (the simulator keeps its address). */
  killAndRestartApp(): Promise<void>;
};

/**
 * The real app wired to a fresh simulator, as in the sandbox: Admin API calls, token exchange and
 * App Bridge all go to the simulator. Stores are created by the test.
 */
export async function startAppWithSimulator(overrides: Record<string, string> = {}): Promise<TestNetwork> {
  for (let attempt = 1; ; attempt++) {
    const appPort = await freePort();
    const appUrl = `http://127.0.0.1:${appPort}`;
    const sim = await startSimulator({ app: { apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, appUrl, handle: "tandem" }, timeScale: 0.001 });
    let app: TestApp;
    try {
      app = await startTestApp({
        PORT: String(appPort),
        SHOPIFY_APP_URL: appUrl,
        SHOPIFY_ADMIN_API_ORIGIN: sim.origin,
        APP_BRIDGE_SCRIPT_URL: `${sim.origin}/cdn/app-bridge.js`,
        ...overrides,
      });
    } catch (error) {
      await sim.close();
      // The simulator knows the app's URL, so a port taken meanwhile means starting both again.
      if (attempt < 3 && String(error).includes("EADDRINUSE")) continue;
      throw error;
    }
    const network: TestNetwork = {
      app,
      sim,
      stop: async () => {
        await network.app.stop();
        await sim.close();
      },
      killAndRestartApp: async () => {
        await network.app.kill();
        network.app = await startTestApp(network.app.env);
      },
    };
    return network;
  }
}
