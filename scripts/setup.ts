// Runs after `npm install` / `npm ci` and as `npm run setup`: generates the Prisma client without
// downloading any engine, then migrates the database named by DATABASE_URL (from the environment
// or .env) if one is configured. The sandbox and the tests migrate their own databases.
import { execFileSync } from "node:child_process";
import { loadDotenvFile } from "../app/config.server";
import { migrate } from "../app/db/migrate.server";
import { openSqlite, sqliteFileFromUrl } from "../app/db/sqlite.server";

execFileSync("node_modules/.bin/prisma", ["generate"], {
  stdio: ["ignore", "inherit", "inherit"],
  // engineType = "client" needs no engine: point the CLI's engine paths at /bin/false so it never downloads one.
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
});

loadDotenvFile();
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl?.startsWith("file:")) {
  const db = openSqlite(sqliteFileFromUrl(databaseUrl));
  const { applied } = migrate(db);
  db.close();
  console.log(`Database ${databaseUrl}: ${applied.length} migration(s) applied`);
} else {
  console.log("No DATABASE_URL configured: database migration skipped (see .env.example)");
}
