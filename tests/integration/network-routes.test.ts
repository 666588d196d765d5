import { shownText } from "../setup/shown";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPrismaClient } from "../../app/db/prisma-client.server";
import { bearerHeaders, postSignedWebhook, startAppWithSimulator, type TestNetwork } from "../setup/test-app";

const A = "routes-primary-a.myshopify.com";
const B = "routes-primary-b.myshopify.com";
const DEP = "routes-dependent.myshopify.com";
const INVITED = "routes-invited.myshopify.com";
let network: TestNetwork;

/** A form post from inside the embedded app, as Remix sends it (single fetch, bearer token). */
async function post(shop: string, route: string, fields: Record<string, string>) {
  const response = await fetch(new URL(`${route}.data`, network.app.origin), {
    method: "POST",
    headers: { ...bearerHeaders(shop), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  const text = await response.text();
  return { status: response.status, text, shown: await shownText(text) };
}

async function load(shop: string, route: string) {
  const response = await fetch(new URL(`${route}.data`, network.app.origin), { headers: bearerHeaders(shop) });
  return { status: response.status, text: await response.text() };
}

async function db<T>(run: (prisma: ReturnType<typeof createPrismaClient>) => Promise<T>): Promise<T> {
  const prisma = createPrismaClient(network.app.databaseUrl);
  try {
    return await run(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

beforeAll(async () => {
  network = await startAppWithSimulator();
  for (const shop of [A, B, DEP, INVITED]) await network.sim.control.createStore({ domain: shop });
  expect((await post(A, "/app/onboarding", { intent: "choose-role", role: "primary" })).status).toBe(200);
  expect((await post(B, "/app/onboarding", { intent: "choose-role", role: "primary" })).status).toBe(200);
  await post(DEP, "/app/onboarding", { intent: "choose-role", role: "dependent" });
  const key = await db(async (prisma) => prisma.store.findUniqueOrThrow({ where: { shop: A } }));
  expect(key.keySealed).toMatch(/^v1:/);
});

afterAll(async () => {
  await network?.stop();
});

describe("onboarding and settings over HTTP", () => {
  test("a dependent connects with the key shown to the primary", async () => {
    const settings = await load(A, "/app/settings");
    const key = settings.text.match(/TNDM(-[0-9A-Z]{4}){8}/)![0];
    const connected = await post(DEP, "/app/onboarding", { intent: "connect-key", key });
    expect([200, 202, 204]).toContain(connected.status);
    const connection = await db((prisma) => prisma.connection.findFirst({ where: { dependentShop: DEP } }));
    expect(connection).toMatchObject({ primaryShop: A, status: "connected", via: "key" });
  });

  test("bad input gets a clear message and changes nothing", async () => {
    const unknownIntent = await post(A, "/app/settings", { intent: "drop-tables" });
    expect(unknownIntent.shown).toContain("That request was not understood");
    const wrongKey = await post(INVITED, "/app/onboarding", { intent: "connect-key", key: "TNDM-NOPE" });
    expect(wrongKey.shown).toContain("That is not a connection key");
    const badAddress = await post(A, "/app/settings", { intent: "invite", addresses: "<script>alert(1)</script>" });
    expect(badAddress.shown).toContain("Use the store's myshopify.com address");
    expect(await db((prisma) => prisma.invite.count())).toBe(0);
  });

  test("over-long typed input is marked on its field, with its limit, and changes nothing", async () => {
    // The action data names the field and its message (shown under that field, not as "not understood").
    const longKey = await post(INVITED, "/app/onboarding", { intent: "connect-key", key: "K".repeat(201) });
    expect(longKey.shown).toContain("Too long: at most 200 characters (this has 201)");
    expect(longKey.shown).toContain('"field":"key"');
    const longInvites = await post(A, "/app/onboarding", { intent: "invite", addresses: "a".repeat(5001) });
    expect(longInvites.shown).toContain("Too long: at most 5000 characters (this has 5001)");
    expect(longInvites.shown).toContain('"field":"addresses"');
    const settingsInvites = await post(A, "/app/settings", { intent: "invite", addresses: "a".repeat(5001) });
    expect(settingsInvites.shown).toContain('"addresses":"Too long: at most 5000 characters (this has 5001)"');
    const longRate = await post(DEP, "/app/settings", { intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true", priceExchangeRate: "1".repeat(21) });
    expect(longRate.shown).toContain('"priceExchangeRate":"Too long: at most 20 characters (this has 21)"');
    expect(longRate.shown).not.toContain("That request was not understood");
    expect(await db((prisma) => prisma.invite.count())).toBe(0);
    expect(await db((prisma) => prisma.connection.count({ where: { dependentShop: INVITED } }))).toBe(0);
  });

  test("the primary pauses and resumes its dependent", async () => {
    const connection = await db((prisma) => prisma.connection.findFirstOrThrow({ where: { dependentShop: DEP } }));
    await post(A, "/app/settings", { intent: "pause", connectionId: connection.id });
    expect((await db((prisma) => prisma.connection.findUniqueOrThrow({ where: { id: connection.id } }))).status).toBe("paused");
    await post(A, "/app/settings", { intent: "resume", connectionId: connection.id });
    expect((await db((prisma) => prisma.connection.findUniqueOrThrow({ where: { id: connection.id } }))).status).toBe("connected");
  });
});

describe("sync preferences", () => {
  test("a dependent saves them, which completes setup; bad values and primaries are refused", async () => {
    expect((await post(DEP, "/app/settings", { intent: "save-preferences", scope: "everything", syncDetails: "true", syncPrice: "true", syncQuantity: "true" })).shown).toContain("That request was not understood");
    expect((await post(A, "/app/settings", { intent: "save-preferences", scope: "all", syncDetails: "true", syncPrice: "true", syncQuantity: "true" })).shown).toContain("Only a dependent store can do this.");
    await post(DEP, "/app/settings", { intent: "save-preferences", scope: "matching", syncDetails: "false", syncPrice: "true", syncQuantity: "true" });
    expect(await db((prisma) => prisma.syncPreferences.findUnique({ where: { dependentShop: DEP } }))).toMatchObject({ scope: "matching", syncDetails: false, syncPrice: true, syncQuantity: true });
    expect((await db((prisma) => prisma.store.findUniqueOrThrow({ where: { shop: DEP } }))).setupCompletedAt).not.toBeNull();
  });

  test("Sync all and Check stock name a paused dependent they skip, and why", async () => {
    const connection = await db((prisma) => prisma.connection.findFirstOrThrow({ where: { dependentShop: DEP } }));
    await post(A, "/app/settings", { intent: "pause", connectionId: connection.id });
    const pausedAt = new Date();
    try {
      const sync = await post(A, "/app/sync", { intent: "sync-all" });
      expect(sync.shown).toContain(`Not started: Sync to ${DEP} is paused by the primary store. Resume it under Dependent stores in Settings.`);
      const check = await post(A, "/app/sync", { intent: "check-stock" });
      expect(check.shown).toContain(`Not started: Sync to ${DEP} is paused by the primary store. Resume it under Dependent stores in Settings.`);
      // Nothing was queued for it by these presses (its Sync all from saving preferences is older).
      expect(await db((prisma) => prisma.job.count({ where: { lane: DEP, createdAt: { gte: pausedAt } } }))).toBe(0);
    } finally {
      await post(A, "/app/settings", { intent: "resume", connectionId: connection.id });
    }
  });
});

describe("another store's ids (IDOR)", () => {
  test("store B cannot see, pause, disconnect or revoke store A's connections and invites", async () => {
    await post(A, "/app/settings", { intent: "invite", addresses: INVITED });
    const invite = await db((prisma) => prisma.invite.findFirstOrThrow({ where: { primaryShop: A } }));
    const connection = await db((prisma) => prisma.connection.findFirstOrThrow({ where: { dependentShop: DEP } }));

    const bSettings = await load(B, "/app/settings");
    expect(bSettings.text).not.toContain(DEP);
    expect(bSettings.text).not.toContain(invite.id);
    expect(bSettings.text).not.toContain((await load(A, "/app/settings")).text.match(/TNDM(-[0-9A-Z]{4}){8}/)![0]);

    for (const intent of ["pause", "disconnect"]) {
      const attempt = await post(B, "/app/settings", { intent, connectionId: connection.id });
      expect(attempt.shown).toContain("This connection does not exist.");
    }
    expect((await post(B, "/app/settings", { intent: "revoke-invite", inviteId: invite.id })).shown).toContain("This invitation does not exist.");
    expect((await post(DEP, "/app/onboarding", { intent: "accept-invite", inviteId: invite.id })).shown).toContain("This invitation does not exist.");

    expect((await db((prisma) => prisma.connection.findUniqueOrThrow({ where: { id: connection.id } }))).status).toBe("connected");
    expect((await db((prisma) => prisma.invite.findUniqueOrThrow({ where: { id: invite.id } }))).status).toBe("pending");
  });

  test("the invited store can accept the invitation addressed to it", async () => {
    await post(INVITED, "/app/onboarding", { intent: "choose-role", role: "dependent" });
    const invite = await db((prisma) => prisma.invite.findFirstOrThrow({ where: { dependentShop: INVITED } }));
    await post(INVITED, "/app/onboarding", { intent: "accept-invite", inviteId: invite.id });
    expect(await db((prisma) => prisma.connection.findFirst({ where: { dependentShop: INVITED } }))).toMatchObject({ primaryShop: A, via: "invite" });
  });
});

describe("compliance webhooks", () => {
  const compliance = (topic: string, shop: string, body: Record<string, unknown>) =>
    postSignedWebhook(network.app.origin, { path: "/webhooks/compliance", topic, shop, body });

  test("customers/redact is answered and erases no store", async () => {
    const before = await db((prisma) => prisma.store.count());
    const response = await compliance("customers/redact", DEP, { shop_domain: DEP, customer: { id: 1, email: "a@example.com" }, orders_to_redact: [] });
    expect(response.status).toBe(200);
    expect(await db((prisma) => prisma.store.count())).toBe(before);
  });

  test("shop/redact of an uninstalled store erases the shop and its connections, and the other stores keep theirs", async () => {
    // Shopify sends it 48 hours after the uninstall.
    await network.sim.control.uninstall(DEP);
    await network.sim.control.webhooksIdle();
    const response = await compliance("shop/redact", DEP, { shop_id: 1, shop_domain: DEP });
    expect(response.status).toBe(200);
    expect(await db((prisma) => prisma.store.findUnique({ where: { shop: DEP } }))).toBeNull();
    expect(await db((prisma) => prisma.connection.count({ where: { OR: [{ dependentShop: DEP }, { primaryShop: DEP }] } }))).toBe(0);
    expect(await db((prisma) => prisma.connection.count({ where: { dependentShop: INVITED } }))).toBe(1);
  });
});
