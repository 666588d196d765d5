import type { Session as SessionRow } from "@prisma/client";
import type { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma, { query, sql } from "../db.server";

/**
 * Prisma session storage whose lookup is plain SQL: `authenticate.webhook` loads the shop's
 * offline session for every webhook (about 13,000 in a Sync all of 1,000 products to three
 * dependents), and a Prisma query costs several times its SQL (ADR 0017). Storing and deleting
 * stay the library's.
 */
export class TandemSessionStorage extends PrismaSessionStorage<typeof prisma> {
  override async loadSession(id: string): Promise<Session | undefined> {
    const [row] = await query<SessionRow>(sql`SELECT * FROM "Session" WHERE "id" = ${id}`);
    // The library's own row conversion, so that a session reads back exactly as it would through it.
    return row ? this["rowToSession"](row) : undefined;
  }
}

/** The session storage of the app's database, which `shopifyApp` keeps its sessions in. */
export function appSessionStorage(): TandemSessionStorage {
  return new TandemSessionStorage(prisma);
}

export async function deleteSessionsOfShop({ shop }: { shop: string }): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { shop } });
  return count;
}

/** The shop's offline access token, which background jobs use; null when the app is not installed there. */
export async function offlineAccessToken(shop: string): Promise<string | null> {
  // Plain SQL: every job asks it for each store it talks to (ADR 0017).
  const rows = await query<{ accessToken: string }>(sql`SELECT "accessToken" FROM "Session" WHERE "shop" = ${shop} AND "isOnline" = ${false} LIMIT 1`);
  return rows[0]?.accessToken ?? null;
}
