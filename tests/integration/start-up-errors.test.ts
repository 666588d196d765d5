import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { childEnv, freePort, testAppEnv } from "../setup/test-app";

function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: childEnv(env),
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe("npm run start with bad configuration", () => {
  test("a missing API secret stops start-up with one line naming it", async () => {
    const env = testAppEnv({ SHOPIFY_APP_URL: "https://tandem.example.com", PORT: String(await freePort()) });
    delete env.SHOPIFY_API_SECRET;
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("Configuration error: SHOPIFY_API_SECRET is required (see .env.example)");
  });

  test("a DATABASE_URL that is neither a SQLite file nor PostgreSQL stops start-up with one line naming it", async () => {
    const env = testAppEnv({ SHOPIFY_APP_URL: "https://tandem.example.com", PORT: String(await freePort()), DATABASE_URL: "mysql://nowhere" });
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "Configuration error: DATABASE_URL must be a SQLite file URL such as file:./data/tandem.sqlite or a PostgreSQL URL such as postgres://user:password@host:5432/tandem (see .env.example)",
    );
  });

  test("a DATABASE_URL whose directory cannot be created stops start-up with one line naming it", async () => {
    const env = testAppEnv({ SHOPIFY_APP_URL: "https://tandem.example.com", PORT: String(await freePort()), DATABASE_URL: "file:./package.json/tandem.sqlite" });
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr.split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^Database error: cannot open .*package\.json\/tandem\.sqlite \(DATABASE_URL\): /);
  });
});
