import { english } from "../i18n";
import fs from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { databaseEngine } from "../db/engine";
import { sqliteFileFromUrl } from "../db/sqlite.server";
import { useTestAppEnv } from "../../tests/setup/app-env";

const env = await useTestAppEnv();
const network = await import("./network.server");
const { default: prisma } = await import("../db.server");
const { markUninstalled, setStorePlan } = await import("../models/stores.server");
const { planById } = await import("../billing/plans");
const { saveProductLinks } = await import("../models/links.server");
const { recordWrittenLevels } = await import("../models/writtenLevels.server");
const { markStockPushes } = await import("../models/stockPushes.server");
const { enqueueJob } = await import("../jobs/kinds.server");

const PRIMARY = "net-primary.myshopify.com";
const OTHER_PRIMARY = "net-other-primary.myshopify.com";
let key: string;

beforeAll(async () => {
  await network.chooseRole(PRIMARY, "primary");
  await network.chooseRole(OTHER_PRIMARY, "primary");
  // These tests connect more dependents than Free allows (tests/sync/plans.test.ts covers the limit).
  await setStorePlan(PRIMARY, planById("basic"), "gid://shopify/AppSubscription/1");
  key = await network.connectionKeyOf(PRIMARY);
});

const code = (promise: Promise<unknown>) => promise.then(() => "no error", (error: { code?: string }) => error.code ?? String(error));

describe("roles and keys", () => {
  test("a primary gets a key that the database does not hold in clear", async () => {
    expect(key).toMatch(/^TNDM(-[0-9A-Z]{4}){8}$/);
    const canonical = key.replace(/^TNDM-/, "").replace(/-/g, "");
    expect(canonical).toHaveLength(32);
    if (databaseEngine(env.DATABASE_URL) === "sqlite") {
      const file = fs.readFileSync(sqliteFileFromUrl(env.DATABASE_URL));
      const wal = fs.existsSync(`${sqliteFileFromUrl(env.DATABASE_URL)}-wal`) ? fs.readFileSync(`${sqliteFileFromUrl(env.DATABASE_URL)}-wal`) : Buffer.alloc(0);
      expect(file.includes(canonical)).toBe(false);
      expect(wal.includes(canonical)).toBe(false);
    } else {
      // Every row of every table of Tandem's, as text.
      const tables = await prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public'`);
      expect(tables.map((t) => t.name)).toContain("Store");
      for (const { name } of tables) {
        const rows = await prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
        for (const { row } of rows) expect(row.toUpperCase().includes(canonical)).toBe(false);
      }
    }
  });

  test("a dependent pasting the key connects at once", async () => {
    const connection = await network.connectWithKey("net-dep-key.myshopify.com", key.toLowerCase());
    expect(connection).toMatchObject({ primaryShop: PRIMARY, dependentShop: "net-dep-key.myshopify.com", status: "connected", via: "key" });
    expect((await prisma.store.findUnique({ where: { shop: "net-dep-key.myshopify.com" } }))?.role).toBe("dependent");
  });

  test("a dependent has exactly one primary", async () => {
    const otherKey = await network.connectionKeyOf(OTHER_PRIMARY);
    expect(await code(network.connectWithKey("net-dep-key.myshopify.com", otherKey))).toBe("ALREADY_CONNECTED");
  });

  test("a store cannot connect to itself, and a primary cannot become a dependent", async () => {
    expect(await code(network.connectWithKey(PRIMARY, key))).toBe("SELF_CONNECTION");
    const otherKey = await network.connectionKeyOf(OTHER_PRIMARY);
    expect(await code(network.connectWithKey(PRIMARY, otherKey))).toBe("ROLE_LOCKED");
  });

  test("a connected store cannot change role until it disconnects", async () => {
    expect(await code(network.chooseRole("net-dep-key.myshopify.com", "primary"))).toBe("ROLE_LOCKED");
    expect(await code(network.chooseRole(PRIMARY, "dependent"))).toBe("ROLE_LOCKED");
  });

  test("regenerating the key stops the old one at once and keeps existing connections", async () => {
    const fresh = await network.regenerateConnectionKey(OTHER_PRIMARY);
    const before = await network.connectWithKey("net-dep-regen.myshopify.com", fresh);
    const newer = await network.regenerateConnectionKey(OTHER_PRIMARY);
    expect(newer).not.toBe(fresh);
    expect(await code(network.connectWithKey("net-dep-late.myshopify.com", fresh))).toBe("UNKNOWN_KEY");
    expect((await network.connectionsOf(OTHER_PRIMARY)).map((c) => c.id)).toContain(before.id);
  });
});

