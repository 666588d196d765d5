/**
 * Which database DATABASE_URL names: a SQLite file (file:…, the default, one machine) or a
 * PostgreSQL server (postgres://… or postgresql://…, the engine for several machines; ADR 0011).
 */
export type DatabaseEngine = "sqlite" | "postgres";

export function databaseEngine(databaseUrl: string): DatabaseEngine {
  return /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgres" : "sqlite";
}

/** Prisma's error for a unique index violated, whichever engine's client threw it. */
export function isUniqueViolation(error: unknown): boolean {
  // Each generated client carries its own copy of Prisma's runtime, so instanceof would only
  // recognise one engine's errors: the code identifies the error on both.
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  // A plain-SQL statement's violation comes as a failed raw query (P2010) with the database's words,
  // or, run on SQLite's connection directly (ADR 0019), as better-sqlite3's own error.
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
  return code === "P2002" || (code === "P2010" && typeof message === "string" && /UNIQUE constraint failed|duplicate key value violates unique constraint/.test(message));
}
