import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";
import { TEST_TANDEM_SECRET } from "../../tests/setup/test-app";
import { canonicalConnectionKey, connectionKeyLookupHash, decryptConnectionKey, encryptConnectionKey, generateConnectionKey } from "../network/connection-key.server";

// Keys protected under a secret that was rotated out (TANDEM_PREVIOUS_SECRETS) are protected again
// under the current one when used. This file's own configuration names the previous secret; end
// to end, across restarts: tests/integration/secret-rotation.test.ts.
const PREVIOUS_SECRET = "previous-secret-0000000000000000000000000000";
await useTestAppEnv({ TANDEM_PREVIOUS_SECRETS: PREVIOUS_SECRET });
const network = await import("./network.server");
const { default: prisma } = await import("../db.server");
const { replaceStoreKey, setStorePlan } = await import("../models/stores.server");
const { planById } = await import("../billing/plans");

/** A primary whose key was protected under PREVIOUS_SECRET, or under a secret no longer configured. */
async function primaryKeptUnder(shop: string, secret: string): Promise<string> {
  await network.chooseRole(shop, "primary");
  await setStorePlan(shop, planById("basic"), "gid://shopify/AppSubscription/1");
  const key = generateConnectionKey();
  await replaceStoreKey(shop, { keyLookupHash: connectionKeyLookupHash(key, secret), keySealed: encryptConnectionKey(key, secret) });
  return key;
}
const storedKey = (shop: string) => prisma.store.findUniqueOrThrow({ where: { shop }, select: { keyLookupHash: true, keySealed: true } });

test("a key protected under the previous secret connects, and is protected again under the current one", async () => {
  const primary = "rotation-connect.myshopify.com";
  const key = await primaryKeptUnder(primary, PREVIOUS_SECRET);
  expect((await network.connectWithKey("rotation-dependent.myshopify.com", key)).status).toBe("connected");
  const stored = await storedKey(primary);
  expect(stored.keyLookupHash).toBe(connectionKeyLookupHash(key, TEST_TANDEM_SECRET));
  expect(decryptConnectionKey(stored.keySealed!, TEST_TANDEM_SECRET)).toBe(key);
});

test("a key protected under the previous secret is shown as it was, and protected again under the current one", async () => {
  const primary = "rotation-shown.myshopify.com";
  const key = await primaryKeptUnder(primary, PREVIOUS_SECRET);
  expect(canonicalConnectionKey(await network.connectionKeyOf(primary))).toBe(key);
  const stored = await storedKey(primary);
  expect(stored.keyLookupHash).toBe(connectionKeyLookupHash(key, TEST_TANDEM_SECRET));
  // Shown again: already under the current secret, the stored key stays as it is.
  expect(canonicalConnectionKey(await network.connectionKeyOf(primary))).toBe(key);
  expect(await storedKey(primary)).toEqual(stored);
});

test("a key no configured secret opens is replaced by a new one, which works", async () => {
  const primary = "rotation-lost.myshopify.com";
  const lost = await primaryKeptUnder(primary, "a-secret-nobody-configured-0000000000000000");
  const shown = await network.connectionKeyOf(primary);
  expect(canonicalConnectionKey(shown)).not.toBe(lost);
  expect(await network.connectionKeyOf(primary)).toBe(shown);
  expect((await network.connectWithKey("rotation-after-loss.myshopify.com", shown)).status).toBe("connected");
});