describe("key guessing", () => {
  test("after five wrong keys a store must wait, with a clear message, and every attempt is recorded", async () => {
    const shop = "net-guesser.myshopify.com";
    const now = new Date();
    for (let i = 0; i < 3; i++) expect(await code(network.connectWithKey(shop, `TNDM-${"A".repeat(32)}`, now))).toBe("UNKNOWN_KEY");
    for (let i = 0; i < 2; i++) expect(await code(network.connectWithKey(shop, "hello", now))).toBe("INVALID_KEY");
    const throttled = await network.connectWithKey(shop, key, now).catch((error) => error);
    expect(throttled).toMatchObject({ code: "KEY_ATTEMPTS_THROTTLED" });
    expect(throttled.message).toMatch(/Too many wrong keys\. Try again in \d+ minute/);
    // The window (15 minutes) counts from the oldest of the five failures.
    expect(throttled.retryAfterSeconds).toBe(15 * 60);
    const minuteLater = await network.connectWithKey(shop, key, new Date(now.getTime() + 60_000)).catch((error) => error);
    expect(minuteLater).toMatchObject({ code: "KEY_ATTEMPTS_THROTTLED", retryAfterSeconds: 14 * 60 });
    expect(await prisma.keyAttempt.count({ where: { shop } })).toBe(5);
    const later = new Date(now.getTime() + network.KEY_ATTEMPT_WINDOW_MS + 1000);
    expect((await network.connectWithKey(shop, key, later)).status).toBe("connected");
  });
});

describe("key guessing in parallel", () => {
  test("20 wrong keys sent at once still record five failures, and the other fifteen must wait", async () => {
    const shop = "net-parallel-guesser.myshopify.com";
    const codes = await Promise.all(Array.from({ length: 20 }, (_, i) => code(network.connectWithKey(shop, `TNDM-${String(i).padStart(32, "B")}`))));
    expect(codes.filter((c) => c === "UNKNOWN_KEY")).toHaveLength(network.MAX_FAILED_KEY_ATTEMPTS);
    expect(codes.filter((c) => c === "KEY_ATTEMPTS_THROTTLED")).toHaveLength(20 - network.MAX_FAILED_KEY_ATTEMPTS);
    expect(await prisma.keyAttempt.count({ where: { shop, succeeded: false } })).toBe(network.MAX_FAILED_KEY_ATTEMPTS);
  });
});

