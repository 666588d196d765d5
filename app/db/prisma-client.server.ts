import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import type Database from "better-sqlite3";
import { databaseEngine } from "./engine";
import { pgConnectionString, poolSizeOf } from "./postgres.server";
import { BUSY_TIMEOUT_MS, sqliteFileFromUrl } from "./sqlite.server";

/**
 * The adapter opens transactions with a deferred BEGIN. In WAL mode a deferred transaction that
 * reads, then writes after another process (the worker, the app) committed, fails at once with
 * SQLITE_BUSY_SNAPSHOT, without waiting for the busy timeout. Tandem's transactions all write, so
 * they take the write lock up front (BEGIN IMMEDIATE), which does wait (docs/decisions/0007).
 */
class ImmediateTransactions extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client: Database.Database }).client;
    const prepare = client.prepare.bind(client);
    client.prepare = ((sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql)) as typeof client.prepare;
    return adapter;
  }
}

/**
 * The client generated from prisma/postgres/schema.prisma (the same models, provider postgresql).
 * It is loaded at run time from where `prisma generate` wrote it, beside @prisma/client, so the
 * build does not bundle it. Its API is the SQLite client's: the app types it as that one.
 */
function postgresPrismaClient(): typeof PrismaClient {
  const require = createRequire(import.meta.url);
  const generated = path.resolve(path.dirname(require.resolve("@prisma/client/package.json")), "../../.prisma/postgres-client");
  return (require(generated) as { PrismaClient: typeof PrismaClient }).PrismaClient;
}

/** The app uses the singleton in db.server.ts; scripts and tests open their own database with this. */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  if (databaseEngine(databaseUrl) === "postgres") {
    const PostgresPrismaClient = postgresPrismaClient();
    return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: pgConnectionString(databaseUrl), max: poolSizeOf(databaseUrl) }) });
  }
  const adapter = new ImmediateTransactions({ url: sqliteFileFromUrl(databaseUrl), timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}
