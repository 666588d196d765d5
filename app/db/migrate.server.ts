import path from "node:path";
import type Database from "better-sqlite3";
import { databaseEngine } from "./engine";
import { MigrationError, type MigrationResult, planMigrations } from "./migration-files";
import { migratePostgres } from "./postgres.server";
import { openSqlite, sqliteFileFromUrl } from "./sqlite.server";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

export { MigrationError, type MigrationResult };

/**
 * Applies prisma/migrations/<name>/migration.sql files in name order, each once and inside its
 * own transaction, recording name and checksum in _tandem_migrations. A recorded migration whose
 * file changed afterwards is an error: migrations are append-only.
 */
export function migrate(db: Database.Database, dir = MIGRATIONS_DIR): MigrationResult {
  db.exec(`CREATE TABLE IF NOT EXISTS "_tandem_migrations" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "checksum" TEXT NOT NULL,
    "appliedAt" TEXT NOT NULL
  )`);
  const recorded = new Map(
    db
      .prepare(`SELECT name, checksum FROM "_tandem_migrations"`)
      .all()
      .map((row) => {
        const { name, checksum } = row as { name: string; checksum: string };
        return [name, checksum];
      }),
  );
  const { pending, alreadyApplied } = planMigrations(dir, recorded);
  const result: MigrationResult = { applied: [], alreadyApplied };
  const record = db.prepare(`INSERT INTO "_tandem_migrations" (name, checksum, appliedAt) VALUES (?, ?, ?)`);
  for (const { name, sql, checksum } of pending) {
    try {
      db.transaction(() => {
        db.exec(sql);
        record.run(name, checksum, new Date().toISOString());
      })();
    } catch (error) {
      throw new MigrationError(name, error);
    }
    result.applied.push(name);
  }
  return result;
}

/** Migrates the database DATABASE_URL names (the server and every worker do it at start). */
export async function migrateDatabase(databaseUrl: string): Promise<MigrationResult> {
  if (databaseEngine(databaseUrl) === "postgres") return migratePostgres(databaseUrl);
  const db = openSqlite(sqliteFileFromUrl(databaseUrl));
  try {
    return migrate(db);
  } finally {
    db.close();
  }
}
