// Runs after `npm install` / `npm ci` and as `npm run setup`: generates the Prisma client without
// downloading any engine, then migrates the database named by DATABASE_URL (from the environment
// or .env) if one is configured. The sandbox and the tests migrate their own databases.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { loadDotenvFile } from "../app/config.server";
import { migrateDatabase } from "../app/db/migrate.server";
import { redactedUrl } from "../app/db/postgres.server";
import { POSTGRES_SCHEMA_FILE, postgresSchema } from "./lib/postgres-schema";

function prismaGenerate(schema: string) {
  execFileSync("node_modules/.bin/prisma", ["generate", "--schema", schema], {
    stdio: ["ignore", "inherit", "inherit"],
    // engineType = "client" needs no engine: point the CLI's engine paths at /bin/false so it never downloads one.
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

prismaGenerate("prisma/schema.prisma");
// The PostgreSQL client comes from the same schema with the other provider (ADR 0011).
fs.writeFileSync(POSTGRES_SCHEMA_FILE, postgresSchema(fs.readFileSync("prisma/schema.prisma", "utf8")));
prismaGenerate(POSTGRES_SCHEMA_FILE);

loadDotenvFile();
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  const shown = databaseUrl.startsWith("file:") ? databaseUrl : redactedUrl(databaseUrl);
  try {
    const { applied } = await migrateDatabase(databaseUrl);
    console.log(`Database ${shown}: ${applied.length} migration(s) applied`);
  } catch (error) {
    // An install must not fail because a database server is down: start and worker migrate again.
    console.log(`Database ${shown} not migrated now (npm run start and npm run worker migrate at start): ${error instanceof Error ? error.message : String(error)}`);
  }
} else {
  console.log("No DATABASE_URL configured: database migration skipped (see .env.example)");
}
