import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { databaseEngine } from "./engine";
import { MigrationError, type MigrationResult } from "./migration-error";
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
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();

  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  const record = db.prepare(`INSERT INTO "_tandem_migrations" (name, checksum, appliedAt) VALUES (?, ?, ?)`);
  for (const name of names) {
    const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    const checksum = crypto.createHash("sha256").update(sql).digest("hex");
    const known = recorded.get(name);
    if (known !== undefined) {
      if (known !== checksum) throw new MigrationError(name, new Error("its file changed after it was applied"));
      result.alreadyApplied.push(name);
      continue;
    }
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