describe("invites", () => {
  test("normalise addresses, reject bad ones, and refuse inviting oneself", async () => {
    const results = await network.inviteStores(PRIMARY, ["https://net-invitee.myshopify.com/admin", "not a store!", PRIMARY]);
    expect(results.map((r) => (r.ok ? r.invite.dependentShop : english.text(r.error)))).toEqual([
      "net-invitee.myshopify.com",
      expect.stringMatching(/myshopify\.com/),
      "A store cannot invite itself.",
    ]);
  });

  test("are visible to the invited store even before it installs, and can be accepted", async () => {
    const pending = await network.pendingInvitesFor("net-invitee.myshopify.com");
    expect(pending).toHaveLength(1);
    const connection = await network.acceptInvite("net-invitee.myshopify.com", pending[0].id);
    expect(connection).toMatchObject({ primaryShop: PRIMARY, via: "invite", status: "connected" });
    expect(await code(network.acceptInvite("net-invitee.myshopify.com", pending[0].id))).toBe("INVITE_NOT_PENDING");
  });

  test("expire after 14 days, and can be revoked by the primary or declined by the store", async () => {
    const sentAt = new Date();
    const [expiring] = await network.inviteStores(PRIMARY, ["net-slow"], new Date(sentAt.getTime() - 15 * 86_400_000));
    if (!expiring.ok) throw new Error(english.text(expiring.error));
    expect(await network.pendingInvitesFor("net-slow.myshopify.com")).toEqual([]);
    expect(await code(network.acceptInvite("net-slow.myshopify.com", expiring.invite.id))).toBe("INVITE_EXPIRED");

    const [revoked] = await network.inviteStores(PRIMARY, ["net-revoked"]);
    if (!revoked.ok) throw new Error(english.text(revoked.error));
    await network.revokeInvite(PRIMARY, revoked.invite.id);
    expect(await code(network.acceptInvite("net-revoked.myshopify.com", revoked.invite.id))).toBe("INVITE_NOT_PENDING");

    const [declined] = await network.inviteStores(PRIMARY, ["net-declines"]);
    if (!declined.ok) throw new Error(english.text(declined.error));
    expect((await network.declineInvite("net-declines.myshopify.com", declined.invite.id)).status).toBe("declined");
    // An invite that ended can be neither declined nor revoked again; another store's invite is not found.
    expect(await code(network.declineInvite("net-declines.myshopify.com", declined.invite.id))).toBe("INVITE_NOT_PENDING");
    expect(await code(network.revokeInvite(PRIMARY, declined.invite.id))).toBe("INVITE_NOT_PENDING");
    expect(await code(network.declineInvite("net-revoked.myshopify.com", declined.invite.id))).toBe("INVITE_NOT_FOUND");
    expect(await code(network.revokeInvite(OTHER_PRIMARY, revoked.invite.id))).toBe("INVITE_NOT_FOUND");
  });
});

describe("another store's ids (IDOR)", () => {
  test("cannot accept, decline or revoke invites, nor pause or end connections that are not its own", async () => {
    const [invite] = await network.inviteStores(PRIMARY, ["net-target"]);
    if (!invite.ok) throw new Error(english.text(invite.error));
    expect(await code(network.acceptInvite("net-intruder.myshopify.com", invite.invite.id))).toBe("INVITE_NOT_FOUND");
    expect(await code(network.declineInvite("net-intruder.myshopify.com", invite.invite.id))).toBe("INVITE_NOT_FOUND");
    expect(await code(network.revokeInvite(OTHER_PRIMARY, invite.invite.id))).toBe("INVITE_NOT_FOUND");
    const [connection] = await network.connectionsOf("net-dep-key.myshopify.com");
    expect(await code(network.setConnectionPaused(OTHER_PRIMARY, connection.id, true))).toBe("CONNECTION_NOT_FOUND");
    expect(await code(network.disconnect("net-intruder.myshopify.com", connection.id))).toBe("CONNECTION_NOT_FOUND");
    expect((await network.connectionsOf(PRIMARY)).find((c) => c.id === connection.id)?.status).toBe("connected");
  });
});

describe("connection status", () => {
  test("the primary pauses and resumes; uninstalling marks the other side's connections; disconnecting frees the role", async () => {
    const [connection] = await network.connectionsOf("net-dep-key.myshopify.com");
    expect((await network.setConnectionPaused(PRIMARY, connection.id, true)).status).toBe("paused");
    expect((await network.setConnectionPaused(PRIMARY, connection.id, false)).status).toBe("connected");
    await markUninstalled("net-dep-key.myshopify.com");
    expect((await network.connectionsOf(PRIMARY)).find((c) => c.id === connection.id)?.status).toBe("needs_attention");
    await network.disconnect(PRIMARY, connection.id);
    expect((await network.connectionsOf(PRIMARY)).some((c) => c.id === connection.id)).toBe(false);
    expect((await network.chooseRole("net-dep-key.myshopify.com", "primary")).role).toBe("primary");
  });
});

