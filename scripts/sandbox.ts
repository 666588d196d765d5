// npm run sandbox: the whole product on this machine, offline. Starts the Shopify simulator with a
// seeded primary store and two dependents, installs the app in each (seeding its sessions), runs
// the app server and the worker against the simulator, and prints the admin URLs to open.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { migrate } from "../app/db/migrate.server";
import { openSqlite, sqliteFileFromUrl } from "../app/db/sqlite.server";
import { isSimProfile, SIM_PROFILES } from "../sim/profiles";
import { startSimulator } from "../sim/server";
import { signSessionToken } from "../sim/session-token";
import { declaredScopes } from "./lib/app-toml";
import { WORKER_SCRIPT, ensureBuild } from "./lib/build";
import { freePortOr } from "./lib/ports";
import { SANDBOX_PLAN, SANDBOX_STORES, SANDBOX_VARIANTS_PER_PRODUCT } from "./lib/sandbox-stores";
import { storeOfflineSession } from "./lib/sessions";

const SANDBOX_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const SANDBOX_APP = { apiKey: "tandem-sandbox", apiSecret: "tandem-sandbox-secret", handle: "tandem" };
const STORES = SANDBOX_STORES;

ensureBuild();

const simPort = await freePortOr(Number(process.env.SANDBOX_SIM_PORT ?? 4100));
const appPort = await freePortOr(Number(process.env.SANDBOX_APP_PORT ?? 3000));
const appUrl = `http://127.0.0.1:${appPort}`;
const scopes = declaredScopes();

// Shopify's clock by default (sim/profiles.ts); SANDBOX_PROFILE=instant answers at CPU speed.
const profile = process.env.SANDBOX_PROFILE ?? "realistic";
if (!isSimProfile(profile)) {
  console.error(`SANDBOX_PROFILE must be one of ${Object.keys(SIM_PROFILES).join(", ")}, got ${profile}`);
  process.exit(1);
}
const sim = await startSimulator({
  port: simPort,
  app: { ...SANDBOX_APP, appUrl },
  chaos: SIM_PROFILES[profile],
});

const databaseUrl = "file:./data/sandbox.sqlite";
const databaseFile = sqliteFileFromUrl(databaseUrl);
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(databaseFile + suffix, { force: true });
const db = openSqlite(databaseFile);
migrate(db);
db.close();

for (const store of STORES) {
  await sim.control.createStore({ domain: store.domain, name: store.name, currencyCode: store.currencyCode, locations: [...store.locations] });
  if (store.products > 0) await sim.control.seed(store.domain, { products: store.products, variantsPerProduct: SANDBOX_VARIANTS_PER_PRODUCT, seed: store.products });
  const { accessToken } = await sim.control.install(store.domain, scopes.split(","));
  await storeOfflineSession(databaseUrl, { shop: store.domain, accessToken, scope: scopes });
}

const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: "production",
  TANDEM_IGNORE_DOTENV: "1",
  SHOPIFY_API_KEY: SANDBOX_APP.apiKey,
  SHOPIFY_API_SECRET: SANDBOX_APP.apiSecret,
  TANDEM_SECRET: "sandbox-only-secret-0123456789abcdef0123456789",
  SHOPIFY_APP_URL: appUrl,
  SCOPES: scopes,
  DATABASE_URL: databaseUrl,
  SHOPIFY_ADMIN_API_ORIGIN: sim.origin,
  APP_BRIDGE_SCRIPT_URL: `${sim.origin}/cdn/app-bridge.js`,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  PORT: String(appPort),
};

const children: ChildProcess[] = [];
function run(name: string, args: string[]) {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (chunk: Buffer) => chunk.toString().split("\n").filter(Boolean).map((line) => `[${name}] ${line}`).join("\n") + "\n";
  child.stdout!.on("data", (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping the sandbox`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stop(code = 0) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await sim.close();
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

const app = run("app", ["--import", "tsx", "scripts/start.ts"]);
run("worker", [WORKER_SCRIPT]);

await new Promise<void>((resolve) => {
  const onData = (chunk: Buffer) => {
    if (chunk.toString().includes("listening on")) {
      app.stdout!.off("data", onData);
      resolve();
    }
  };
  app.stdout!.on("data", onData);
});

// The sandbox's stores buy the Pro plan (test charges) through the real billing flow, so that the
// primary's 500 products all sync: the app creates the charge, the "merchant" approves it on the
// simulator's confirmation page, and Shopify's webhook activates the plan.
for (const store of STORES) {
  const token = signSessionToken({ shop: store.domain, apiKey: SANDBOX_APP.apiKey, apiSecret: SANDBOX_APP.apiSecret });
  const chosen = await fetch(`${appUrl}/app/plan.data`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": SANDBOX_USER_AGENT },
    body: new URLSearchParams({ intent: "choose", plan: SANDBOX_PLAN }),
  });
  const confirmationUrl = (await chosen.text()).match(/https?:\/\/[^"]+\/charges\/\d+\/confirm/)?.[0];
  if (!confirmationUrl) {
    console.error(`Could not subscribe ${store.domain} to the ${SANDBOX_PLAN} plan (HTTP ${chosen.status}); it stays on Free.`);
    continue;
  }
  await fetch(`${confirmationUrl}?decision=approve`, { redirect: "manual" });
}
await sim.control.webhooksIdle();

console.log(`
Tandem sandbox is running (Ctrl+C to stop).

  Shopify simulator   ${sim.origin}   (control API: ${sim.origin}/_control/stores; profile ${profile}, see sim/README.md)
  Tandem app          ${appUrl}

Every store is on the ${SANDBOX_PLAN} plan (test charges). Open the app inside each store's admin:
${STORES.map((store) => `  ${store.name.padEnd(16)} ${sim.origin}/admin/${store.domain}/apps/${SANDBOX_APP.handle}`).join("\n")}

Dashboard URL: ${sim.origin}/admin/${STORES[0].domain}/apps/${SANDBOX_APP.handle}
`);
