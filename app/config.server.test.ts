import { describe, expect, test } from "vitest";
import { ConfigError, parseConfig } from "./config.server";

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
  ])("names the bad value in one line: %o", (change, message) => {
    const env: Record<string, string | undefined> = { ...valid, ...change };
    expect(() => parseConfig(env)).toThrowError(new ConfigError(message));
  });
});
