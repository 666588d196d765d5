import path from "node:path";
import pg from "pg";
import { Logger as GraphileLogger, runMigrations } from "graphile-worker";
import { MigrationError, type MigrationResult, planMigrations } from "./migration-files";

export const POSTGRES_MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/postgres/migrations");

/** graphile-worker's tables live in this schema of Tandem's database (its default name). */
export const GRAPHILE_WORKER_SCHEMA = "graphile_worker";

/** Any number: every process migrating the same database takes this advisory lock, so one migrates at a time. */
const MIGRATION_LOCK = 7_282_615;

export class PostgresConnectError extends Error {
  constructor(databaseUrl: string, cause: unknown) {
    super(`Database error: cannot connect to ${redactedUrl(databaseUrl)} (DATABASE_URL): ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "PostgresConnectError";
  }
}

/** The URL without its password, for messages and logs. */
export function redactedUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "postgres://…";
  }
}

export class UnsupportedSchemaError extends Error {
  constructor(schema: string) {
    super(`Configuration error: DATABASE_URL asks for schema "${schema}": Tandem keeps its tables in the public schema of its own database; name another database instead (see .env.example)`);
    this.name = "UnsupportedSchemaError";
  }
}

/** The connection string pg understands: Prisma's own connection_limit removed. */
export function pgConnectionString(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.delete("connection_limit");
  // Prisma's ?schema= would put the tables elsewhere, which the migrations and graphile-worker do not follow.
  const schema = url.searchParams.get("schema");
  if (schema !== null && schema !== "public") throw new UnsupportedSchemaError(schema);
  url.searchParams.delete("schema");
  return url.toString();
}

/** Pool size per process: the URL's connection_limit (Prisma's parameter), else 10. */
/** A pool of plain pg connections (graphile-worker's own, beside Prisma's). */
export function createPostgresPool(databaseUrl: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString: pgConnectionString(databaseUrl), max });
}

export function poolSizeOf(databaseUrl: string): number {
  const limit = Number(new URL(databaseUrl).searchParams.get("connection_limit"));
  return Number.isInteger(limit) && limit > 0 ? limit : 10;
}

const INVALID_CATALOG_NAME = "3D000";

/**
 * Creates the database DATABASE_URL names when the server has none by that name (a first start,
 * each test's own database). Needs a role allowed to create databases; in production the
 * database usually exists and this does nothing.
 */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgConnectionString(databaseUrl) });
  try {
    await client.connect();
    await client.end();
    return;
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code !== INVALID_CATALOG_NAME) throw new PostgresConnectError(databaseUrl, error);
  }
  const url = new URL(pgConnectionString(databaseUrl));
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } catch (error) {
    // Another process created it first: "already exists", or the catalogue's unique index when both ran at once.
    const code = (error as { code?: string }).code;
    if (code !== "42P04" && code !== "23505") throw new PostgresConnectError(databaseUrl, error);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

/**
 * The PostgreSQL twin of migrate() (migrate.server.ts): prisma/postgres/migrations/<name>/migration.sql
 * in name order, each once in its own transaction, recorded with its checksum; then
 * graphile-worker's own migrations. Several processes may start at once: an advisory lock
 * serialises them.
 */
export async function migratePostgres(databaseUrl: string, dir = POSTGRES_MIGRATIONS_DIR): Promise<MigrationResult> {
  await ensureDatabase(databaseUrl);
  const connectionString = pgConnectionString(databaseUrl);
  const client = new pg.Client({ connectionString });
  await client.connect().catch((error: unknown) => {
    throw new PostgresConnectError(databaseUrl, error);
  });
  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_tandem_migrations" ("name" TEXT NOT NULL PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`);
    const recorded = new Map((await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_tandem_migrations"`)).rows.map((row) => [row.name, row.checksum]));
    const { pending, alreadyApplied } = planMigrations(dir, recorded);
    result.alreadyApplied = alreadyApplied;
    for (const { name, sql, checksum } of pending) {
      try {
        await client.query("BEGIN");
        await client.query(sql);
        await client.query(`INSERT INTO "_tandem_migrations" (name, checksum, "appliedAt") VALUES ($1, $2, $3)`, [name, checksum, new Date().toISOString()]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(name, error);
      }
      result.applied.push(name);
    }
    await runMigrations({ connectionString, schema: GRAPHILE_WORKER_SCHEMA, logger: silentGraphileLogger() });
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
  return result;
}

/** graphile-worker logs to the console by default; its migrations have nothing to tell. */
function silentGraphileLogger() {
  return new GraphileLogger(() => () => undefined);
}
