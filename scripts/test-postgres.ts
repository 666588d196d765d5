// `npm run test:postgres` (the last step of `npm test`): the whole Vitest suite again with every
// test's database on PostgreSQL and its jobs on graphile-worker. It starts a throwaway server from
// Debian's packages, unless TANDEM_TEST_POSTGRES_URL names one (a role that may create databases).
// Arguments go to Vitest: `npm run test:postgres -- tests/sync/stock.test.ts`.
import { spawn } from "node:child_process";
import { PostgresNotInstalledError, startPostgresCluster } from "./lib/postgres-cluster";

let cluster: Awaited<ReturnType<typeof startPostgresCluster>> | null = null;
let serverUrl = process.env.TANDEM_TEST_POSTGRES_URL;
if (!serverUrl) {
  try {
    cluster = await startPostgresCluster();
  } catch (error) {
    console.error(error instanceof PostgresNotInstalledError ? error.message : `Could not start PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  serverUrl = cluster.url;
}
console.log(`PostgreSQL pass: ${serverUrl}`);
const vitest = spawn("node_modules/.bin/vitest", ["run", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, TANDEM_TEST_POSTGRES_URL: serverUrl },
});
const code = await new Promise<number>((resolve) => vitest.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
await cluster?.stop();
process.exit(code);
