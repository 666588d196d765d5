import prisma from "../db.server";

export async function deleteSessionsOfShop({ shop }: { shop: string }): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { shop } });
  return count;
}

/** The shop's offline access token, which background jobs use; null when the app is not installed there. */
export async function offlineAccessToken(shop: string): Promise<string | null> {
  // Plain SQL: every job asks it for each store it talks to (ADR 0017).
  const rows = await prisma.$queryRaw<{ accessToken: string }[]>`SELECT "accessToken" FROM "Session" WHERE "shop" = ${shop} AND "isOnline" = ${false} LIMIT 1`;
  return rows[0]?.accessToken ?? null;
}
