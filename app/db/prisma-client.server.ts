import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import type Database from "better-sqlite3";
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

/** The app uses the singleton in db.server.ts; scripts and tests open their own database with this. */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  const adapter = new ImmediateTransactions({ url: sqliteFileFromUrl(databaseUrl), timeout: BUSY_TIMEOUT_MS });
  return new PrismaClient({ adapter });
}
