import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createPrismaClient } from "../../app/db/prisma-client.server";

/**
 * Stores an offline session exactly as the app's session storage does (id `offline_{shop}`), so
 * that `authenticate.admin` finds a token without calling Shopify. Used by the sandbox and tests
 * with the tokens the simulator issues when it installs the app.
 */
export async function storeOfflineSession(databaseUrl: string, { shop, accessToken, scope }: { shop: string; accessToken: string; scope: string }) {
  const prisma = createPrismaClient(databaseUrl);
  try {
    const storage = new PrismaSessionStorage(prisma);
    await storage.storeSession(new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, scope, accessToken }));
  } finally {
    await prisma.$disconnect();
  }
}
