import prisma from "../db.server";

export async function deleteSessionsOfShop({ shop }: { shop: string }): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { shop } });
  return count;
}

/** The shop's offline access token, which background jobs use; null when the app is not installed there. */
export async function offlineAccessToken(shop: string): Promise<string | null> {
  const session = await prisma.session.findFirst({ where: { shop, isOnline: false }, select: { accessToken: true } });
  return session?.accessToken ?? null;
}
