// npm run sandbox: the whole product on this machine, offline. Starts the Shopify simulator with a
// seeded primary store, two dependents and a fourth store, installs the app in each (seeding its
// sessions), runs the app server and the worker against the simulator, then connects the network
// as its merchants would (the primary's role, one dependent by key, one by invitation, their
// preferences) and waits for the first Sync alls, so every dashboard shows a working network. The
// fourth store stays at onboarding. `npm run sandbox -- --fresh` leaves every store at onboarding.
// SANDBOX_DATABASE_URL (default file:./data/sandbox.sqlite) lets a test run it beside a user's.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import { decode } from "turbo-stream";
import { migrate } from "../app/db/migrate.server";
import { openSqlite, sqliteFileFromUrl } from "../app/db/sqlite.server";
import { isSimProfile, SIM_PROFILES } from "../sim/profiles";
import { startSimulator } from "../sim/server";
import { signSessionToken } from "../sim/session-token";
import { declaredScopes } from "./lib/app-toml";
import { WORKER_SCRIPT, ensureBuild } from "./lib/build";
import { freePortOr } from "./lib/ports";
import { SANDBOX_EUROPE_EXCHANGE_RATE, SANDBOX_PLAN, SANDBOX_STORES, SANDBOX_VARIANTS_PER_PRODUCT } from "./lib/sandbox-stores";
import { storeOfflineSession } from "./lib/sessions";

const SANDBOX_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const SANDBOX_APP = { apiKey: "tandem-sandbox", apiSecret: "tandem-sandbox-secret", handle: "tandem" };
const STORES = SANDBOX_STORES;
const [PRIMARY, OUTLET, EUROPE, TRIAL] = STORES;
const fresh = process.argv.includes("--fresh");

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

const databaseUrl = process.env.SANDBOX_DATABASE_URL ?? "file:./data/sandbox.sqlite";
const databaseFile = sqliteFileFromUrl(databaseUrl);
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(databaseFile + suffix, { force: true });
const db = openSqlite(databaseFile);
migrate(db);
db.close();

