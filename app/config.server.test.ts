import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { CONFIG_SETTINGS, ConfigError, parseConfig } from "./config.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  TANDEM_SECRET: "0123456789abcdef0123456789abcdef",
  SHOPIFY_APP_URL: "https://tandem.example.com",
  SCOPES: "read_products,write_products",
  DATABASE_URL: "file:./data/tandem.sqlite",
};

describe("parseConfig", () => {
  test("accepts a complete environment and fills the defaults", () => {
    const config = parseConfig(valid);
    expect(config.SHOPIFY_API_VERSION).toBe("2026-10");
    expect(config.LOG_LEVEL).toBe("info");
    expect(config.PORT).toBe(3000);
    expect(config.SHOPIFY_ADMIN_API_ORIGIN).toBeUndefined();
    expect(config).toMatchObject({
      TANDEM_SYNC_DEBOUNCE_MS: 2_000, TANDEM_SALE_GRACE_MS: 10_000, TANDEM_SYNC_ALL_BATCH: 250, TANDEM_BULK_WRITE_THRESHOLD: 10,
      TANDEM_PRODUCT_BURST: 10, TANDEM_WORKER_CONCURRENCY: 4, TANDEM_JOB_LEASE_MS: 30_000, TANDEM_WORKER_POLL_MS: 100,
      TANDEM_RECONCILE_INTERVAL_MS: 600_000, TANDEM_RECONCILE_BULK_POINTS: 1_000, TANDEM_STOCK_PUSH_INTERVAL_MS: 0, TANDEM_PRIMARY_LEVELS_MAX_AGE_MS: 900_000,
    });
    expect(parseConfig({ ...valid, TANDEM_RECONCILE_INTERVAL_MS: "0", TANDEM_WORKER_CONCURRENCY: "8" })).toMatchObject({ TANDEM_RECONCILE_INTERVAL_MS: 0, TANDEM_WORKER_CONCURRENCY: 8 });
  });

  test.each([
    [{ SHOPIFY_API_SECRET: undefined }, "Configuration error: SHOPIFY_API_SECRET is required (see .env.example)"],
    [{ SHOPIFY_API_SECRET: "" }, "Configuration error: SHOPIFY_API_SECRET is required (see .env.example)"],
    [{ DATABASE_URL: "mysql://localhost/tandem" }, "Configuration error: DATABASE_URL must be a SQLite file URL such as file:./data/tandem.sqlite or a PostgreSQL URL such as postgres://user:password@host:5432/tandem (see .env.example)"],
    [{ TANDEM_SECRET: "short" }, "Configuration error: TANDEM_SECRET must be at least 32 characters of random text (openssl rand -hex 32) (see .env.example)"],
    [{ SHOPIFY_APP_URL: "tandem" }, "Configuration error: SHOPIFY_APP_URL must be the app's public https URL (see .env.example)"],
    [{ SCOPES: "read products" }, "Configuration error: SCOPES must be a comma-separated list like read_products,write_products (see .env.example)"],
    [{ SHOPIFY_API_VERSION: "2025-02" }, "Configuration error: SHOPIFY_API_VERSION must be an Admin API version Tandem speaks: 2026-01, 2026-10 (see .env.example)"],
    // Out of Shopify's support: Shopify would answer it with another version's schema.
    [{ SHOPIFY_API_VERSION: "2025-01" }, "Configuration error: SHOPIFY_API_VERSION must be an Admin API version Tandem speaks: 2026-01, 2026-10 (see .env.example)"],
    [{ SHOPIFY_ADMIN_API_ORIGIN: "localhost" }, "Configuration error: SHOPIFY_ADMIN_API_ORIGIN must be a URL such as http://127.0.0.1:4100 (see .env.example)"],
    // Tuning numbers: before, a value that was not a number made the worker take jobs without limit.
    [{ TANDEM_WORKER_CONCURRENCY: "x" }, "Configuration error: TANDEM_WORKER_CONCURRENCY must be a whole number of jobs, from 1 to 64 (see .env.example)"],
    [{ TANDEM_WORKER_CONCURRENCY: "0" }, "Configuration error: TANDEM_WORKER_CONCURRENCY must be a whole number of jobs, from 1 to 64 (see .env.example)"],
    [{ TANDEM_SYNC_DEBOUNCE_MS: "-1" }, "Configuration error: TANDEM_SYNC_DEBOUNCE_MS must be a whole number of milliseconds, 0 or more (see .env.example)"],
    [{ TANDEM_JOB_LEASE_MS: "500" }, "Configuration error: TANDEM_JOB_LEASE_MS must be a whole number of milliseconds, 1000 or more (see .env.example)"],
    [{ TANDEM_PRODUCT_BURST: "1.5" }, "Configuration error: TANDEM_PRODUCT_BURST must be a whole number of product syncs, 2 or more (see .env.example)"],
  ])("names the bad value in one line: %o", (change, message) => {
    const env: Record<string, string | undefined> = { ...valid, ...change };
    expect(() => parseConfig(env)).toThrowError(new ConfigError(message));
  });
});

describe("every setting is documented once", () => {
  // README's "Configuration" table: the first cell of each row names one or more settings.
  const readme = fs.readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1));
  const inReadme = section.split("\n").filter((line) => line.startsWith("| `")).flatMap((line) => [...line.split("|")[1].matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]));
  // .env.example: every setting as NAME=… or # NAME=…
  const inExample = [...fs.readFileSync(".env.example", "utf8").matchAll(/^#? ?([A-Z][A-Z_]+)=/gm)].map((m) => m[1]);

  test("README's table lists exactly the settings the config reads", () => {
    expect(inReadme.length).toBeGreaterThan(0);
    expect([...inReadme].sort()).toEqual([...CONFIG_SETTINGS].sort());
  });

  test(".env.example shows exactly the settings the config reads", () => {
    expect([...inExample].sort()).toEqual([...CONFIG_SETTINGS].sort());
  });
});