describe("roles", () => {
  test("choosing the same role again changes nothing, the primary's key included", async () => {
    const before = await prisma.store.findUniqueOrThrow({ where: { shop: OTHER_PRIMARY } });
    const again = await network.chooseRole(OTHER_PRIMARY, "primary");
    expect(again).toMatchObject({ role: "primary", keyLookupHash: before.keyLookupHash, keySealed: before.keySealed });
  });

  test("what only a primary or only a dependent may do is refused to the other, by name", async () => {
    const dependent = "net-role-dependent.myshopify.com";
    await network.chooseRole(dependent, "dependent");
    expect(await code(network.connectionKeyOf(dependent))).toBe("NOT_PRIMARY");
    expect(await code(network.inviteStores(dependent, ["x"]))).toBe("NOT_PRIMARY");
    expect(await code(network.saveSelection(dependent, { tag: "a", collectionId: null }))).toBe("NOT_PRIMARY");
    expect(await code(network.saveSyncPreferences(PRIMARY, { scope: "all", syncDetails: true, syncPrice: true, syncQuantity: true }))).toBe("NOT_DEPENDENT");
    expect(english.text((await network.connectionKeyOf(dependent).catch((error) => error)).text)).toMatch(/primary/i);
    expect(english.text((await network.saveSyncPreferences(PRIMARY, { scope: "all", syncDetails: true, syncPrice: true, syncQuantity: true }).catch((error) => error)).text)).toMatch(/dependent/i);
  });

  test("a key that belonged to a store that is no longer primary is unknown", async () => {
    const former = "net-former-primary.myshopify.com";
    await network.chooseRole(former, "primary");
    const formerKey = await network.connectionKeyOf(former);
    await network.chooseRole(former, "dependent");
    expect(await code(network.connectWithKey("net-former-target.myshopify.com", formerKey))).toBe("UNKNOWN_KEY");
  });
});

describe("selection", () => {
  const stored = async () => {
    const store = await prisma.store.findUniqueOrThrow({ where: { shop: OTHER_PRIMARY } });
    return { tag: store.selectionTag, collectionId: store.selectionCollectionId };
  };

  test("a tag and a collection are saved trimmed; empty values clear them", async () => {
    await network.saveSelection(OTHER_PRIMARY, { tag: "  summer  ", collectionId: " gid://shopify/Collection/12 " });
    expect(await stored()).toEqual({ tag: "summer", collectionId: "gid://shopify/Collection/12" });
    await network.saveSelection(OTHER_PRIMARY, { tag: "x".repeat(255), collectionId: null });
    expect(await stored()).toEqual({ tag: "x".repeat(255), collectionId: null });
    await network.saveSelection(OTHER_PRIMARY, { tag: "   ", collectionId: "" });
    expect(await stored()).toEqual({ tag: null, collectionId: null });
  });

  test.each([
    [{ tag: "a,b", collectionId: null }],
    [{ tag: "x".repeat(256), collectionId: null }],
    [{ tag: null, collectionId: "gid://shopify/Collection/abc" }],
    [{ tag: null, collectionId: "gid://shopify/Collection/12x" }],
    [{ tag: null, collectionId: "x gid://shopify/Collection/12" }],
    [{ tag: null, collectionId: "gid://shopify/Product/12" }],
  ])("%j is refused and changes nothing", async (selection) => {
    await network.saveSelection(OTHER_PRIMARY, { tag: "kept", collectionId: "gid://shopify/Collection/7" });
    expect(await code(network.saveSelection(OTHER_PRIMARY, selection))).toBe("INVALID_SELECTION");
    expect(await stored()).toEqual({ tag: "kept", collectionId: "gid://shopify/Collection/7" });
  });
});

