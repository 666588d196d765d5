import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { expect, test } from "vitest";
import { useTestAppEnv } from "../../tests/setup/app-env";

await useTestAppEnv();
const { default: prisma } = await import("../db.server");
const { TandemSessionStorage } = await import("./session.server");

// authenticate.webhook and authenticate.admin read sessions through Tandem's lookup: each must read
// back exactly what the library's own storage would, online (user, expiry) and offline alike.
test("a session loads through plain SQL exactly as through the library's storage", async () => {
  const ours = new TandemSessionStorage(prisma);
  const library = new PrismaSessionStorage(prisma);
  const online = new Session({
    id: "offline-and-online.myshopify.com_42", shop: "offline-and-online.myshopify.com", state: "state-1", isOnline: true,
    scope: "read_products,write_products", expires: new Date("2026-12-02T08:00:00.000Z"), accessToken: "online-token",
    onlineAccessInfo: {
      expires_in: 86_400, associated_user_scope: "read_products",
      associated_user: { id: 9_007_199_254_740_000, first_name: "Zoé", last_name: "O'Brien", email: "zoe@example.com", email_verified: true, account_owner: true, locale: "fr", collaborator: false },
    } as Session["onlineAccessInfo"],
  });
  const offline = new Session({ id: "offline_offline-and-online.myshopify.com", shop: "offline-and-online.myshopify.com", state: "", isOnline: false, scope: "read_products", accessToken: "offline-token" });
  for (const session of [online, offline]) {
    await ours.storeSession(session);
    const loaded = await ours.loadSession(session.id);
    expect(loaded!.toObject()).toEqual((await library.loadSession(session.id))!.toObject());
    expect(loaded!.accessToken).toBe(session.accessToken);
    expect(loaded!.isOnline).toBe(session.isOnline);
  }
  expect((await ours.loadSession(online.id))!.expires?.toISOString()).toBe("2026-12-02T08:00:00.000Z");
  expect((await ours.loadSession(online.id))!.onlineAccessInfo?.associated_user.email).toBe("zoe@example.com");
  expect(await ours.loadSession("offline_never-installed.myshopify.com")).toBeUndefined();
});
