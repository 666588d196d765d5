import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "@prisma/client";
import type Database from "better-sqlite3";
import { databaseEngine } from "./engine";
import { pgConnectionString, poolSizeOf } from "./postgres.server";
import { BUSY_TIMEOUT_MS, sqliteFileFromUrl } from "./sqlite.server";

/** Prepared statements kept per connection (the most recently used): Tandem's queries come in a few hundred shapes. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * TANDEM_SQL_STATS=PATH (a diagnostic, SQLite only): each process writes PATH.PID.json every 5 s,
 * its statements by count with the time SQLite spent on them, to find which queries a job or the
 * webhook intake repeats (docs/performance.md, Diagnostics). Off, it costs one check per statement.
 */
let sqlStatsPath: string | undefined;
const sqlStats = new Map<string, { count: number; sqliteMs: number }>();
function writeSqlStatsTo(file: string) {
  if (sqlStatsPath) return;
  sqlStatsPath = file;
  const write = () => writeFileSync(`${file}.${process.pid}.json`, JSON.stringify([...sqlStats].sort((a, b) => b[1].count - a[1].count), null, 1));
  setInterval(write, 5000).unref();
}
function counted<T>(sql: string, run: () => T): T {
  if (!sqlStatsPath) return run();
  const startedAt = performance.now();
  try {
    return run();
  } finally {
    const stats = sqlStats.get(sql) ?? { count: 0, sqliteMs: 0 };
    stats.count++;
    stats.sqliteMs += performance.now() - startedAt;
    sqlStats.set(sql, stats);
  }
}

/**
 * A cached statement as the adapter uses a fresh one: it binds the arguments of one query, then
 * runs it or reads all rows. better-sqlite3 binds a statement once for good, so the arguments are
 * passed to each call instead.
 */
/** A prepared statement's columns do not change; better-sqlite3 builds the list anew on each call. */
const columnsOfStatement = new WeakMap<Database.Statement, Database.ColumnDefinition[]>();
function columnsOf(statement: Database.Statement): Database.ColumnDefinition[] {
  let columns = columnsOfStatement.get(statement);
  if (!columns) columnsOfStatement.set(statement, (columns = statement.columns()));
  return columns;
}

function reusable(statement: Database.Statement) {
  const sql = statement.source;
  return {
    reader: statement.reader,
    run: (...args: unknown[]) => statement.run(...args),
    bind: (args: unknown[]) => ({
      reader: statement.reader,
      run: () => counted(sql, () => statement.run(args)),
      columns: () => columnsOf(statement),
      raw: () => ({ all: () => counted(sql, () => statement.raw(true).all(args)) }),
    }),
  };
}

/**
 * Two changes to how the adapter talks to SQLite. It opens transactions with a deferred BEGIN: in
 * WAL mode a deferred transaction that reads, then writes after another process (the worker, the
 * app) committed, fails at once with SQLITE_BUSY_SNAPSHOT, without waiting for the busy timeout.
 * Tandem's transactions all write, so they take the write lock up front (BEGIN IMMEDIATE), which
 * does wait (docs/decisions/0007). And it prepares every query anew, which took about 4% of the
 * app's and the worker's CPU in a sales storm: statements are kept and reused instead.
 */
class ImmediateTransactions extends PrismaBetterSQLite3 {
  /** The open connection, with the statement cache below: plain SQL outside transactions runs on it directly (plain-sql.server.ts). */
  connection: CachingConnection | undefined;

  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client: Database.Database }).client;
    this.connection = client as unknown as CachingConnection;
    const prepare = client.prepare.bind(client);
    const statements = new Map<string, Database.Statement>();
    client.prepare = ((sql: string) => {
      const text = sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql;
      let statement = statements.get(text);
      if (statement) statements.delete(text);
      else statement = prepare(text);
      statements.set(text, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      return reusable(statement);
    }) as unknown as typeof client.prepare;
    return adapter;
  }
}

/** A connection whose prepare() hands out the cached statements of `reusable`. */
export type CachingConnection = { open: boolean; inTransaction: boolean; prepare(sql: string): ReturnType<typeof reusable> };

/**
 * What createPrismaClient knows of a client, kept on the client under a global symbol: the dev
 * server reloads this module but keeps its client (db.server.ts).
 */
const CLIENT_FACTS = Symbol.for("tandem.prismaClientFacts");
type ClientFacts = { namespace: typeof Prisma; sqliteAdapter?: ImmediateTransactions };
const factsOf = (prisma: PrismaClient) => (prisma as unknown as { [CLIENT_FACTS]?: ClientFacts })[CLIENT_FACTS];
function withFacts(prisma: PrismaClient, facts: ClientFacts): PrismaClient {
  Object.defineProperty(prisma, CLIENT_FACTS, { value: facts });
  return prisma;
}

/** The SQLite connection of a client made by createPrismaClient, once it is open (undefined on PostgreSQL). */
export function sqliteConnectionOf(prisma: PrismaClient): CachingConnection | undefined {
  const connection = factsOf(prisma)?.sqliteAdapter?.connection;
  return connection?.open ? connection : undefined;
}

/**
 * The client generated from prisma/postgres/schema.prisma (the same models, provider postgresql).
 * It is loaded at run time from where `prisma generate` wrote it, beside @prisma/client, so the
 * build does not bundle it. Its API is the SQLite client's: the app types it as that one.
 */
function postgresClientModule(): { PrismaClient: typeof PrismaClient; Prisma: typeof Prisma } {
  const require = createRequire(import.meta.url);
  const generated = path.resolve(path.dirname(require.resolve("@prisma/client/package.json")), "../../.prisma/postgres-client");
  return require(generated) as { PrismaClient: typeof PrismaClient; Prisma: typeof Prisma };
}

/**
 * The `Prisma` namespace of a client made by createPrismaClient: SQL fragments (`Prisma.sql`,
 * `Prisma.join`) must come from the client that runs them, and the PostgreSQL client has its own
 * runtime, whose raw queries take another's fragments for plain values.
 */
export function prismaNamespaceOf(prisma: PrismaClient): typeof Prisma {
  return factsOf(prisma)?.namespace ?? Prisma;
}

/** The app uses the singleton in db.server.ts; scripts and tests open their own database with this. */
export function createPrismaClient(databaseUrl: string, { sqlStatsPath: statsPath }: { sqlStatsPath?: string } = {}): PrismaClient {
  if (statsPath) writeSqlStatsTo(statsPath);
  if (databaseEngine(databaseUrl) === "postgres") {
    const { PrismaClient: PostgresPrismaClient, Prisma: postgresNamespace } = postgresClientModule();
    const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: pgConnectionString(databaseUrl), max: poolSizeOf(databaseUrl) }) });
    return withFacts(client, { namespace: postgresNamespace });
  }
  const adapter = new ImmediateTransactions({ url: sqliteFileFromUrl(databaseUrl), timeout: BUSY_TIMEOUT_MS });
  return withFacts(new PrismaClient({ adapter }), { namespace: Prisma, sqliteAdapter: adapter });
}
