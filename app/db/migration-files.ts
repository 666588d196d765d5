import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export type MigrationResult = { applied: string[]; alreadyApplied: string[] };

export class MigrationError extends Error {
  constructor(name: string, cause: unknown) {
    super(`Migration ${name} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "MigrationError";
  }
}

/**
 * The migrations of a folder (<name>/migration.sql, in name order) against what a database
 * recorded (name → checksum), for either engine: those to apply, and those already applied. A
 * recorded migration whose file changed afterwards is an error: migrations are append-only.
 */
export function planMigrations(dir: string, recorded: Map<string, string>) {
  const names = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
  const pending: { name: string; sql: string; checksum: string }[] = [];
  const alreadyApplied: string[] = [];
  for (const name of names) {
    const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    const checksum = crypto.createHash("sha256").update(sql).digest("hex");
    const known = recorded.get(name);
    if (known === undefined) pending.push({ name, sql, checksum });
    else if (known !== checksum) throw new MigrationError(name, new Error("its file changed after it was applied"));
    else alreadyApplied.push(name);
  }
  return { pending, alreadyApplied };
}
