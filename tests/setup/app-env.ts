import { migrateDatabase } from "../../app/db/migrate.server";
import { testAppEnv } from "./test-app";

/**
 * For tests that call app modules in-process: sets the environment the app reads at import
 * (its own migrated database: SQLite, or PostgreSQL in that pass) and returns it. Import app
 * modules dynamically afterwards.
 */
export async function useTestAppEnv(overrides: Record<string, string> = {}) {
  const env = testAppEnv({ SHOPIFY_APP_URL: "https://tandem.test", ...overrides });
  Object.assign(process.env, env);
  await migrateDatabase(env.DATABASE_URL);
  return env;
}
