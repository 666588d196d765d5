import { afterAll, beforeAll, expect, test } from "vitest";
import { createPrismaClient } from "../../app/db/prisma-client.server";
import { shownText } from "../setup/shown";
import { bearerHeaders, startAppWithSimulator, startTestApp, TEST_TANDEM_SECRET, type TestApp, type TestNetwork } from "../setup/test-app";

// TANDEM_SECRET protects connection keys at rest. Rotating it must not break any primary's pages,
// and a key protected under the previous secret keeps working while it is re-protected.
const PRIMARY = "rotate-primary.myshopify.com";
const FIRST = "rotate-first.myshopify.com";
const SECOND = "rotate-second.myshopify.com";
const SECOND_SECRET = "rotated-secret-1111111111111111111111111111";
const THIRD_SECRET = "rotated-secret-2222222222222222222222222222";
let network: TestNetwork;
let app: TestApp;

async function post(shop: string, route: string, fields: Record<string, string>) {
  const response = await fetch(new URL(`${route}.data`, app.origin), {
    method: "POST", headers: { ...bearerHeaders(shop), "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields),
  });
  const text = await response.text();
  return { status: response.status, shown: await shownText(text) };
}

async function shownKey(shop: string): Promise<string> {
  const response = await fetch(new URL("/app/settings.data", app.origin), { headers: bearerHeaders(shop) });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return text.match(/TNDM(-[0-9A-Z]{4}){8}/)![0];
}

/** The same app (port, database, simulator) started again with other settings. */
async function restartWith(env: Record<string, string>) {
  await app.stop();
  const { TANDEM_PREVIOUS_SECRETS: _previous, ...base } = app.env;
  app = await startTestApp({ ...base, ...env });
}

async function db<T>(run: (prisma: ReturnType<typeof createPrismaClient>) => Promise<T>): Promise<T> {
  const prisma = createPrismaClient(app.databaseUrl);
  try {
    return await run(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

const storedKey = () => db((prisma) => prisma.store.findUniqueOrThrow({ where: { shop: PRIMARY }, select: { keyLookupHash: true, keySealed: true } }));
const primaryOf = (shop: string) => db(async (prisma) => (await prisma.connection.findFirst({ where: { dependentShop: shop, status: "connected" } }))?.primaryShop ?? null);

beforeAll(async () => {
  network = await startAppWithSimulator();
  app = network.app;
  for (const shop of [PRIMARY, FIRST, SECOND]) await network.sim.control.createStore({ domain: shop });
  expect((await post(PRIMARY, "/app/onboarding", { intent: "choose-role", role: "primary" })).status).toBe(200);
  for (const shop of [FIRST, SECOND]) expect((await post(shop, "/app/onboarding", { intent: "choose-role", role: "dependent" })).status).toBe(200);
});

afterAll(async () => {
  await app?.stop();
  await network?.sim.close();
});

test("with the previous secret kept, the same key is shown and connects, and is protected again under the new secret", async () => {
  const key = await shownKey(PRIMARY);
  const before = await storedKey();
  await restartWith({ TANDEM_SECRET: SECOND_SECRET, TANDEM_PREVIOUS_SECRETS: TEST_TANDEM_SECRET });
  // Used before it is shown: found under the previous secret, and protected again under the new one.
  const connected = await post(FIRST, "/app/onboarding", { intent: "connect-key", key });
  expect(connected.shown).not.toContain("No primary store has this key");
  expect(await primaryOf(FIRST)).toBe(PRIMARY);
  const after = await storedKey();
  expect(after.keySealed).not.toBe(before.keySealed);
  expect(after.keyLookupHash).not.toBe(before.keyLookupHash);
  expect(await shownKey(PRIMARY)).toBe(key);

  // The previous secret can go now: the key is protected under the new one alone.
  await restartWith({ TANDEM_SECRET: SECOND_SECRET });
  expect(await shownKey(PRIMARY)).toBe(key);
});

test("with the previous secret dropped too soon, the primary's pages still open, with a new key; the old one no longer connects", async () => {
  const old = await shownKey(PRIMARY);
  await restartWith({ TANDEM_SECRET: THIRD_SECRET });
  const replaced = await shownKey(PRIMARY);
  expect(replaced).not.toBe(old);
  const onboarding = await fetch(new URL("/app/onboarding.data", app.origin), { headers: bearerHeaders(PRIMARY) });
  expect(onboarding.status).toBe(200);
  expect((await post(SECOND, "/app/onboarding", { intent: "connect-key", key: old })).shown).toContain("No primary store has this key");
  expect(await primaryOf(SECOND)).toBeNull();
  expect((await post(SECOND, "/app/onboarding", { intent: "connect-key", key: replaced })).status).toBe(200);
  expect(await primaryOf(SECOND)).toBe(PRIMARY);
  expect(app.output()).toContain("connection key sealed under a secret no longer configured");
});
