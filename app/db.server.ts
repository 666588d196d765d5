import type { PrismaClient } from "@prisma/client";
import { getConfig } from "./config.server";
import { createPrismaClient, prismaNamespace } from "./db/prisma-client.server";

declare global {
  var tandemPrisma: PrismaClient | undefined;
}

// One client per process; kept on globalThis so dev-server reloads do not open more connections.
const prisma = (globalThis.tandemPrisma ??= createPrismaClient(getConfig().DATABASE_URL));

export default prisma;

/** Fragments for plain SQL (ADR 0017) from the client in use: `sql` and `join` as in `Prisma.sql`, `Prisma.join`. */
export const { sql, join } = prismaNamespace(getConfig().DATABASE_URL);
