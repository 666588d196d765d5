import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { BUSY_TIMEOUT_MS, sqliteFileFromUrl } from "./sqlite.server";

/** The app uses the singleton in db.server.ts; scripts and tests open their own database with this. */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  const adapter = new PrismaBetterSQLite3({ url: sqliteFileFromUrl(databaseUrl), timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}
