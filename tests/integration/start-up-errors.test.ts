import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { childEnv, freePort, testAppEnv } from "../setup/test-app";
import { WORKER_SCRIPT } from "../../scripts/lib/build";

function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: childEnv(env),
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

/** Each start may take its whole 30 s spawn timeout on a loaded machine: a test has room for its starts. */
const ONE_START_MS = 45_000;

describe("npm run start with bad configuration", () => {
  test("a missing API secret stops start-up with one line naming it", async () => {
    const env = testAppEnv({ SHOPIFY_APP_URL: "https://tandem.example.com", PORT: String(await freePort()) });
    delete env.SHOPIFY_API_SECRET;
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("Configuration error: SHOPIFY_API_SECRET is required (see .env.example)");
  }, ONE_START_MS);

  test("a DATABASE_URL that is neither a SQLite file nor PostgreSQL stops start-up with one line naming it", async () => {
    const env = testAppEnv({ SHOPIFY_APP_URL: "https://tandem.example.com", PORT: String(await freePort()), DATABASE_URL: "mysql://nowhere" });
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "Configuration error: DATABASE_URL must be a SQLite file URL such as file:./data/tandem.sqlite or a PostgreSQL URL such as postgres://user:password@host:5432/tandem (see .env.example)",
    );
  }, ONE_START_MS);

  test("a DATABASE_URL whose directory cannot be created stops start-up with one line naming it", async () => {
    const env = testAppEnv({ SHOPIFY_APP_URL: "https://tandem.example.com", PORT: String(await freePort()), DATABASE_URL: "file:./package.json/tandem.sqlite" });
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr.split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^Database error: cannot open .*package\.json\/tandem\.sqlite \(DATABASE_URL\): /);
  }, ONE_START_MS);

  test("a PostgreSQL server that does not answer stops the server and the worker with one line, password hidden", async () => {
    const unreachable = `postgres://tandem:hunter2@127.0.0.1:${await freePort()}/tandem`;
    const env = testAppEnv({ SHOPIFY_APP_URL: "https://tandem.example.com", PORT: String(await freePort()), DATABASE_URL: unreachable });
    for (const [script, args] of [["the server", ["--import", "tsx", "scripts/start.ts"]], ["the worker", [WORKER_SCRIPT]]] as const) {
      const result = spawnSync(process.execPath, args, { env: childEnv(env), encoding: "utf8", timeout: 30_000 });
      expect(result.status, script).toBe(1);
      const stderr = result.stderr.trim();
      expect(stderr.split("\n"), script).toHaveLength(1);
      expect(stderr, script).toMatch(/^Database error: cannot connect to postgres:\/\/tandem:\*\*\*@127\.0\.0\.1:\d+\/tandem \(DATABASE_URL\): .*ECONNREFUSED/);
      expect(stderr, script).not.toContain("hunter2");
    }
  }, 2 * ONE_START_MS);

  test("a PostgreSQL URL asking for another schema is refused with one line", async () => {
    const env = testAppEnv({ SHOPIFY_APP_URL: "https://tandem.example.com", PORT: String(await freePort()), DATABASE_URL: "postgres://tandem@127.0.0.1:5432/tandem?schema=shop_a" });
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Configuration error: DATABASE_URL asks for schema "shop_a": /);
  }, ONE_START_MS);
});