for (const store of STORES) {
  await sim.control.createStore({ domain: store.domain, name: store.name, currencyCode: store.currencyCode, ianaTimezone: store.ianaTimezone, locations: [...store.locations] });
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

/** A form post from inside the embedded app, as the admin sends it (a session token of the store). */
async function adminPost(shop: string, route: string, fields: Record<string, string>) {
  const token = signSessionToken({ shop, apiKey: SANDBOX_APP.apiKey, apiSecret: SANDBOX_APP.apiSecret });
  const response = await fetch(`${appUrl}${route}.data`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": SANDBOX_USER_AGENT },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, text: await response.text() };
}
async function adminGet(shop: string, route: string) {
  const token = signSessionToken({ shop, apiKey: SANDBOX_APP.apiKey, apiSecret: SANDBOX_APP.apiSecret });
  return (await fetch(`${appUrl}${route}.data`, { headers: { Authorization: `Bearer ${token}`, "User-Agent": SANDBOX_USER_AGENT } })).text();
}
/** A page's loader data, decoded from Remix's single-fetch stream. */
async function adminData<T>(shop: string, route: string): Promise<T> {
  const { value, done } = await decode(new Response(await adminGet(shop, route)).body!);
  await done;
  return (value as Record<string, { data: T }>)[`routes/${route.slice(1).replace(/\//g, ".")}`].data;
}

// The sandbox's stores buy the Pro plan (test charges) through the real billing flow, so that the
// primary's 500 products all sync: the app creates the charge, the "merchant" approves it on the
// simulator's confirmation page, and Shopify's webhook activates the plan.
for (const store of STORES) {
  const chosen = await adminPost(store.domain, "/app/plan", { intent: "choose", plan: SANDBOX_PLAN });
  const confirmationUrl = chosen.text.match(/https?:\/\/[^"]+\/charges\/\d+\/confirm/)?.[0];
  if (!confirmationUrl) {
    console.error(`Could not subscribe ${store.domain} to the ${SANDBOX_PLAN} plan (HTTP ${chosen.status}); it stays on Free.`);
    continue;
  }
  await fetch(`${confirmationUrl}?decision=approve`, { redirect: "manual" });
}
await sim.control.webhooksIdle();

/** Fails the sandbox with what the app answered, when a step of the network's setup does not take. */
async function expectDone(step: string, answer: { status: number; text: string }) {
  const { value, done } = await decode(new Response(answer.text).body!);
  await done;
  // Every answer of these steps says `ok`; an invitation also says it per address.
  if (answer.status >= 400 || JSON.stringify(value).includes('"ok":false')) {
    console.error(`Setting up the sandbox's network failed at "${step}" (HTTP ${answer.status}): ${answer.text.slice(0, 500)}`);
    void stop(1);
    throw new Error(step);
  }
}

/**
 * The network as its merchants set it up: the primary's role; the outlet connects with the
 * primary's key; the primary invites Europe, which accepts; each dependent saves its preferences,
 * which starts its first Sync all. Returns once both Sync alls have finished.
 */
async function connectNetwork() {
  await expectDone("primary role", await adminPost(PRIMARY.domain, "/app/onboarding", { intent: "choose-role", role: "primary" }));
  const key = (await adminGet(PRIMARY.domain, "/app/settings")).match(/TNDM(-[0-9A-Z]{4}){8}/)?.[0];
  if (!key) throw new Error("the primary's connection key was not shown");
  const preferences = { intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true" };

  await expectDone("outlet role", await adminPost(OUTLET.domain, "/app/onboarding", { intent: "choose-role", role: "dependent" }));
  await expectDone("outlet connects with the key", await adminPost(OUTLET.domain, "/app/onboarding", { intent: "connect-key", key }));
  await expectDone("outlet preferences", await adminPost(OUTLET.domain, "/app/settings", preferences));

  await expectDone("primary invites Europe", await adminPost(PRIMARY.domain, "/app/settings", { intent: "invite", addresses: EUROPE.domain }));
  const inviteId = (await adminData<{ invites: { id: string }[] }>(EUROPE.domain, "/app/onboarding")).invites[0]?.id;
  if (!inviteId) throw new Error("Europe's invitation was not shown");
  await expectDone("Europe accepts", await adminPost(EUROPE.domain, "/app/onboarding", { intent: "accept-invite", inviteId }));
  await expectDone("Europe preferences", await adminPost(EUROPE.domain, "/app/settings", { ...preferences, priceExchangeRate: SANDBOX_EUROPE_EXCHANGE_RATE }));

  // The first Sync alls: followed on the primary's own status data, as its dashboard does.
  const deadline = Date.now() + 15 * 60_000;
  let last = "";
  for (;;) {
    const status = await adminData<{ tasks: { status: string }[]; counts: Record<string, { linked: number }> }>(PRIMARY.domain, "/app/sync");
    const linked = Object.values(status.counts).map((count) => count.linked);
    const done = linked.length >= 2 && linked.every((count) => count >= PRIMARY.products) && !status.tasks.some((task) => task.status === "queued" || task.status === "running");
    const line = `  first Sync all: ${linked.map((count) => `${count}/${PRIMARY.products}`).join(", ") || "starting"}`;
    if (line !== last) console.log((last = line));
    if (done) return;
    if (Date.now() > deadline) throw new Error("the first Sync alls did not finish within 15 minutes");
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

if (!fresh) {
  console.log("Connecting the sandbox's network: the primary, the outlet by key, Europe by invitation…");
  await connectNetwork();
}

const adminUrl = (store: (typeof STORES)[number]) => `${sim.origin}/admin/${store.domain}/apps/${SANDBOX_APP.handle}`;
const roles = fresh
  ? STORES.map((store) => `  ${store.name.padEnd(16)} ${adminUrl(store)}   (onboarding)`)
  : [
    `  ${PRIMARY.name.padEnd(16)} ${adminUrl(PRIMARY)}   primary, ${PRIMARY.products} products`,
    `  ${OUTLET.name.padEnd(16)} ${adminUrl(OUTLET)}   dependent (connected by key)`,
    `  ${EUROPE.name.padEnd(16)} ${adminUrl(EUROPE)}   dependent (by invitation, prices × ${SANDBOX_EUROPE_EXCHANGE_RATE} in EUR)`,
    `  ${TRIAL.name.padEnd(16)} ${adminUrl(TRIAL)}   not set up: try onboarding here`,
  ];
const control = `${sim.origin}/_control/stores`;
const firstProductId = sim.world.stores.get(PRIMARY.domain)?.products.keys().next().value;
console.log(`
Tandem sandbox is running (Ctrl+C to stop).

  Shopify simulator   ${sim.origin}   (control API: ${control}; profile ${profile}, see sim/README.md)
  Tandem app          ${appUrl}

Every store is on the ${SANDBOX_PLAN} plan (test charges). Open the app inside each store's admin:
${roles.join("\n")}
${fresh ? "" : `
Try next (watch the dependents' dashboards and Sync log; Shopify's webhooks take 1-3 s here):
  # sell 2 units on the outlet: the primary and Europe drop by 2 too
  curl -s -X POST ${control}/${OUTLET.domain}/orders -H 'Content-Type: application/json' -d '{"lines":[{"sku":"TND-00001-1","quantity":2}],"paid":true}'
  # restock on the primary: every dependent follows
  curl -s -X POST ${control}/${PRIMARY.domain}/inventory -H 'Content-Type: application/json' -d '{"sku":"TND-00001-1","location":"Warehouse","delta":10}'
  # see any store's catalogue and levels
  curl -s ${control}/${EUROPE.domain}/snapshot
  # a product's page in the primary's admin, with Tandem's product block (its state in each store, Sync now)
  ${sim.origin}/admin/${PRIMARY.domain}/products/${firstProductId}
`}
Dashboard URL: ${adminUrl(PRIMARY)}
`);
