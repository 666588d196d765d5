import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

/** Relative paths in DATABASE_URL are resolved from the directory the process starts in (the project root). */
export function sqliteFileFromUrl(databaseUrl: string): string {
  const location = databaseUrl.replace(/^file:/, "").split("?")[0];
  return path.resolve(location);
}

export class DatabaseOpenError extends Error {
  constructor(file: string, cause: unknown) {
    super(`Database error: cannot open ${file} (DATABASE_URL): ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "DatabaseOpenError";
  }
}

export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the SQLite file in WAL mode (readers never wait for the writer; the app and the worker
 * share the file) with a busy timeout, creating its directory if needed.
 */
export function openSqlite(file: string): Database.Database {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    return db;
  } catch (error) {
    throw new DatabaseOpenError(file, error);
  }
}
