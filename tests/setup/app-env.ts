import { migrate } from "../../app/db/migrate.server";
import { openSqlite, sqliteFileFromUrl } from "../../app/db/sqlite.server";
import { testAppEnv } from "./test-app";

/**
 * For tests that call app modules in-process: sets the environment the app reads at import
 * (its own migrated SQLite file) and returns it. Import app modules dynamically afterwards.
 */
export function useTestAppEnv(overrides: Record<string, string> = {}) {
  const env = testAppEnv({ SHOPIFY_APP_URL: "https://tandem.test", ...overrides });
  Object.assign(process.env, env);
  const db = openSqlite(sqliteFileFromUrl(env.DATABASE_URL));
  migrate(db);
  db.close();
  return env;
}