describe("disconnecting", () => {
  const LOCATION = "gid://shopify/Location/1";

  /** A dependent connected to PRIMARY with one linked product, a level Tandem wrote, a marked push and a waiting sync. */
  async function connectedDependent(dependentShop: string) {
    await network.connectWithKey(dependentShop, key);
    const [connection] = await network.connectionsOf(dependentShop);
    await saveProductLinks([{
      primaryShop: PRIMARY, dependentShop, primaryProductId: "gid://shopify/Product/1", dependentProductId: "gid://shopify/Product/2", createdByTandem: true, primaryStatus: "ACTIVE", primaryImages: null,
      variants: [{ sku: "CUP", primaryVariantId: "gid://shopify/ProductVariant/1", primaryInventoryItemId: "gid://shopify/InventoryItem/1", dependentVariantId: "gid://shopify/ProductVariant/2", dependentInventoryItemId: "gid://shopify/InventoryItem/2" }],
    }]);
    await recordWrittenLevels(dependentShop, [{ inventoryItemId: "gid://shopify/InventoryItem/2", locationId: LOCATION, quantity: 4 }]);
    await markStockPushes(PRIMARY, [{ dependentShop, primaryInventoryItemId: "gid://shopify/InventoryItem/1" }]);
    const waiting = await Promise.all([
      enqueueJob("sync-product", { primaryShop: PRIMARY, dependentShop, primaryProductId: "gid://shopify/Product/1", delayMs: 60_000 }),
      enqueueJob("sync-products", { primaryShop: PRIMARY, dependentShop, productIds: ["gid://shopify/Product/1"] }),
      enqueueJob("sync-all", { primaryShop: PRIMARY, dependentShop }),
      enqueueJob("push-stock", { primaryShop: PRIMARY, dependentShop, when: { afterMs: 60_000 } }),
    ]);
    return { connection, waitingJobIds: waiting.map(({ job }) => job.id) };
  }
  const leftOf = async (dependentShop: string) => ({
    links: await prisma.productLink.count({ where: { dependentShop } }),
    writtenLevels: await prisma.writtenLevel.count({ where: { dependentShop } }),
    pushes: await prisma.stockPush.count({ where: { dependentShop } }),
  });

  test("a dependent that keeps its products: links, written levels and marks are forgotten, waiting syncs cancelled", async () => {
    const dependent = "net-disconnect-keep.myshopify.com";
    const { connection, waitingJobIds } = await connectedDependent(dependent);
    const { productsJob } = await network.disconnectStores(dependent, connection.id, "keep");
    expect(productsJob).toBeNull();
    expect(await leftOf(dependent)).toEqual({ links: 0, writtenLevels: 0, pushes: 0 });
    const jobs = await prisma.job.findMany({ where: { id: { in: waitingJobIds } }, select: { kind: true, status: true }, orderBy: { kind: "asc" } });
    expect(jobs).toEqual(["push-stock", "sync-all", "sync-product", "sync-products"].map((kind) => ({ kind, status: "cancelled" })));
    expect(await network.connectionsOf(dependent)).toEqual([]);
  });

  test("a dependent that deletes its products queues their removal, which needs the links", async () => {
    const dependent = "net-disconnect-delete.myshopify.com";
    const { connection } = await connectedDependent(dependent);
    const { productsJob } = await network.disconnectStores(dependent, connection.id, "delete");
    expect(productsJob).toMatchObject({ kind: "remove-created-products", lane: dependent });
    expect(await leftOf(dependent)).toEqual({ links: 1, writtenLevels: 0, pushes: 0 });
  });

  test("a dependent that keeps its products with stock at 0 queues the zeroing, which needs the links", async () => {
    const dependent = "net-disconnect-zero.myshopify.com";
    const { connection } = await connectedDependent(dependent);
    const { productsJob } = await network.disconnectStores(dependent, connection.id, "zero");
    expect(productsJob).toMatchObject({ kind: "zero-kept-stock", lane: dependent });
    expect(await leftOf(dependent)).toEqual({ links: 1, writtenLevels: 0, pushes: 0 });
  });

  test.each(["delete", "zero"] as const)("a primary that ends a connection never changes the dependent's products, even asking “%s”", async (products) => {
    const dependent = `net-disconnect-by-primary-${products}.myshopify.com`;
    const { connection } = await connectedDependent(dependent);
    const { productsJob } = await network.disconnectStores(PRIMARY, connection.id, products);
    expect(productsJob).toBeNull();
    expect(await leftOf(dependent)).toEqual({ links: 0, writtenLevels: 0, pushes: 0 });
    expect(await prisma.job.count({ where: { lane: dependent, kind: { in: ["remove-created-products", "zero-kept-stock"] } } })).toBe(0);
  });
});
