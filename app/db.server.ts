import type { PrismaClient } from "@prisma/client";
import { getConfig } from "./config.server";
import { plainSqlOf } from "./db/plain-sql.server";
import { createPrismaClient } from "./db/prisma-client.server";

declare global {
  var tandemPrisma: PrismaClient | undefined;
}

// One client per process; kept on globalThis so dev-server reloads do not open more connections.
const prisma = (globalThis.tandemPrisma ??= createPrismaClient(getConfig().DATABASE_URL, { sqlStatsPath: getConfig().TANDEM_SQL_STATS }));

export default prisma;

/**
 * Plain SQL outside transactions (ADR 0019): `query` for rows, `execute` for a count of rows
 * changed, `transaction` for statements that go together; `sql` and `join` build them as
 * `Prisma.sql` and `Prisma.join` of the client in use (ADR 0017). On SQLite they skip Prisma's
 * client. Inside an interactive transaction use `tx.$queryRaw` with the same fragments.
 */
export const { query, execute, transaction, sql, join } = plainSqlOf(prisma);
